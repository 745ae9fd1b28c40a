import Foundation

/// How to animate one clip: the run settings (the CLI's flags) with the measured defaults (10 steps,
/// guidance 0.5 / 1), checked once by `validate` before any work.
public struct AnimationOptions: Codable, Sendable, Equatable {
    /// DDIM steps (1 … the model's training steps). Default `SamplingOptions.defaultSteps` (10).
    public var steps: Int
    /// sA, the audio guidance scale (0 … 20). Default `SamplingOptions.defaultAudioGuidance` (0.5).
    public var audioGuidance: Float
    /// sP, the style guidance scale (0 … 20). Default `SamplingOptions.defaultStyleGuidance` (1).
    public var styleGuidance: Float
    /// Seeds the sampler; the same seed and input give the same animation. Default 0.
    public var seed: UInt64
    /// Generate head motion (false: a still head). Default true.
    public var headPose: Bool
    /// Longer audio is refused before any work, with what it would take (`RunEstimate`); nil means
    /// `defaultMaximumSeconds`. The CLI's --max-hours raises it.
    public var maximumSeconds: Double?
    /// Speaking-style dials for the whole clip (`--articulation`, `--energy`, `--head-motion`); they
    /// override what a text prompt implies. Default: none set.
    public var speaking = SpeakingDials()
    /// Text prompts as their bare MiniLM embedding (the model's training input), not read through the
    /// style vocabulary (`--raw-text`; how text worked before, for comparison). Default false.
    public var rawTextEmbedding = false
    /// Singing mode (`--singing`): held sung vowels hold the mouth, vibrato does not shake the jaw
    /// (`SungVowelHold`), and loud and high notes open wider (`SungNoteOpening`). Offline animation
    /// only; speech, where no vowel is held, is left as it is. Default false.
    public var singing = false
    /// Blinks are added where the model leaves the eyes open longer than people do (`BlinkKeeper`), offline
    /// and in a stream; false (`--no-added-blinks`) keeps only the model's own. Not applied where
    /// keyframes set eyeBlink. Default true.
    public var addsBlinks = true
    /// Added to the seed of the added blinks only: a dialogue's second face blinks on its own, not in
    /// step with the first. Default 0.
    package var blinkSeedOffset: UInt64 = 0
    /// Emotion intensity enters as the model was trained (one-hot × intensity in the token) instead of
    /// as the user-facing strength of the style guidance (`StyleTimeline.guidanceStrength`). For scoring
    /// against the synthetic split, whose labels are the teacher's intensities.
    package var emotionIntensityAsTrained = false
    /// The face with no style is the trained neutral (the audio branch sees the neutral emotion's token),
    /// not the null token's average over all styles. False only to measure the difference.
    package var neutralRest = true

    /// The user's settings only: the two measurement switches above are not part of a saved request.
    private enum CodingKeys: String, CodingKey { case steps, audioGuidance, styleGuidance, seed, headPose, maximumSeconds }

    /// 4 hours: about 2 GB and 0.2–1 h of work. An 18-hour file (5.5 GB, an hour or more) needs --max-hours.
    public static let defaultMaximumSeconds: Double = 4 * 3600

    public init(steps: Int = SamplingOptions.defaultSteps, audioGuidance: Float = SamplingOptions.defaultAudioGuidance,
                styleGuidance: Float = SamplingOptions.defaultStyleGuidance, seed: UInt64 = 0, headPose: Bool = true) {
        self.steps = steps
        self.audioGuidance = audioGuidance
        self.styleGuidance = styleGuidance
        self.seed = seed
        self.headPose = headPose
    }

    /// The largest guidance scale accepted: beyond it guidance extrapolates into noise.
    public static let maximumGuidance: Float = 20

    /// Checks ranges before any work is done.
    /// - Parameter maximumSteps: the model's diffusion steps (500 for the shipped model).
    public func validate(maximumSteps: Int = 500) throws(PipelineError) {
        guard (1...maximumSteps).contains(steps) else {
            throw .invalidOption(name: "--steps", value: "\(steps)", allowed: "1 … \(maximumSteps) (10, the default, scored best on lip error and FDD; more steps are slower)")
        }
        if let maximumSeconds, !(maximumSeconds > 0 && maximumSeconds <= 1e7) {
            throw .invalidOption(name: "--max-hours", value: "\(maximumSeconds / 3600)", allowed: "more than 0, up to 2 777 h")
        }
        for (name, value, range) in speaking.settings where !range.contains(value) {
            throw .invalidOption(name: name, value: "\(value)",
                                 allowed: "\(Int(range.lowerBound)) … \(Int(range.upperBound)) (1 = as generated; docs/USAGE.md, \"Text prompts and speaking style\")")
        }
        for (name, value) in [("--audio-guidance", audioGuidance), ("--style-guidance", styleGuidance)] {
            guard value.isFinite, value >= 0, value <= Self.maximumGuidance else {
                throw .invalidOption(name: name, value: "\(value)",
                                     allowed: "0 … \(Int(Self.maximumGuidance)) (defaults 0.5 for audio and 1 for style; the paper uses 2.5 for audio and 1.5 for style; 0 turns the term off)")
            }
        }
    }

    /// The generator's settings for one piece of a clip: these options with the piece's own seed and the
    /// model's window overlap (the only place they are copied).
    func generation(piece: Int, overlap: Int) -> GenerationOptions {
        GenerationOptions(sampling: SamplingOptions(steps: steps, audioGuidance: audioGuidance, styleGuidance: styleGuidance,
                                                    seed: seed &+ UInt64(piece), overlap: overlap),
                          headPose: headPose, emotionIntensityAsTrained: emotionIntensityAsTrained, neutralRest: neutralRest)
    }
}
