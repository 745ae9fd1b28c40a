import M2FCheckedInput
import M2FNeural

/// What the denoiser learns to output from its conditions.
package enum DenoiserObjective: String, Codable, Sendable {
    /// Diffusion: x̂₀ from a noisy sequence xₜ and the step t (the generator).
    case diffusion
    /// The same network as a plain regressor: the noisy input is all zeros and t is fixed at T − 1,
    /// so the output depends on the conditions only (the evaluation baseline).
    case regression
}

/// Architecture of `Media2FaceDenoiser` (stored as `config.json` beside the weights).
///
/// Defaults are the shipped model's sizes, chosen by measurement on the 2-core machine
/// (docs/ARCHITECTURE.md, "Media2Face diffusion").
package struct DenoiserConfiguration: Codable, Sendable, Equatable {
    /// Z, the expression latent channels per frame (the GNPFA latent size).
    package var latentSize: Int
    /// Head pose channels per frame (yaw, pitch, roll, tx, ty, tz). Default 6.
    package var poseSize: Int
    /// Speech feature channels (Whisper tiny.en: 384).
    package var audioFeatureSize: Int
    /// Text style embedding size (MiniLM-L6: 384).
    package var textEmbeddingSize: Int
    /// Emotion labels (M2F-D: 8).
    package var emotionCount: Int
    /// Transformer width C.
    package var width: Int
    /// Self-attention blocks.
    package var numLayers: Int
    /// Attention heads (C must be a multiple).
    package var numHeads: Int
    /// MLP hidden width as a multiple of C.
    package var mlpRatio: Int
    /// N, frames per window (training crops and sampling windows).
    package var windowLength: Int
    /// Frame rate the model works at.
    package var fps: Double
    /// T, diffusion training steps of the cosine schedule.
    package var diffusionSteps: Int
    /// Diffusion or plain regression (the baseline).
    package var objective: DenoiserObjective

    package init(latentSize: Int, poseSize: Int = 6, audioFeatureSize: Int = 384, textEmbeddingSize: Int = 384,
                emotionCount: Int = 8, width: Int = 128, numLayers: Int = 4, numHeads: Int = 4, mlpRatio: Int = 4,
                windowLength: Int = 120, fps: Double = 30, diffusionSteps: Int = 500,
                objective: DenoiserObjective = .diffusion) {
        self.latentSize = latentSize
        self.poseSize = poseSize
        self.audioFeatureSize = audioFeatureSize
        self.textEmbeddingSize = textEmbeddingSize
        self.emotionCount = emotionCount
        self.width = width
        self.numLayers = numLayers
        self.numHeads = numHeads
        self.mlpRatio = mlpRatio
        self.windowLength = windowLength
        self.fps = fps
        self.diffusionSteps = diffusionSteps
        self.objective = objective
    }

    /// Every field out of its range and every broken relation (a model file is untrusted: numHeads 0
    /// divides by zero, width −128 or numLayers 10⁶ allocate without bound, fps 1e9 asks for 208 GB).
    /// Nil when the architecture can be built.
    package var rangeProblem: String? {
        var check = FieldRanges()
        check.require("latentSize", latentSize, in: 1...1024)
        check.require("poseSize", poseSize, in: 6...6)
        check.require("audioFeatureSize", audioFeatureSize, in: 1...4096)
        check.require("textEmbeddingSize", textEmbeddingSize, in: 1...4096)
        check.require("emotionCount", emotionCount, in: 1...256)
        check.require("width", width, in: 1...4096)
        check.require("numLayers", numLayers, in: 1...64)
        check.require("numHeads", numHeads, in: 1...64)
        check.require("mlpRatio", mlpRatio, in: 1...16)
        check.require("windowLength", windowLength, in: 1...10_000)
        check.require("fps", fps, in: 1...240)
        check.require("diffusionSteps", diffusionSteps, in: 1...100_000)
        if check.isValid {
            check.require(width % numHeads == 0, "width \(width) must be a multiple of numHeads \(numHeads)")
        }
        return check.problem
    }

    /// A lower bound on the parameters this architecture has (its blocks' attention and MLP matrices):
    /// a weights file with fewer values cannot belong to it, which is checked before anything is allocated.
    package var minimumParameterCount: Int {
        numLayers * (4 + 2 * mlpRatio) * width * width
    }

    /// D = Z + pose channels: the size of one frame of the denoised sequence.
    package var frameSize: Int { latentSize + poseSize }

    /// The transformer stack (pre-norm self-attention blocks with a final LayerNorm).
    var stack: TransformerStackConfiguration {
        TransformerStackConfiguration(
            block: TransformerBlockConfiguration(width: width, numHeads: numHeads, mlpHiddenSize: mlpRatio * width),
            numLayers: numLayers, finalNorm: true)
    }
}
