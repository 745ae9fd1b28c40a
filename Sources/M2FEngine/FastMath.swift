import Foundation

/// Branch-free scalar kernels that the compiler vectorises inside loops (no libm calls), shared by
/// the fused ops. Accuracy: `exp` ≈ 2e-7 relative, `erf` ≈ 2e-7 absolute, both far below the
/// 1e-4 golden tolerance and the 1e-5 that Float32 training notices.
@usableFromInline
enum FastMath {
    /// eˣ by 2ᵏ·p(r) with r = x − k·ln 2 ∈ [−ln2/2, ln2/2] and a degree-6 Taylor polynomial.
    /// Below −87 gives 0 and above 88 gives +∞ (e⁸⁸ is near Float's limit).
    @inlinable @inline(__always)
    static func exp(_ x: Float) -> Float {
        let clamped = Swift.min(Swift.max(x, -87.0), 88.0)
        // Round to nearest by the 1.5·2²³ trick (vectorises without SSE4.1's round instruction).
        let shifted = clamped * 1.442695040888963 + 12_582_912.0
        let k = shifted - 12_582_912.0
        let r = clamped - k * 0.693145751953125 - k * 1.428606765330187e-06
        var p: Float = 1.0 / 720.0
        p = p * r + 1.0 / 120.0
        p = p * r + 1.0 / 24.0
        p = p * r + 1.0 / 6.0
        p = p * r + 0.5
        p = p * r + 1.0
        p = p * r + 1.0
        // k's integer value sits in the low mantissa bits of `shifted` (1.5·2²³ is 0x4B40_0000). Reading
        // it there, instead of the trapping `Int32(k)` conversion, keeps a checked build's loop branch-free
        // so it still vectorises; the clamp bounds k to [−126, 127], so the result is bit-identical.
        let kBits = shifted.bitPattern &- 0x4B40_0000
        let scale = Float(bitPattern: (kBits &+ 127) << 23)
        let value = p * scale
        return x < -87.0 ? 0 : (x > 88.0 ? .infinity : value)
    }

    /// erf(x) by Abramowitz & Stegun 7.1.26 with the fast exp (max error ≈ 1.5e-7).
    @inlinable @inline(__always)
    static func erf(_ x: Float) -> Float {
        erf(x, expOfMinusSquare: exp(-x * x))
    }

    /// erf(x) when e^(−x²) is already known.
    @inlinable @inline(__always)
    static func erf(_ x: Float, expOfMinusSquare: Float) -> Float {
        let a = Swift.abs(x)
        let t = 1 / (1 + 0.3275911 * a)
        var poly: Float = 1.061405429
        poly = poly * t - 1.453152027
        poly = poly * t + 1.421413741
        poly = poly * t - 0.284496736
        poly = poly * t + 0.254829592
        let y = 1 - poly * t * expOfMinusSquare
        return x < 0 ? -y : y
    }

    /// tanh(x) = 1 − 2 / (e²ˣ + 1), saturating cleanly for large |x|.
    @inlinable @inline(__always)
    static func tanh(_ x: Float) -> Float {
        1 - 2 / (exp(2 * x) + 1)
    }

    /// 1 / (1 + e⁻ˣ).
    @inlinable @inline(__always)
    static func sigmoid(_ x: Float) -> Float {
        1 / (1 + exp(-x))
    }

    /// Σ x[i], with eight independent accumulators so the loop is not bound by add latency.
    @inlinable
    static func sum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var lanes = SIMD8<Float>()
        var i = 0
        while i + 8 <= n {
            lanes += UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
            i += 8
        }
        var total = lanes.sum()
        while i < n { total += x[i]; i += 1 }
        return total
    }

    /// Σ x[i]·y[i] with eight accumulators.
    @inlinable
    static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Float {
        var lanes = SIMD8<Float>()
        var i = 0
        while i + 8 <= n {
            lanes += UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
                * UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Float>.self)
            i += 8
        }
        var total = lanes.sum()
        while i < n { total += x[i] * y[i]; i += 1 }
        return total
    }

    /// max x[i] (−∞ for an empty row), eight lanes at a time.
    @inlinable
    static func maximum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var lanes = SIMD8<Float>(repeating: -.infinity)
        var i = 0
        while i + 8 <= n {
            lanes = pointwiseMax(lanes, UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self))
            i += 8
        }
        var best = lanes.max()
        while i < n { best = Swift.max(best, x[i]); i += 1 }
        return best
    }

    /// Numerically stable softmax of one row; fully masked rows (all −∞) give zeros, not NaN.
    @inlinable
    static func softmaxRow(_ x: UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        let m = maximum(x, n)
        if m == -Float.infinity {
            y.initialize(repeating: 0, count: n)
            return
        }
        for i in 0..<n { y[i] = exp(x[i] - m) }
        let inverse = 1 / sum(y, n)
        for i in 0..<n { y[i] *= inverse }
    }
}
