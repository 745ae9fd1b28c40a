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

/// Wrapper over `cblas_sgemm` (OpenBLAS on Linux, Accelerate on Apple): C = α·A·B + β·C, row-major.
///
/// OpenBLAS runs single-threaded here and large products are split into row (or column) blocks, one
/// per core, by `Parallel`. One pool of workers then serves GEMMs and every other kernel: OpenBLAS's
/// own threads would otherwise spin between calls and steal the cores from the elementwise kernels
/// that follow (measured: ~10% of a decoder block in sched_yield).
enum BLAS {
    /// Products below this many multiply-adds run on the calling thread.
    static let splitThreshold = 1 << 20

    private static let configureOnce: Void = {
        #if !canImport(Accelerate)
        openblas_set_num_threads(1)
        #endif
    }()

    static func sgemm(
        _ a: MatrixOperand, _ b: MatrixOperand, _ c: UnsafeMutablePointer<Float>,
        m: Int, n: Int, k: Int, alpha: Float = 1, beta: Float = 0, ldc: Int? = nil
    ) {
        _ = configureOnce
        let ldc = ldc ?? n
        let workers = Parallel.workerCount
        guard workers > 1, m * n * k >= splitThreshold, !Parallel.isInsideWorker else {
            call(a, b, c, m: m, n: n, k: k, alpha: alpha, beta: beta, ldc: ldc)
            return
        }
        if m >= n {
            // Row blocks of C: rows of A (a row offset, or a column offset when A is stored transposed).
            let block = (m + workers - 1) / workers
            Parallel.forRanges(workers) { range in
                for worker in range {
                    let start = worker * block, rows = Swift.min(block, m - start)
                    guard rows > 0 else { continue }
                    let shifted = MatrixOperand(pointer: a.pointer + (a.transposed ? start : start * a.leadingDimension),
                                                leadingDimension: a.leadingDimension, transposed: a.transposed)
                    call(shifted, b, c + start * ldc, m: rows, n: n, k: k, alpha: alpha, beta: beta, ldc: ldc)
                }
            }
        } else {
            // Column blocks of C: columns of B.
            let block = (n + workers - 1) / workers
            Parallel.forRanges(workers) { range in
                for worker in range {
                    let start = worker * block, cols = Swift.min(block, n - start)
                    guard cols > 0 else { continue }
                    let shifted = MatrixOperand(pointer: b.pointer + (b.transposed ? start * b.leadingDimension : start),
                                                leadingDimension: b.leadingDimension, transposed: b.transposed)
                    call(a, shifted, c + start, m: m, n: cols, k: k, alpha: alpha, beta: beta, ldc: ldc)
                }
            }
        }
    }

    private static func call(
        _ a: MatrixOperand, _ b: MatrixOperand, _ c: UnsafeMutablePointer<Float>,
        m: Int, n: Int, k: Int, alpha: Float, beta: Float, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor,
            a.transposed ? CblasTrans : CblasNoTrans,
            b.transposed ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha,
            a.pointer, Int32(a.leadingDimension),
            b.pointer, Int32(b.leadingDimension),
            beta, c, Int32(ldc))
    }
}
