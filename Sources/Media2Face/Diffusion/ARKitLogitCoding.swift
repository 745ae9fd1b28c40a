import M2FEngine
import M2FGNPFA

/// An expression coding without learning: the latent is the logit of each ARKit weight (Z = 52),
/// decode is the sigmoid. Diffusion can run directly in ARKit space with it (no GNPFA needed), and the
/// tests use it as a small, exactly invertible, non-linear decoder.
///
/// Weights are clamped to [ε, 1 − ε] before the logit, so 0 and 1 map to ±logit(1 − ε) ≈ ±6.9.
package struct ARKitLogitCoding: ExpressionCoding {
    package let epsilon: Float
    package init(epsilon: Float = 1e-3) { self.epsilon = epsilon }

    package var latentSize: Int { 52 }

    /// [N, 52] → [N, 52]: log(w / (1 − w)) of the clamped weights.
    package func encode(weights: Tensor) -> Tensor {
        precondition(weights.rank == 2 && weights.shape[1] == 52, "weights \(weights.shape) are not [N, 52]")
        let w = weights.clamped(epsilon, 1 - epsilon)
        return (w / (1 - w)).log()
    }

    /// [N, 52] → [N, 52]: sigmoid, inside [0, 1].
    package func decode(latents: Tensor) -> Tensor {
        precondition(latents.rank == 2 && latents.shape[1] == 52, "latents \(latents.shape) are not [N, 52]")
        return latents.sigmoid()
    }
}
