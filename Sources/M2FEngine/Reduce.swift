/// Reductions (sum, mean, max, variance) and the broadcast-undoing `sum(toShape:)` used by gradients.
extension Tensor {
    /// Sum over one axis. Reduces a contiguous [outer, n, inner] layout without copying.
    public func sum(axis: Int, keepDims: Bool = false) -> Tensor {
        let a = Shape.normalize(axis: axis, rank: rank)
        let source = contiguous()
        let outer = shape[..<a].reduce(1, *)
        let n = shape[a]
        let inner = shape[(a + 1)...].reduce(1, *)
        var keptShape = shape
        keptShape[a] = 1
        let out = withExtendedLifetime(source) {
            let p = source.basePointer
            return Tensor(shape: keptShape) { o, _ in
                if inner == 1 {
                    Parallel.forRows(outer, rowLength: n) { range in
                        for row in range {
                            o[row] = FastMath.sum(p + row * n, n)
                        }
                    }
                } else {
                    Parallel.forRows(outer, rowLength: n * inner) { range in
                        for row in range {
                            let dst = o + row * inner
                            dst.initialize(repeating: 0, count: inner)
                            for i in 0..<n {
                                let src = p + (row * n + i) * inner
                                for k in 0..<inner { dst[k] += src[k] }
                            }
                        }
                    }
                }
            }
        }
        let original = shape
        let recorded = Tensor.record("sum", out, inputs: [source]) { g in [g.expanded(to: original).contiguous()] }
        return keepDims ? recorded : recorded.squeezed(a)
    }

    /// Sum of all elements (a scalar tensor).
    public func sum() -> Tensor {
        reshaped([count]).sum(axis: 0)
    }

    /// Mean over one axis.
    public func mean(axis: Int, keepDims: Bool = false) -> Tensor {
        sum(axis: axis, keepDims: keepDims) * (1 / Float(size(axis)))
    }

    /// Mean of all elements.
    public func mean() -> Tensor { sum() * (1 / Float(count)) }

    /// Population variance over one axis.
    public func variance(axis: Int, keepDims: Bool = false) -> Tensor {
        let centered = self - mean(axis: axis, keepDims: true)
        return (centered * centered).mean(axis: axis, keepDims: keepDims)
    }

    /// Maximum over one axis; the gradient goes to the first maximal element.
    public func max(axis: Int, keepDims: Bool = false) -> Tensor {
        let a = Shape.normalize(axis: axis, rank: rank)
        let source = contiguous()
        let outer = shape[..<a].reduce(1, *)
        let n = shape[a]
        let inner = shape[(a + 1)...].reduce(1, *)
        var keptShape = shape
        keptShape[a] = 1
        var winners = [Int](repeating: 0, count: outer * inner)
        let out = withExtendedLifetime(source) {
            let p = source.basePointer
            return Tensor(shape: keptShape) { o, _ in
                for row in 0..<outer {
                    for k in 0..<inner {
                        var best = -Float.infinity
                        var bestIndex = 0
                        for i in 0..<n where p[(row * n + i) * inner + k] > best {
                            best = p[(row * n + i) * inner + k]
                            bestIndex = i
                        }
                        o[row * inner + k] = best
                        winners[row * inner + k] = bestIndex
                    }
                }
            }
        }
        let original = shape
        let chosen = winners
        let recorded = Tensor.record("max", out, inputs: [source]) { g in
            let gc = g.contiguous()
            let full = Tensor.zeros(original)
            for row in 0..<outer {
                for k in 0..<inner {
                    full.basePointer[(row * n + chosen[row * inner + k]) * inner + k] = gc.basePointer[row * inner + k]
                }
            }
            return [full]
        }
        return keepDims ? recorded : recorded.squeezed(a)
    }

    /// Sums broadcast axes away so the result has `target` shape (the gradient of broadcasting).
    public func sum(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        precondition(Shape.broadcast(target, shape) == shape, "cannot sum \(shape) down to \(target)")
        // Fast path: a trailing-suffix target such as a bias [C] under [B, T, C].
        let lead = rank - target.count
        if lead > 0, Array(shape[lead...]) == target {
            return reshaped([shape[..<lead].reduce(1, *), target.reduce(1, *)]).sum(axis: 0).reshaped(target)
        }
        var result = self
        for _ in 0..<lead { result = result.sum(axis: 0) }
        for axis in 0..<target.count where target[axis] == 1 && result.shape[axis] != 1 {
            result = result.sum(axis: axis, keepDims: true)
        }
        return result.reshaped(target)
    }
}
