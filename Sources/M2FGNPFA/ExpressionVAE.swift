import Foundation
import M2FEngine
import M2FNeural

/// Architecture of the expression VAE.
package struct ExpressionVAEConfiguration: Codable, Sendable, Equatable {
    /// Z, latent channels per frame. Default 16 (chosen by measurement, see docs/ARCHITECTURE.md).
    package var latentSize: Int
    /// Width of the hidden layers. Default 256.
    package var hiddenSize: Int
    /// Hidden layers in the encoder and in the decoder. Default 2.
    package var hiddenLayers: Int

    package init(latentSize: Int = 16, hiddenSize: Int = 256, hiddenLayers: Int = 2) {
        self.latentSize = latentSize
        self.hiddenSize = hiddenSize
        self.hiddenLayers = hiddenLayers
    }

    /// Number of ARKit weights per frame (52).
    package static let weightCount = 52
}

/// The expression VAE of GNPFA: per frame, 52 ARKit weights ↔ a Gaussian latent of Z channels.
///
/// Encoder: 52 → hidden (SiLU) × L → 2·Z, split into the mean μ and log σ². Decoder: Z → hidden (SiLU)
/// × L → 52, then a sigmoid, so every decoded weight lies in (0, 1).
///
/// Keys: `encoder.layers.<i>.{weight, bias}` (the last layer outputs [μ, log σ²] stacked, 2·Z rows),
/// `decoder.layers.<i>.{weight, bias}`.
package final class ExpressionVAE: Module {
    package let configuration: ExpressionVAEConfiguration
    /// `encoder.*`: 52 → … → 2·Z
    package let encoder: FeedForwardStack
    /// `decoder.*`: Z → … → 52 (logits)
    package let decoder: FeedForwardStack
    package var isTraining = false

    package init(_ configuration: ExpressionVAEConfiguration, generator: inout RandomGenerator) {
        self.configuration = configuration
        let c = configuration
        let hidden = [Int](repeating: c.hiddenSize, count: c.hiddenLayers)
        encoder = FeedForwardStack(sizes: [ExpressionVAEConfiguration.weightCount] + hidden + [2 * c.latentSize], generator: &generator)
        decoder = FeedForwardStack(sizes: [c.latentSize] + hidden + [ExpressionVAEConfiguration.weightCount], generator: &generator)
    }

    package var children: [(key: String, module: any Module)] { [("encoder", encoder), ("decoder", decoder)] }

    /// [N, 52] weights → (μ [N, Z], log σ² [N, Z]).
    package func encode(_ weights: Tensor) -> (mean: Tensor, logVariance: Tensor) {
        let z = configuration.latentSize
        let out = encoder(weights)
        // log σ² is limited to [−12, 6] so that exp stays finite early in training.
        return (out.sliced(axis: 1, 0..<z), out.sliced(axis: 1, z..<(2 * z)).clamped(-12, 6))
    }

    /// [N, Z] latents → [N, 52] decoder logits (before the sigmoid).
    package func decodeLogits(_ latents: Tensor) -> Tensor { decoder(latents) }

    /// [N, Z] latents → [N, 52] weights in (0, 1).
    package func decode(_ latents: Tensor) -> Tensor { decoder(latents).sigmoid() }
}
