/// Shape-changing views (reshape, transpose, permute, expand, slice, select) and copies between layouts.
extension Tensor {
    /// The same values in row-major layout; `self` when already contiguous.
    public func contiguous() -> Tensor {
        if isContiguous { return self }
        let out = Tensor.uninitialized(shape)
        Tensor.copyElements(from: self, into: out)
        return Tensor.record("contiguous", out, inputs: [self]) { g in [g] }
    }

    /// Copies `source` into the (possibly strided) view `destination` of the same shape.
    static func copyElements(from source: Tensor, into destination: Tensor) {
        precondition(source.shape == destination.shape, "copy from \(source.shape) into \(destination.shape)")
        let plan = BroadcastPlan(outShape: destination.shape, a: destination, b: source)
        let inner = plan.dims.last!
        let rows = plan.dims.dropLast().reduce(1, *)
        let sd = plan.aStrides.last!
        let ss = plan.bStrides.last!
        let pd = destination.basePointer
        let ps = source.basePointer
        Parallel.forRows(rows, rowLength: inner) { range in
            for row in range {
                let (od, os) = plan.rowOffsets(row)
                let d = pd + od
                let s = ps + os
                if sd == 1 && ss == 1 {
                    d.update(from: s, count: inner)
                } else {
                    // Wrapping products: i < inner and the strides come from this shape, so they cannot overflow.
                    for i in 0..<inner { d[i &* sd] = s[i &* ss] }
                }
            }
        }
    }

    /// A view with a new shape of the same count; one dimension may be −1 (inferred).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var resolved = newShape
        if let unknown = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != unknown }.map(\.element).reduce(1, *)
            precondition(known > 0 && count % known == 0, "cannot reshape \(shape) to \(newShape)")
            resolved[unknown] = count / known
        }
        precondition(resolved.reduce(1, *) == count, "cannot reshape \(shape) (\(count) values) to \(newShape)")
        let source = contiguous()
        let view = Tensor(storage: source.storage, shape: resolved, offset: source.offset)
        let original = shape
        return Tensor.record("reshape", view, inputs: [source]) { g in [g.reshaped(original)] }
    }

    /// Swaps two axes (a view).
    public func transposed(_ axis0: Int, _ axis1: Int) -> Tensor {
        var order = Array(0..<rank)
        order.swapAt(Shape.normalize(axis: axis0, rank: rank), Shape.normalize(axis: axis1, rank: rank))
        return permuted(order)
    }

    /// Reorders axes: result axis i is input axis `order[i]` (a view).
    public func permuted(_ order: [Int]) -> Tensor {
        precondition(order.sorted() == Array(0..<rank), "permutation \(order) for rank \(rank)")
        let view = Tensor(storage: storage, shape: order.map { shape[$0] }, strides: order.map { strides[$0] }, offset: offset)
        var inverse = [Int](repeating: 0, count: rank)
        for (i, axis) in order.enumerated() { inverse[axis] = i }
        return Tensor.record("permute", view, inputs: [self]) { g in [g.permuted(inverse)] }
    }

    /// Broadcasts size-1 axes (and new leading axes) to `newShape` without copying (stride 0).
    public func expanded(to newShape: [Int]) -> Tensor {
        precondition(newShape.count >= rank, "cannot expand \(shape) to \(newShape)")
        let shift = newShape.count - rank
        var newStrides = [Int](repeating: 0, count: newShape.count)
        for axis in 0..<rank {
            if shape[axis] == newShape[axis + shift] {
                newStrides[axis + shift] = strides[axis]
            } else {
                precondition(shape[axis] == 1, "cannot expand \(shape) to \(newShape)")
            }
        }
        let view = Tensor(storage: storage, shape: newShape, strides: newStrides, offset: offset)
        let original = shape
        return Tensor.record("expand", view, inputs: [self]) { g in [g.sum(toShape: original)] }
    }

    /// Elements `range` along `axis` (a view).
    public func sliced(axis: Int, _ range: Range<Int>) -> Tensor {
        let a = Shape.normalize(axis: axis, rank: rank)
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[a], "slice \(range) of axis \(a) with size \(shape[a])")
        var newShape = shape
        newShape[a] = range.count
        let view = Tensor(storage: storage, shape: newShape, strides: strides, offset: offset + range.lowerBound * strides[a])
        let original = shape
        return Tensor.record("slice", view, inputs: [self]) { g in
            let full = Tensor.zeros(original)
            Tensor.copyElements(from: g, into: full.sliced(axis: a, range))
            return [full]
        }
    }

    /// Entry `index` of axis `axis`, that axis removed (a view: no copy, whatever the strides).
    public func selected(axis: Int, _ index: Int) -> Tensor {
        let a = Shape.normalize(axis: axis, rank: rank)
        precondition(index >= 0 && index < shape[a], "index \(index) of axis \(a) with size \(shape[a])")
        var newShape = shape, newStrides = strides
        newShape.remove(at: a)
        newStrides.remove(at: a)
        let view = Tensor(storage: storage, shape: newShape, strides: newStrides, offset: offset + index * strides[a])
        let original = shape
        return Tensor.record("select", view, inputs: [self]) { g in
            let full = Tensor.zeros(original)
            Tensor.copyElements(from: g, into: full.selected(axis: a, index))
            return [full]
        }
    }

    /// Inserts a size-1 axis at `axis`.
    public func unsqueezed(_ axis: Int) -> Tensor {
        var newShape = shape
        newShape.insert(1, at: axis < 0 ? axis + rank + 1 : axis)
        return reshaped(newShape)
    }

    /// Removes the size-1 axis `axis`.
    public func squeezed(_ axis: Int) -> Tensor {
        let a = Shape.normalize(axis: axis, rank: rank)
        precondition(shape[a] == 1, "squeeze of axis \(a) with size \(shape[a])")
        var newShape = shape
        newShape.remove(at: a)
        return reshaped(newShape)
    }

    /// Joins tensors along `axis`; all other sizes must agree.
    public static func concatenate(_ tensors: [Tensor], axis: Int) -> Tensor {
        precondition(!tensors.isEmpty, "concatenate needs at least one tensor")
        let first = tensors[0]
        let a = Shape.normalize(axis: axis, rank: first.rank)
        var outShape = first.shape
        outShape[a] = 0
        for t in tensors {
            var expected = first.shape
            expected[a] = t.shape[a]
            precondition(t.shape == expected, "concatenate along \(a): shape \(t.shape) does not match \(first.shape)")
            outShape[a] += t.shape[a]
        }
        let out = Tensor.uninitialized(outShape)  // every slice is written below
        var start = 0
        var ranges: [Range<Int>] = []
        for t in tensors {
            let r = start..<(start + t.shape[a])
            copyElements(from: t, into: out.sliced(axis: a, r))
            ranges.append(r)
            start = r.upperBound
        }
        return record("concatenate", out, inputs: tensors) { g in
            zip(tensors, ranges).map { t, r in t.requiresGrad ? g.sliced(axis: a, r).contiguous() : nil }
        }
    }

    /// Picks entries `indices` along `axis` (like `torch.index_select`).
    public func gathered(axis: Int, indices: [Int]) -> Tensor {
        let a = Shape.normalize(axis: axis, rank: rank)
        let source = contiguous()
        let outer = shape[..<a].reduce(1, *)
        let inner = shape[(a + 1)...].reduce(1, *)
        let n = shape[a]
        for i in indices { precondition(i >= 0 && i < n, "index \(i) out of range for axis \(a) with size \(n)") }
        var outShape = shape
        outShape[a] = indices.count
        let out = withExtendedLifetime(source) {
            let p = source.basePointer
            return Tensor(shape: outShape) { o, _ in
                for outerIndex in 0..<outer {
                    for (j, i) in indices.enumerated() {
                        (o + (outerIndex * indices.count + j) * inner).update(from: p + (outerIndex * n + i) * inner, count: inner)
                    }
                }
            }
        }
        let original = shape
        return Tensor.record("gather", out, inputs: [source]) { g in
            let gc = g.contiguous()
            let full = Tensor.zeros(original)
            withExtendedLifetime(gc) {
                let pf = full.basePointer
                let pg = gc.basePointer
                for outerIndex in 0..<outer {
                    for (j, i) in indices.enumerated() {
                        let dst = pf + (outerIndex * n + i) * inner
                        let src = pg + (outerIndex * indices.count + j) * inner
                        for k in 0..<inner { dst[k] += src[k] }
                    }
                }
            }
            return [full]
        }
    }
}
