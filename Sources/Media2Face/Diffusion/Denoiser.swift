import Foundation
import M2FEngine
import M2FNeural

/// Sinusoidal embeddings (Transformer / DDPM style) for diffusion steps and frame positions.
package enum SinusoidalEmbedding {
    /// [N, C] for N values: channel i < C/2 is sin(v·ωᵢ), channel C/2 + i is cos(v·ωᵢ), ωᵢ = 10000^(−i/(C/2)).
    package static func table(_ values: [Float], width: Int) -> Tensor {
        precondition(width % 2 == 0, "sinusoidal width \(width) must be even")
        let half = width / 2
        return Tensor(shape: [values.count, width]) { p, _ in
            for (row, value) in values.enumerated() {
                for i in 0..<half {
                    let angle = Double(value) * Foundation.exp(-Foundation.log(10000.0) * Double(i) / Double(half))
                    p[row * width + i] = Float(Foundation.sin(angle))
                    p[row * width + half + i] = Float(Foundation.cos(angle))
                }
            }
        }
    }
}

/// The Media2Face denoiser: a transformer over the frames of a window that predicts the clean sequence x̂₀
/// (expression latents + head pose, normalised) from the noisy one xₜ, the step t and per-frame conditions.
///
/// Per frame: h = input_proj(xₜ) + condition + position(frame) + time_mlp(sinusoid(t)), then pre-norm
/// self-attention blocks, a final LayerNorm and output_proj. The condition of a frame is
/// audio_proj(Whisper feature at that frame) (or `null_audio` when audio is dropped) plus the style token
/// of that frame (`StyleEncoder`). Audio enters per frame, not through cross-attention: it is aligned to
/// the frames already, and the blocks cost ~15 % less (docs/ARCHITECTURE.md).
///
/// Keys: `input_proj`, `audio_proj`, `null_audio` [C], `style.*`, `time_mlp.fc1`, `time_mlp.fc2`,
/// `encoder.layers.N.*`, `encoder.norm`, `output_proj`.
package final class Media2FaceDenoiser: Module {
    package let configuration: DenoiserConfiguration
    /// `input_proj`: D → C.
    package let inputProjection: Linear
    /// `audio_proj`: 384 → C.
    package let audioProjection: Linear
    /// `null_audio` [C]: the audio condition when dropped.
    package let nullAudio: Parameter
    /// `style.*`
    package let style: StyleEncoder
    /// `time_mlp.fc1`: C → C (then SiLU).
    package let timeHidden: Linear
    /// `time_mlp.fc2`: C → C.
    package let timeOutput: Linear
    /// `encoder.layers.N.*`, `encoder.norm.*`
    package let encoder: TransformerEncoder
    /// `output_proj`: C → D (initialised to zero, so an untrained model predicts the data mean).
    package let outputProjection: Linear
    package var isTraining = false

    package init(_ configuration: DenoiserConfiguration, seed: UInt64 = 0) {
        precondition(configuration.width % configuration.numHeads == 0 && configuration.width % 2 == 0,
                     "width \(configuration.width) must be even and a multiple of \(configuration.numHeads) heads")
        self.configuration = configuration
        var generator = RandomGenerator(seed: seed)
        let c = configuration.width
        inputProjection = Linear(inputSize: configuration.frameSize, outputSize: c, generator: &generator)
        audioProjection = Linear(inputSize: configuration.audioFeatureSize, outputSize: c, generator: &generator)
        nullAudio = Parameter(Tensor.randomNormal([c], std: 0.02, generator: &generator))
        style = StyleEncoder(configuration, generator: &generator)
        timeHidden = Linear(inputSize: c, outputSize: c, generator: &generator)
        timeOutput = Linear(inputSize: c, outputSize: c, generator: &generator)
        encoder = TransformerEncoder(configuration.stack, generator: &generator)
        outputProjection = Linear(inputSize: c, outputSize: configuration.frameSize, generator: &generator)
        outputProjection.weight.assign(Tensor.zeros(outputProjection.weight.shape))
        outputProjection.bias?.assign(Tensor.zeros([configuration.frameSize]))
    }

    package var ownParameters: [(key: String, parameter: Parameter)] { [("null_audio", nullAudio)] }
    package var children: [(key: String, module: any Module)] {
        [("input_proj", inputProjection), ("audio_proj", audioProjection), ("style", style),
         ("time_mlp.fc1", timeHidden), ("time_mlp.fc2", timeOutput), ("encoder", encoder), ("output_proj", outputProjection)]
    }

    /// The audio condition [B, T, C]: audio_proj(features) where `keepAudio` is 1, `null_audio` where 0.
    /// - Parameters: features [B, T, 384]; keepAudio [B, 1, 1] of 0/1 (nil: all kept).
    package func audioCondition(features: Tensor, keepAudio: Tensor? = nil) -> Tensor {
        precondition(features.rank == 3 && features.shape[2] == configuration.audioFeatureSize,
                     "audio features \(features.shape) are not [B, T, \(configuration.audioFeatureSize)]")
        let projected = audioProjection(features)
        guard let keepAudio else { return projected }
        return projected * keepAudio + nullAudio.value.reshaped([1, 1, configuration.width]) * (1 - keepAudio)
    }

    /// The null audio condition broadcast to [B, T, C].
    package func nullAudioCondition(batch: Int, frames: Int) -> Tensor {
        nullAudio.value.reshaped([1, 1, configuration.width]).expanded(to: [batch, frames, configuration.width])
    }

    /// The step embedding [B, 1, C] for diffusion steps t (B of them).
    package func stepEmbedding(_ steps: [Int]) -> Tensor {
        let sinusoid = SinusoidalEmbedding.table(steps.map(Float.init), width: configuration.width)
        return timeOutput(timeHidden(sinusoid).silu()).unsqueezed(1)
    }

    /// x̂₀ [B, T, D] from xₜ [B, T, D], the step embedding [B or 1, 1, C] and the condition [B, T, C]
    /// (audio condition + per-frame style tokens).
    /// - Parameter padding: [B, T], 1 at padded frames (excluded as attention keys), for ragged batches.
    package func callAsFunction(noisy: Tensor, stepEmbedding: Tensor, condition: Tensor, padding: Tensor? = nil) -> Tensor {
        let (b, t) = (noisy.shape[0], noisy.shape[1])
        precondition(noisy.rank == 3 && noisy.shape[2] == configuration.frameSize,
                     "noisy input \(noisy.shape) is not [B, T, \(configuration.frameSize)]")
        precondition(condition.shape == [b, t, configuration.width], "condition \(condition.shape) is not [\(b), \(t), \(configuration.width)]")
        let positions = SinusoidalEmbedding.table((0..<t).map(Float.init), width: configuration.width).unsqueezed(0)
        let h = inputProjection(noisy) + (condition + positions) + stepEmbedding
        let mask = padding.map { AttentionMask(keyPadding: $0) } ?? .none
        return outputProjection(encoder(h, mask: mask))
    }
}
