import M2FEngine

/// The contract between GNPFA and everything that works in its latent space (Media2Face's diffusion,
/// keyframe editing, the image path): per-frame ARKit weights ↔ expression latents.
///
/// Shapes: N frames, 52 ARKit weights in canonical order, Z latent channels.
package protocol ExpressionCoding: Sendable {
    /// Z, the number of latent channels per frame.
    var latentSize: Int { get }
    /// [N, 52] weights in [0, 1] → [N, Z] latent means (deterministic).
    func encode(weights: Tensor) -> Tensor
    /// [N, Z] latents → [N, 52] weights, always inside [0, 1].
    func decode(latents: Tensor) -> Tensor
}
