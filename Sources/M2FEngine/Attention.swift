import Foundation

/// Masks for scaled dot-product attention; several may be combined.
public struct AttentionMask: Sendable {
    /// Query t may not see keys after t.
    public var causal: Bool
    /// [B, S]: 1 where the key is padding (excluded), 0 where it is real.
    public var keyPadding: Tensor?
    /// Added to the scores; broadcastable to [B, H, T, S] (e.g. [T, S] relative biases).
    public var additiveBias: Tensor?

    public init(causal: Bool = false, keyPadding: Tensor? = nil, additiveBias: Tensor? = nil) {
        self.causal = causal
        self.keyPadding = keyPadding
        self.additiveBias = additiveBias
    }

    public static let none = AttentionMask()

    /// The boolean masks as one additive tensor (0 or −∞) broadcastable to [B, 1, T, S], or nil.
    func additiveBlocking(queries t: Int, keys s: Int) -> Tensor? {
        guard causal || keyPadding != nil else { return nil }
        var batch = 1
        if let keyPadding {
            precondition(keyPadding.rank == 2 && keyPadding.shape[1] == s, "key padding mask \(keyPadding.shape) for \(s) keys")
            batch = keyPadding.shape[0]
        }
        let padding = keyPadding?.contiguous().toArray()
        return Tensor(shape: [batch, 1, t, s]) { p, _ in
            for b in 0..<batch {
                for i in 0..<t {
                    for j in 0..<s {
                        let blocked = (causal && j > i) || (padding.map { $0[b * s + j] > 0.5 } ?? false)
                        p[(b * t + i) * s + j] = blocked ? -Float.infinity : 0
                    }
                }
            }
        }
    }
}

extension Tensor {
    /// softmax(q·kᵀ/√D + masks)·v for q [B, H, T, D], k and v [B, H, S, D]; output [B, H, T, D].
    /// Queries whose keys are all masked get zeros.
    public static func scaledDotProductAttention(query q: Tensor, key k: Tensor, value v: Tensor, mask: AttentionMask = .none) -> Tensor {
        precondition(q.rank == 4 && k.rank == 4 && v.rank == 4, "attention expects [B, H, T, D]; got \(q.shape), \(k.shape), \(v.shape)")
        precondition(k.shape == v.shape && q.shape[3] == k.shape[3], "attention: key \(k.shape) and value \(v.shape) must match, and query \(q.shape) width")
        let (t, s, d) = (q.shape[2], k.shape[2], q.shape[3])
        var scores = q.matmul(k.transposed(-1, -2)) * (1 / Foundation.sqrt(Float(d)))
        if let bias = mask.additiveBias { scores = scores + bias }
        if let blocking = mask.additiveBlocking(queries: t, keys: s) { scores = scores + blocking }
        return scores.softmax().matmul(v)
    }
}
