/// Strided iteration plans for elementwise kernels over broadcast operands.
///
/// Axes are collapsed where both operands stay linear across them, so the common cases (same shape,
/// bias over rows, scalar) become one long inner loop with strides 1 or 0.
@usableFromInline
struct BroadcastPlan {
    @usableFromInline var dims: [Int]
    @usableFromInline var aStrides: [Int]
    @usableFromInline var bStrides: [Int]

    @usableFromInline
    init(outShape: [Int], a: Tensor, b: Tensor) {
        let rank = outShape.count
        func effectiveStrides(_ t: Tensor) -> [Int] {
            var result = [Int](repeating: 0, count: rank)
            let shift = rank - t.rank
            for axis in 0..<t.rank where t.shape[axis] != 1 { result[axis + shift] = t.strides[axis] }
            return result
        }
        var dims: [Int] = []
        var sa: [Int] = []
        var sb: [Int] = []
        let fa = effectiveStrides(a)
        let fb = effectiveStrides(b)
        for axis in 0..<rank where outShape[axis] != 1 {
            if let last = dims.last,
               sa.last! == fa[axis] * outShape[axis], sb.last! == fb[axis] * outShape[axis] {
                dims[dims.count - 1] = last * outShape[axis]
                sa[sa.count - 1] = fa[axis]
                sb[sb.count - 1] = fb[axis]
            } else {
                dims.append(outShape[axis])
                sa.append(fa[axis])
                sb.append(fb[axis])
            }
        }
        if dims.isEmpty { dims = [1]; sa = [0]; sb = [0] }
        self.dims = dims
        self.aStrides = sa
        self.bStrides = sb
    }

    /// Offsets of the first element of outer row `row` (all axes but the last).
    @inlinable
    func rowOffsets(_ row: Int) -> (Int, Int) {
        var remaining = row
        var oa = 0
        var ob = 0
        for axis in stride(from: dims.count - 2, through: 0, by: -1) {
            let i = remaining % dims[axis]
            remaining /= dims[axis]
            oa += i * aStrides[axis]
            ob += i * bStrides[axis]
        }
        return (oa, ob)
    }
}

/// A scalar function of two floats, specialised into the broadcast loop.
public protocol BinaryKernel {
    static func apply(_ a: Float, _ b: Float) -> Float
}

/// A scalar function of one float.
public protocol UnaryKernel {
    static func apply(_ x: Float) -> Float
}

extension Tensor {
    /// `K.apply(a, b)` elementwise with NumPy broadcasting, into a new contiguous tensor.
    @inlinable
    public static func mapBinary<K: BinaryKernel>(_ a: Tensor, _ b: Tensor, _ kernel: K.Type) -> Tensor {
        guard let outShape = Shape.broadcast(a.shape, b.shape) else {
            preconditionFailure("shapes \(a.shape) and \(b.shape) do not broadcast")
        }
        let plan = BroadcastPlan(outShape: outShape, a: a, b: b)
        let inner = plan.dims.last!
        let rows = plan.dims.dropLast().reduce(1, *)
        let sa = plan.aStrides.last!
        let sb = plan.bStrides.last!
        let pa = a.basePointer
        let pb = b.basePointer
        return Tensor(shape: outShape) { out, _ in
            @inline(__always)
            func run(_ o: UnsafeMutablePointer<Float>, _ x: UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
                if sa == 1 && sb == 1 {
                    for i in 0..<n { o[i] = K.apply(x[i], y[i]) }
                } else if sa == 1 && sb == 0 {
                    let v = y.pointee
                    for i in 0..<n { o[i] = K.apply(x[i], v) }
                } else if sa == 0 && sb == 1 {
                    let v = x.pointee
                    for i in 0..<n { o[i] = K.apply(v, y[i]) }
                } else {
                    // i < n and the strides come from the tensors' shapes: the products cannot overflow.
                    for i in 0..<n { o[i] = K.apply(x[i &* sa], y[i &* sb]) }
                }
            }
            if rows == 1 {
                Parallel.forRanges(inner, minimumPerWorker: 32_768) { range in
                    run(out + range.lowerBound, pa + range.lowerBound * sa, pb + range.lowerBound * sb, range.count)
                }
            } else {
                Parallel.forRows(rows, rowLength: inner) { range in
                    for row in range {
                        let (oa, ob) = plan.rowOffsets(row)
                        run(out + row * inner, pa + oa, pb + ob, inner)
                    }
                }
            }
        }
    }

    /// `K.apply(x)` elementwise into a new contiguous tensor.
    @inlinable
    public static func mapUnary<K: UnaryKernel>(_ x: Tensor, _ kernel: K.Type) -> Tensor {
        let source = x.contiguous()
        return withExtendedLifetime(source) {
            let input = source.basePointer
            return Tensor(shape: x.shape) { out, count in
                Parallel.forRanges(count, minimumPerWorker: 32_768) { range in
                    for i in range { out[i] = K.apply(input[i]) }
                }
            }
        }
    }
}
