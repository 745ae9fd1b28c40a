import M2FEngine
import M2FFace

/// Sampling settings the pipeline passes to a generator for one clip.
public struct MotionSampling: Sendable, Equatable, Codable {
    /// DDIM steps.
    public var steps: Int
    /// sA, the audio guidance scale.
    public var audioGuidance: Float
    /// sP, the style (prompt) guidance scale.
    public var styleGuidance: Float
    public var seed: UInt64
    /// Whether the generator should produce head motion (false: a still head).
    public var headPose: Bool

    public init(steps: Int, audioGuidance: Float, styleGuidance: Float, seed: UInt64, headPose: Bool) {
        self.steps = steps
        self.audioGuidance = audioGuidance
        self.styleGuidance = styleGuidance
        self.seed = seed
        self.headPose = headPose
    }
}

/// What a generator turns into motion: F frames of speech features with the style and keyframes.
public struct MotionRequest: @unchecked Sendable {
    /// [F, 384] Whisper features at the generator's frame rate.
    public var audioFeatures: Tensor
    /// Style per time range (seconds from the first frame); empty for no style.
    public var style: [StyleSegment]
    /// Constraints at given times (seconds from the first frame).
    public var keyframes: [Keyframe]
    public var sampling: MotionSampling

    public init(audioFeatures: Tensor, style: [StyleSegment], keyframes: [Keyframe], sampling: MotionSampling) {
        precondition(audioFeatures.rank == 2, "audio features are [F, C]")
        self.audioFeatures = audioFeatures
        self.style = style
        self.keyframes = keyframes
        self.sampling = sampling
    }

    /// F.
    public var frameCount: Int { audioFeatures.shape[0] }
}

/// F frames of generated motion.
public struct GeneratedFrames: Sendable, Equatable {
    /// F × 52 ARKit weights, frame-major, canonical order, in [0, 1].
    public var weights: [Float]
    /// F head poses (identity when head pose is off).
    public var headPose: [HeadPose]

    public init(weights: [Float], headPose: [HeadPose]) {
        precondition(weights.count == headPose.count * ARKit.count, "F × 52 weights for F poses")
        self.weights = weights
        self.headPose = headPose
    }

    public var frameCount: Int { headPose.count }
}

/// The generation stage of the pipeline: speech features and conditions → ARKit motion.
///
/// `Media2FaceGenerator` (the diffusion model in `Diffusion/`) is the implementation; a regression
/// baseline implements it too, so evaluation can run any of them through the same pipeline.
public protocol AnimationGenerating: AnyObject, Sendable {
    /// Frames per second of the features it reads and the motion it writes (30).
    var fps: Double { get }
    /// Width of the speech features it reads (384 for Whisper tiny.en).
    var audioFeatureSize: Int { get }
    /// DDIM steps the model was trained with (the largest `steps` allowed).
    var diffusionSteps: Int { get }
    /// A short identifier of the weights (name and a digest), written into the animation's metadata.
    var modelVersion: String { get }
    /// Whether speech under 30 s is encoded without padding to a Whisper window (as the model was
    /// trained); false: padded.
    var encodesNeededSpeechFramesOnly: Bool { get }
    /// - Parameter progress: (steps done, steps in all).
    func generateMotion(_ request: MotionRequest, progress: (Int, Int) -> Void) throws -> GeneratedFrames
}

extension AnimationGenerating {
    public var encodesNeededSpeechFramesOnly: Bool { false }
}
