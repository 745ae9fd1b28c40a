import Foundation
import M2FEngine
import M2FFace
import M2FGNPFA

/// The diffusion model as the pipeline's generation stage: `Media2FaceGenerator` behind
/// `AnimationGenerating`, with a version string for the animation's metadata.
public final class DiffusionAnimationGenerator: AnimationGenerating, @unchecked Sendable {
    public let generator: Media2FaceGenerator
    public let modelVersion: String

    public init(generator: Media2FaceGenerator, modelVersion: String) {
        self.generator = generator
        self.modelVersion = modelVersion
    }

    /// Loads the model folder with its expression coding.
    public convenience init(directory: URL, coding: any ExpressionCoding) throws {
        let generator = try Media2FaceGenerator(directory: directory, coding: coding)
        self.init(generator: generator, modelVersion: Self.version(of: directory, configuration: generator.configuration))
    }

    public var fps: Double { generator.fps }
    public var audioFeatureSize: Int { generator.denoiser.configuration.audioFeatureSize }
    public var diffusionSteps: Int { generator.denoiser.configuration.diffusionSteps }
    public var encodesNeededSpeechFramesOnly: Bool { generator.configuration.encodesNeededFramesOnly }
    /// Whether this is the regression baseline (deterministic: one pass, no noise, no guidance).
    public var isRegression: Bool { generator.denoiser.configuration.objective == .regression }
    /// Frames per denoising window and frames shared by neighbouring windows (for seam checks).
    /// The overlap is the sampler's default (24 frames for the shipped 120-frame windows), at most a
    /// fifth of the window for smaller models.
    public var windowing: (length: Int, overlap: Int) {
        let length = generator.denoiser.configuration.windowLength
        return (length, min(SamplingOptions().overlap, length / 5))
    }

    public func generateMotion(_ request: MotionRequest, progress: (Int, Int) -> Void) throws -> GeneratedFrames {
        let s = request.sampling
        var sampling = SamplingOptions()
        sampling.steps = s.steps
        sampling.audioGuidance = s.audioGuidance
        sampling.styleGuidance = s.styleGuidance
        sampling.seed = s.seed
        sampling.overlap = windowing.overlap
        let motion = try generator.generate(audioFeatures: request.audioFeatures, style: request.style, keyframes: request.keyframes,
                                            options: GenerationOptions(sampling: sampling, headPose: s.headPose), progress: progress)
        let frames = motion.weights.shape[0]
        let pose = motion.headPose.toArray()
        let width = motion.headPose.shape[1]
        return GeneratedFrames(weights: motion.weights.toArray(),
                               headPose: (0..<frames).map { f in
                                   HeadPose(values: (0..<6).map { c in c < width ? pose[f * width + c] : 0 })
                               })
    }

    /// "media2face-<folder>@<size and date of the weights>" unless the configuration names a version.
    static func version(of directory: URL, configuration: DiffusionModelConfiguration) -> String {
        if let version = configuration.training["version"] { return version }
        let weights = directory.appendingPathComponent(DiffusionModelFile.weightsName)
        let attributes = try? FileManager.default.attributesOfItem(atPath: weights.path)
        let size = (attributes?[.size] as? Int).map { String($0) } ?? "?"
        return "media2face:\(directory.lastPathComponent):\(size)"
    }
}
