import M2FEngine
import Media2Face

/// The training loss of Media2Face on a padded batch: simple + velocity + smoothness.
///
/// With prediction p and target x [B, L, D] and the real-frame mask m [B, L, 1]:
/// - simple = Σ m·(p − x)² / (Σ m · D), the x₀ reconstruction;
/// - velocity = the same on first differences along time, over pairs of real frames;
/// - smoothness = mean over triples of real frames of (p[t+1] − 2·p[t] + p[t−1])², the acceleration of
///   the prediction (it damps jitter; a small weight keeps it from flattening motion).
package struct DiffusionLoss: Codable, Sendable, Equatable {
    package var simpleWeight: Float
    package var velocityWeight: Float
    package var smoothnessWeight: Float
    /// Weight of frames inside bilabial phones in the simple and velocity terms (1: none). Fine-tuning
    /// on real video, whose clips have no alignment, otherwise lets lip closure on p/b/m fade.
    package var bilabialWeight: Float

    /// The paper's weights 1 / 1 / 0.01.
    package init(simpleWeight: Float = 1, velocityWeight: Float = 1, smoothnessWeight: Float = 0.01, bilabialWeight: Float = 1) {
        self.simpleWeight = simpleWeight
        self.velocityWeight = velocityWeight
        self.smoothnessWeight = smoothnessWeight
        self.bilabialWeight = bilabialWeight
    }

    private enum CodingKeys: String, CodingKey { case simpleWeight, velocityWeight, smoothnessWeight, bilabialWeight }

    /// Checkpoints written before `bilabialWeight` existed read as 1.
    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(simpleWeight: try c.decode(Float.self, forKey: .simpleWeight), velocityWeight: try c.decode(Float.self, forKey: .velocityWeight),
                  smoothnessWeight: try c.decode(Float.self, forKey: .smoothnessWeight),
                  bilabialWeight: try c.decodeIfPresent(Float.self, forKey: .bilabialWeight) ?? 1)
    }

    /// The three terms and their weighted total (each a scalar tensor with gradients).
    /// - Parameter emphasis: [B, L, 1] per-frame weights of the simple and velocity terms (nil: 1).
    package func callAsFunction(prediction p: Tensor, target x: Tensor, valid: Tensor, emphasis: Tensor? = nil) -> (total: Tensor, simple: Tensor, velocity: Tensor, smoothness: Tensor) {
        let m = valid
        precondition(p.shape == x.shape && p.rank == 3 && m.shape == [p.shape[0], p.shape[1], 1],
                     "loss: prediction \(p.shape), target \(x.shape), mask \(m.shape)")
        let (l, d) = (p.shape[1], Float(p.shape[2]))
        func maskedMean(_ value: Tensor, _ mask: Tensor) -> Tensor {
            (value * mask).sum() * (1 / (max(mask.sum().item(), 1) * d))
        }
        let weighted = emphasis.map { m * $0 } ?? m
        let simple = maskedMean((p - x).square(), weighted)
        guard l >= 3 else { return (simple * simpleWeight, simple, simple * 0, simple * 0) }
        func difference(_ y: Tensor) -> Tensor { y.sliced(axis: 1, 1..<y.shape[1]) - y.sliced(axis: 1, 0..<(y.shape[1] - 1)) }
        let pairMask = m.sliced(axis: 1, 1..<l) * m.sliced(axis: 1, 0..<(l - 1))
        let velocity = maskedMean((difference(p) - difference(x)).square(), pairMask * weighted.sliced(axis: 1, 1..<l))
        let tripleMask = pairMask.sliced(axis: 1, 1..<(l - 1)) * pairMask.sliced(axis: 1, 0..<(l - 2))
        let smoothness = maskedMean(difference(difference(p)).square(), tripleMask)
        let total = simple * simpleWeight + velocity * velocityWeight + smoothness * smoothnessWeight
        return (total, simple, velocity, smoothness)
    }
}
