import Foundation

/// Scalar kernels shared by the fused ops. Kept in one place so a vectorised version can replace them.
@usableFromInline
enum FastMath {
    /// Numerically stable softmax of one row; fully masked rows (all −∞) give zeros, not NaN.
    @inlinable
    static func softmaxRow(_ x: UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        var m = -Float.infinity
        for i in 0..<n { m = Swift.max(m, x[i]) }
        if m == -Float.infinity {
            y.initialize(repeating: 0, count: n)
            return
        }
        var total: Float = 0
        for i in 0..<n {
            let e = expf(x[i] - m)
            y[i] = e
            total += e
        }
        let inverse = 1 / total
        for i in 0..<n { y[i] *= inverse }
    }
}
