import Foundation

/// Masks for scaled dot-product attention; several may be combined.
public struct AttentionMask: Sendable {
    /// Query t may not see keys after t.
    public var causal: Bool
    /// [B, S]: 1 where the key is padding (excluded), 0 where it is real.
    public var keyPadding: Tensor?
    /// Added to the scores; broadcastable to [B, H, T, S] (e.g. [T, S] relative biases). May need gradients.
    public var additiveBias: Tensor?

    public init(causal: Bool = false, keyPadding: Tensor? = nil, additiveBias: Tensor? = nil) {
        self.causal = causal
        self.keyPadding = keyPadding
        self.additiveBias = additiveBias
    }

    public static let none = AttentionMask()
}

extension Tensor {
    /// softmax(q·kᵀ/√D + masks)·v for q [B, H, T, D], k and v [B, H, S, D]; output [B, H, T, D].
    ///
    /// Fused per (batch, head): the scores of one head stay in cache from the GEMM through the masked
    /// softmax to the product with v, and heads are spread over the cores. The output is laid out
    /// [B, T, H, D] underneath, so merging heads afterwards (`transposed(1, 2)`) needs no copy.
    /// Queries whose keys are all masked get zeros.
    public static func scaledDotProductAttention(query q: Tensor, key k: Tensor, value v: Tensor, mask: AttentionMask = .none) -> Tensor {
        precondition(q.rank == 4 && k.rank == 4 && v.rank == 4, "attention expects [B, H, T, D]; got \(q.shape), \(k.shape), \(v.shape)")
        precondition(k.shape == v.shape && q.shape[3] == k.shape[3] && q.shape[0...1] == k.shape[0...1],
                     "attention: query \(q.shape), key \(k.shape) and value \(v.shape) do not fit")
        let (batch, heads, t, d) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3])
        let s = k.shape[2]
        let scale = 1 / Foundation.sqrt(Float(d))
        let query = q.unitColumnStride(), key = k.unitColumnStride(), value = v.unitColumnStride()
        let bias = mask.additiveBias.map { $0.expandedView(to: [batch, heads, t, s]) }
        let padding: [Float]? = mask.keyPadding.map {
            precondition($0.shape == [batch, s], "key padding mask \($0.shape) must be [\(batch), \(s)]")
            return $0.toArray()
        }
        let causal = mask.causal

        let probabilities = Tensor.uninitialized([batch, heads, t, s])
        let merged = Tensor.uninitialized([batch, t, heads, d])
        withExtendedLifetime((query, key, value, bias)) {
            do {
                Parallel.forRanges(batch * heads) { range in
                    for bh in range {
                        let (b, h) = (bh / heads, bh % heads)
                        let p = probabilities.basePointer + bh * t * s
                        BLAS.sgemm(query.headMatrix(b, h), key.headMatrix(b, h, transposed: true), p,
                                   m: t, n: s, k: d, alpha: scale)
                        for i in 0..<t {
                            let row = p + i * s
                            if let bias {
                                let base = bias.offset + b * bias.strides[0] + h * bias.strides[1] + i * bias.strides[2]
                                let stride = bias.strides[3]
                                let biasRow = bias.storage.pointer + base
                                for j in 0..<s { row[j] += biasRow[j &* stride] }
                            }
                            if causal { for j in (i + 1)..<Swift.max(i + 1, s) { row[j] = -.infinity } }
                            if let padding { for j in 0..<s where padding[b * s + j] > 0.5 { row[j] = -.infinity } }
                            FastMath.softmaxRow(row, row, s)
                        }
                        BLAS.sgemm(MatrixOperand(pointer: p, leadingDimension: s, transposed: false), value.headMatrix(b, h),
                                   merged.basePointer + (b * t * heads + h) * d, m: t, n: d, k: s, ldc: heads * d)
                    }
                }
            }
        }
        let out = merged.permuted([0, 2, 1, 3]).detached()  // [B, H, T, D] view

        var inputs = [q, k, v]
        let biasNeedsGradient = mask.additiveBias?.requiresGrad == true
        if biasNeedsGradient { inputs.append(mask.additiveBias!) }
        return record("attention", out, inputs: inputs) { g in
            let gradOut = g.unitColumnStride()
            let gq = Tensor.uninitialized([batch, heads, t, d])
            let gk = Tensor.uninitialized([batch, heads, s, d])
            let gv = Tensor.uninitialized([batch, heads, s, d])
            let gScores = Tensor.uninitialized([batch, heads, t, s])
            withExtendedLifetime((gradOut, query, key, value)) {
                do {
                    Parallel.forRanges(batch * heads) { range in
                        for bh in range {
                            let (b, h) = (bh / heads, bh % heads)
                            let p = probabilities.basePointer + bh * t * s
                            let ds = gScores.basePointer + bh * t * s
                            let pTransposed = MatrixOperand(pointer: p, leadingDimension: s, transposed: true)
                            // dV = Pᵀ·dO
                            BLAS.sgemm(pTransposed, gradOut.headMatrix(b, h), gv.basePointer + bh * s * d, m: s, n: d, k: t)
                            // dP = dO·Vᵀ, then dS = P ⊙ (dP − rowsum(dP ⊙ P))
                            BLAS.sgemm(gradOut.headMatrix(b, h), value.headMatrix(b, h, transposed: true), ds, m: t, n: s, k: d)
                            for i in 0..<t {
                                let pr = p + i * s, dr = ds + i * s
                                let dot = FastMath.dot(dr, pr, s)
                                for j in 0..<s { dr[j] = pr[j] * (dr[j] - dot) }
                            }
                            let dsMatrix = MatrixOperand(pointer: ds, leadingDimension: s, transposed: false)
                            let dsTransposed = MatrixOperand(pointer: ds, leadingDimension: s, transposed: true)
                            // dQ = scale·dS·K, dK = scale·dSᵀ·Q
                            BLAS.sgemm(dsMatrix, key.headMatrix(b, h), gq.basePointer + bh * t * d, m: t, n: d, k: s, alpha: scale)
                            BLAS.sgemm(dsTransposed, query.headMatrix(b, h), gk.basePointer + bh * s * d, m: s, n: d, k: t, alpha: scale)
                        }
                    }
                }
            }
            var gradients: [Tensor?] = [gq, gk, gv]
            if biasNeedsGradient { gradients.append(gScores.sum(toShape: mask.additiveBias!.shape)) }
            return gradients
        }
    }

    /// Storage for `shape` whose contents the caller overwrites completely.
    static func uninitialized(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape) { _, _ in }
    }

    /// Self when the last axis has stride 1 (BLAS-ready rows), else a contiguous copy.
    func unitColumnStride() -> Tensor {
        strides[rank - 1] == 1 || shape[rank - 1] == 1 ? self : withoutGrad { contiguous() }
    }

    /// The [rows, D] matrix of batch `b`, head `h` of a [B, H, rows, D] tensor with unit column stride.
    func headMatrix(_ b: Int, _ h: Int, transposed: Bool = false) -> MatrixOperand {
        let rows = shape[2], cols = shape[3]
        let rowStride = rows == 1 ? cols : strides[2]
        return MatrixOperand(pointer: storage.pointer + offset + b * strides[0] + h * strides[1],
                             leadingDimension: Swift.max(rowStride, cols), transposed: transposed)
    }
}
