#if canImport(Accelerate)
import Accelerate
#else
import CBLAS
#endif

/// A matrix as BLAS sees it: a base pointer, a leading dimension and whether it is stored transposed.
@usableFromInline
struct MatrixOperand {
    let pointer: UnsafeMutablePointer<Float>
    let leadingDimension: Int
    let transposed: Bool

    /// Describes the last two axes of `t` (rows × cols) at `offset`, or nil when neither layout fits.
    static func describe(_ t: Tensor, offset: Int) -> MatrixOperand? {
        let rows = t.shape[t.rank - 2]
        let cols = t.shape[t.rank - 1]
        let rowStride = t.strides[t.rank - 2]
        let colStride = t.strides[t.rank - 1]
        let base = t.storage.pointer + offset
        if colStride == 1 || cols == 1, rowStride >= cols || rows == 1 {
            return MatrixOperand(pointer: base, leadingDimension: max(rows == 1 ? cols : rowStride, max(cols, 1)), transposed: false)
        }
        if rowStride == 1 || rows == 1, colStride >= rows || cols == 1 {
            return MatrixOperand(pointer: base, leadingDimension: max(cols == 1 ? rows : colStride, max(rows, 1)), transposed: true)
        }
        return nil
    }
}

/// Thin wrapper over `cblas_sgemm` (OpenBLAS on Linux, Accelerate on Apple): C = α·A·B + β·C, row-major.
enum BLAS {
    static func sgemm(
        _ a: MatrixOperand, _ b: MatrixOperand, _ c: UnsafeMutablePointer<Float>,
        m: Int, n: Int, k: Int, alpha: Float = 1, beta: Float = 0, ldc: Int? = nil
    ) {
        cblas_sgemm(
            CblasRowMajor,
            a.transposed ? CblasTrans : CblasNoTrans,
            b.transposed ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha,
            a.pointer, Int32(a.leadingDimension),
            b.pointer, Int32(b.leadingDimension),
            beta, c, Int32(ldc ?? n))
    }

    /// Runs `body` with BLAS limited to one thread per call, for work that is itself spread over the
    /// cores (one small GEMM per core beats every GEMM split across cores). Ops run one at a time, so
    /// nothing else calls BLAS meanwhile.
    static func singleThreaded(_ body: () -> Void) {
        #if canImport(Accelerate)
        body()
        #else
        let previous = openblas_get_num_threads()
        openblas_set_num_threads(1)
        body()
        openblas_set_num_threads(previous)
        #endif
    }
}
