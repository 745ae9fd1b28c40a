/// Matrix products through BLAS, batched with broadcasting, and the fused `linear` layer op.
extension Tensor {
    /// Matrix product over the last two axes; leading (batch) axes broadcast. A 1-D operand is not
    /// promoted: reshape it first.
    public func matmul(_ other: Tensor) -> Tensor {
        precondition(rank >= 2 && other.rank >= 2, "matmul needs rank ≥ 2, got \(shape) and \(other.shape)")
        let m = shape[rank - 2]
        let k = shape[rank - 1]
        let n = other.shape[other.rank - 1]
        precondition(other.shape[other.rank - 2] == k, "matmul: inner sizes differ in \(shape) × \(other.shape)")

        let out: Tensor
        if other.rank == 2, let flat = rowsFlattened() {
            // [..., M, K] × [K, N]: one GEMM over all rows.
            out = Tensor.product2D(flat, other).reshaped(Array(shape.dropLast()) + [n])
        } else {
            out = batchedProduct(other, m: m, n: n, k: k)
        }
        let a = self
        let b = other
        return Tensor.record("matmul", out, inputs: [a, b]) { g in
            [a.requiresGrad ? g.matmul(b.detached().transposed(-1, -2)).sum(toShape: a.shape) : nil,
             b.requiresGrad ? a.detached().transposed(-1, -2).matmul(g).sum(toShape: b.shape) : nil]
        }
    }

    /// `x · Wᵀ + b` with W laid out [out, in] as PyTorch's Linear stores it; bias optional.
    public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
        let inFeatures = weight.shape[1]
        let outFeatures = weight.shape[0]
        precondition(x.shape.last == inFeatures, "linear: input \(x.shape) does not end in \(inFeatures) (weight \(weight.shape))")
        let flat = x.rowsFlattened() ?? x.contiguous().rowsFlattened()!
        let rows = flat.shape[0]
        // Every element is written: by the bias copy (then β = 1) or by the GEMM (β = 0).
        let out = Tensor.uninitialized(Array(x.shape.dropLast()) + [outFeatures])
        let w = weight.contiguous()
        if let bias {
            precondition(bias.shape == [outFeatures], "linear: bias \(bias.shape) for \(outFeatures) outputs")
            let contiguousBias = bias.contiguous()
            withExtendedLifetime(contiguousBias) {
                let pb = contiguousBias.basePointer
                for r in 0..<rows { (out.basePointer + r * outFeatures).update(from: pb, count: outFeatures) }
            }
        }
        withExtendedLifetime((flat, w)) {
            BLAS.sgemm(MatrixOperand.describe(flat, offset: flat.offset)!,
                       MatrixOperand(pointer: w.basePointer, leadingDimension: inFeatures, transposed: true),
                       out.basePointer, m: rows, n: outFeatures, k: inFeatures, beta: bias == nil ? 0 : 1)
        }
        var inputs = [x, weight]
        if let bias { inputs.append(bias) }
        return record("linear", out, inputs: inputs) { g in
            let g2 = g.contiguous().reshaped([rows, outFeatures])
            let gx = x.requiresGrad ? product2D(g2, w.detached()).reshaped(x.shape) : nil
            let gw = weight.requiresGrad ? product2D(g2.transposed(0, 1), flat.detached()) : nil
            let gb = bias?.requiresGrad == true ? g2.sum(axis: 0) : nil
            return bias == nil ? [gx, gw] : [gx, gw, gb]
        }
    }

    /// This tensor viewed as [rows, K] when its leading axes can be merged without copying.
    func rowsFlattened() -> Tensor? {
        let k = shape[rank - 1]
        let rows = count / Swift.max(k, 1)
        if rank == 2 { return MatrixOperand.describe(self, offset: offset) == nil ? nil : self }
        // Leading axes merge when each stride equals the next stride × size (row-major over rows).
        guard strides[rank - 1] == 1 || k == 1 else { return nil }
        var expected = strides[rank - 2]
        guard expected >= k else { return nil }
        for axis in stride(from: rank - 2, through: 0, by: -1) {
            if shape[axis] != 1 && strides[axis] != expected { return nil }
            expected *= shape[axis]
        }
        return Tensor(storage: storage, shape: [rows, k], strides: [strides[rank - 2], 1], offset: offset)
    }

    /// Plain 2-D product without autograd (operands may be transposed views).
    static func product2D(_ a: Tensor, _ b: Tensor) -> Tensor {
        let m = a.shape[0]
        let k = a.shape[1]
        let n = b.shape[1]
        let ac = MatrixOperand.describe(a, offset: a.offset) == nil ? a.contiguous() : a
        let bc = MatrixOperand.describe(b, offset: b.offset) == nil ? b.contiguous() : b
        if m == 0 || n == 0 || k == 0 { return Tensor.zeros([m, n]) }
        let out = Tensor.uninitialized([m, n])
        withExtendedLifetime((ac, bc)) {
            BLAS.sgemm(MatrixOperand.describe(ac, offset: ac.offset)!, MatrixOperand.describe(bc, offset: bc.offset)!,
                       out.basePointer, m: m, n: n, k: k)
        }
        return out
    }

    /// Batched product over broadcast leading axes, one GEMM per batch entry.
    private func batchedProduct(_ other: Tensor, m: Int, n: Int, k: Int) -> Tensor {
        let batchA = Array(shape.dropLast(2))
        let batchB = Array(other.shape.dropLast(2))
        guard let batch = Shape.broadcast(batchA, batchB) else {
            preconditionFailure("matmul: batch shapes \(batchA) and \(batchB) do not broadcast")
        }
        var a = self.expandedView(to: batch + [m, k])
        var b = other.expandedView(to: batch + [k, n])
        if MatrixOperand.describe(a, offset: a.offset) == nil { a = a.detached().contiguous() }
        if MatrixOperand.describe(b, offset: b.offset) == nil { b = b.detached().contiguous() }
        let out = Tensor.zeros(batch + [m, n])
        let count = batch.reduce(1, *)
        if m == 0 || n == 0 || count == 0 { return out }
        let batchStridesA = Array(a.strides.dropLast(2))
        let batchStridesB = Array(b.strides.dropLast(2))
        withExtendedLifetime((a, b)) {
            // Small GEMMs gain more from one batch entry per core than from BLAS's own threads.
            let perCore = count >= Parallel.workerCount && m * n * k <= Tensor.perCoreGemmLimit
            let body: (Range<Int>) -> Void = { range in
                for index in range {
                    var remaining = index
                    var offsetA = a.offset
                    var offsetB = b.offset
                    for axis in stride(from: batch.count - 1, through: 0, by: -1) {
                        let i = remaining % batch[axis]
                        remaining /= batch[axis]
                        offsetA += i * batchStridesA[axis]
                        offsetB += i * batchStridesB[axis]
                    }
                    BLAS.sgemm(MatrixOperand.describe(a, offset: offsetA)!, MatrixOperand.describe(b, offset: offsetB)!,
                               out.basePointer + index * m * n, m: m, n: n, k: k)
                }
            }
            if perCore { Parallel.forRanges(count, body) } else { body(0..<count) }
        }
        return out
    }

    /// Largest M·N·K for which batched GEMMs run one per core (attention heads at T = 200 fall below).
    nonisolated(unsafe) public static var perCoreGemmLimit = 512 * 512 * 128

    /// Broadcast view without autograd bookkeeping (used inside kernels).
    func expandedView(to newShape: [Int]) -> Tensor {
        withoutGrad { expanded(to: newShape) }
    }
}
