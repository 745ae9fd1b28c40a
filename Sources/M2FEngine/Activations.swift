import Foundation

/// Elementwise functions with gradients. Each has a forward kernel f(x) and a backward kernel
/// (x, g) ↦ g · f′(x), both specialised into the shared loops of `Broadcast.swift`.

@usableFromInline enum ExpKernel: UnaryKernel { @inlinable static func apply(_ x: Float) -> Float { FastMath.exp(x) } }
@usableFromInline enum LogKernel: UnaryKernel { @inlinable static func apply(_ x: Float) -> Float { logf(x) } }
@usableFromInline enum LogGrad: BinaryKernel { @inlinable static func apply(_ x: Float, _ g: Float) -> Float { g / x } }
@usableFromInline enum SqrtKernel: UnaryKernel { @inlinable static func apply(_ x: Float) -> Float { sqrtf(x) } }
@usableFromInline enum TanhKernel: UnaryKernel { @inlinable static func apply(_ x: Float) -> Float { FastMath.tanh(x) } }
@usableFromInline enum TanhGrad: BinaryKernel { @inlinable static func apply(_ y: Float, _ g: Float) -> Float { g * (1 - y * y) } }
@usableFromInline enum SigmoidKernel: UnaryKernel { @inlinable static func apply(_ x: Float) -> Float { FastMath.sigmoid(x) } }
@usableFromInline enum SigmoidGrad: BinaryKernel { @inlinable static func apply(_ y: Float, _ g: Float) -> Float { g * y * (1 - y) } }
@usableFromInline enum ReluKernel: UnaryKernel { @inlinable static func apply(_ x: Float) -> Float { x > 0 ? x : 0 } }
@usableFromInline enum ReluGrad: BinaryKernel { @inlinable static func apply(_ x: Float, _ g: Float) -> Float { x > 0 ? g : 0 } }
@usableFromInline enum AbsKernel: UnaryKernel { @inlinable static func apply(_ x: Float) -> Float { Swift.abs(x) } }
@usableFromInline enum SignGrad: BinaryKernel { @inlinable static func apply(_ x: Float, _ g: Float) -> Float { x > 0 ? g : (x < 0 ? -g : 0) } }
@usableFromInline enum SiluKernel: UnaryKernel { @inlinable static func apply(_ x: Float) -> Float { x * FastMath.sigmoid(x) } }
@usableFromInline enum SiluGrad: BinaryKernel {
    @inlinable static func apply(_ x: Float, _ g: Float) -> Float {
        let s = FastMath.sigmoid(x)
        return g * s * (1 + x * (1 - s))
    }
}

/// GELU with the exact erf form: x · Φ(x).
@usableFromInline enum GeluErfKernel: UnaryKernel {
    @inlinable static func apply(_ x: Float) -> Float { 0.5 * x * (1 + FastMath.erf(x * 0.70710678118654752)) }
}
@usableFromInline enum GeluErfGrad: BinaryKernel {
    @inlinable static func apply(_ x: Float, _ g: Float) -> Float {
        // Φ′(x) and erf(x/√2) share e^(−x²/2): compute it once.
        let gaussian = FastMath.exp(-0.5 * x * x)
        let cdf = 0.5 * (1 + FastMath.erf(x * 0.70710678118654752, expOfMinusSquare: gaussian))
        return g * (cdf + x * gaussian * 0.3989422804014327)
    }
}
/// GELU with the tanh approximation (PyTorch's approximate="tanh").
@usableFromInline enum GeluTanhKernel: UnaryKernel {
    @inlinable static func apply(_ x: Float) -> Float {
        0.5 * x * (1 + FastMath.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)))
    }
}
@usableFromInline enum GeluTanhGrad: BinaryKernel {
    @inlinable static func apply(_ x: Float, _ g: Float) -> Float {
        let inner = 0.7978845608028654 * (x + 0.044715 * x * x * x)
        let t = FastMath.tanh(inner)
        let dInner = 0.7978845608028654 * (1 + 3 * 0.044715 * x * x)
        return g * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * dInner)
    }
}

/// Which GELU formula to use.
public enum GeluApproximation: String, Codable, Sendable {
    case none
    case tanh
}

extension Tensor {
    public func exp() -> Tensor {
        let out = Tensor.mapUnary(self, ExpKernel.self)
        return Tensor.record("exp", out, inputs: [self]) { g in [g * out] }
    }

    public func log() -> Tensor {
        let out = Tensor.mapUnary(self, LogKernel.self)
        return Tensor.record("log", out, inputs: [self]) { g in [Tensor.mapBinary(self, g, LogGrad.self)] }
    }

    public func sqrt() -> Tensor {
        let out = Tensor.mapUnary(self, SqrtKernel.self)
        return Tensor.record("sqrt", out, inputs: [self]) { g in [g / (out * 2)] }
    }

    public func tanh() -> Tensor {
        let out = Tensor.mapUnary(self, TanhKernel.self)
        return Tensor.record("tanh", out, inputs: [self]) { g in [Tensor.mapBinary(out, g, TanhGrad.self)] }
    }

    public func sigmoid() -> Tensor {
        let out = Tensor.mapUnary(self, SigmoidKernel.self)
        return Tensor.record("sigmoid", out, inputs: [self]) { g in [Tensor.mapBinary(out, g, SigmoidGrad.self)] }
    }

    public func relu() -> Tensor {
        let out = Tensor.mapUnary(self, ReluKernel.self)
        return Tensor.record("relu", out, inputs: [self]) { g in [Tensor.mapBinary(self, g, ReluGrad.self)] }
    }

    public func abs() -> Tensor {
        let out = Tensor.mapUnary(self, AbsKernel.self)
        return Tensor.record("abs", out, inputs: [self]) { g in [Tensor.mapBinary(self, g, SignGrad.self)] }
    }

    public func square() -> Tensor { self * self }

    public func silu() -> Tensor {
        let out = Tensor.mapUnary(self, SiluKernel.self)
        return Tensor.record("silu", out, inputs: [self]) { g in [Tensor.mapBinary(self, g, SiluGrad.self)] }
    }

    public func gelu(approximation: GeluApproximation = .none) -> Tensor {
        switch approximation {
        case .none:
            let out = Tensor.mapUnary(self, GeluErfKernel.self)
            return Tensor.record("gelu", out, inputs: [self]) { g in [Tensor.mapBinary(self, g, GeluErfGrad.self)] }
        case .tanh:
            let out = Tensor.mapUnary(self, GeluTanhKernel.self)
            return Tensor.record("geluTanh", out, inputs: [self]) { g in [Tensor.mapBinary(self, g, GeluTanhGrad.self)] }
        }
    }

    /// Values limited to [lower, upper]; the gradient is zero outside.
    public func clamped(_ lower: Float, _ upper: Float) -> Tensor {
        let source = contiguous()
        let out = withExtendedLifetime(source) {
            let p = source.basePointer
            return Tensor(shape: shape) { o, n in for i in 0..<n { o[i] = Swift.min(Swift.max(p[i], lower), upper) } }
        }
        return Tensor.record("clamp", out, inputs: [source]) { g in
            let inside = Tensor(shape: source.shape) { o, n in
                let p = source.basePointer
                for i in 0..<n { o[i] = p[i] >= lower && p[i] <= upper ? 1 : 0 }
            }
            return [g * inside]
        }
    }
}
