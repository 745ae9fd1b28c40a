/// Broadcasting arithmetic (+ − × ÷) with gradients.

@usableFromInline enum AddKernel: BinaryKernel { @inlinable static func apply(_ a: Float, _ b: Float) -> Float { a + b } }
@usableFromInline enum SubKernel: BinaryKernel { @inlinable static func apply(_ a: Float, _ b: Float) -> Float { a - b } }
@usableFromInline enum MulKernel: BinaryKernel { @inlinable static func apply(_ a: Float, _ b: Float) -> Float { a * b } }
@usableFromInline enum DivKernel: BinaryKernel { @inlinable static func apply(_ a: Float, _ b: Float) -> Float { a / b } }
@usableFromInline enum MaxKernel: BinaryKernel { @inlinable static func apply(_ a: Float, _ b: Float) -> Float { Swift.max(a, b) } }

extension Tensor {
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let out = mapBinary(a, b, AddKernel.self)
        return record("add", out, inputs: [a, b]) { g in
            [a.requiresGrad ? g.sum(toShape: a.shape) : nil, b.requiresGrad ? g.sum(toShape: b.shape) : nil]
        }
    }

    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let out = mapBinary(a, b, SubKernel.self)
        return record("sub", out, inputs: [a, b]) { g in
            [a.requiresGrad ? g.sum(toShape: a.shape) : nil, b.requiresGrad ? (-g).sum(toShape: b.shape) : nil]
        }
    }

    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let out = mapBinary(a, b, MulKernel.self)
        return record("mul", out, inputs: [a, b]) { g in
            [a.requiresGrad ? (g * b.detached()).sum(toShape: a.shape) : nil,
             b.requiresGrad ? (g * a.detached()).sum(toShape: b.shape) : nil]
        }
    }

    public static func / (a: Tensor, b: Tensor) -> Tensor {
        let out = mapBinary(a, b, DivKernel.self)
        return record("div", out, inputs: [a, b]) { g in
            let bd = b.detached()
            return [a.requiresGrad ? (g / bd).sum(toShape: a.shape) : nil,
                    b.requiresGrad ? (-(g * out.detached()) / bd).sum(toShape: b.shape) : nil]
        }
    }

    public static prefix func - (x: Tensor) -> Tensor { x * -1 }

    public static func + (a: Tensor, s: Float) -> Tensor { a.affine(scale: 1, shift: s) }
    public static func + (s: Float, a: Tensor) -> Tensor { a.affine(scale: 1, shift: s) }
    public static func - (a: Tensor, s: Float) -> Tensor { a.affine(scale: 1, shift: -s) }
    public static func - (s: Float, a: Tensor) -> Tensor { a.affine(scale: -1, shift: s) }
    public static func * (a: Tensor, s: Float) -> Tensor { a.affine(scale: s, shift: 0) }
    public static func * (s: Float, a: Tensor) -> Tensor { a.affine(scale: s, shift: 0) }
    public static func / (a: Tensor, s: Float) -> Tensor { a.affine(scale: 1 / s, shift: 0) }

    /// `scale · x + shift` elementwise.
    public func affine(scale: Float, shift: Float) -> Tensor {
        let source = contiguous()
        let out = withExtendedLifetime(source) {
            let input = source.basePointer
            return Tensor(shape: shape) { o, n in
                Parallel.forRanges(n, minimumPerWorker: 65_536) { r in
                    for i in r { o[i] = input[i] * scale + shift }
                }
            }
        }
        return Tensor.record("affine", out, inputs: [self]) { g in [g * scale] }
    }

    /// Elementwise maximum of two broadcast tensors (gradient to the larger; ties to `a`).
    public static func maximum(_ a: Tensor, _ b: Tensor) -> Tensor {
        let out = mapBinary(a, b, MaxKernel.self)
        return record("maximum", out, inputs: [a, b]) { g in
            let aWins = Tensor.mapBinary(a, b, GreaterEqualKernel.self)
            return [a.requiresGrad ? (g * aWins).sum(toShape: a.shape) : nil,
                    b.requiresGrad ? (g * (1 - aWins)).sum(toShape: b.shape) : nil]
        }
    }
}

@usableFromInline enum GreaterEqualKernel: BinaryKernel {
    @inlinable static func apply(_ a: Float, _ b: Float) -> Float { a >= b ? 1 : 0 }
}
