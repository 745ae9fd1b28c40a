import Foundation

/// Where the pipeline's models are and how it treats long audio (load-time settings).
///
/// Paths default to the repository layout and the encoder cache: `Models/media2face` (the diffusion
/// model, committed), `Models/gnpfa` (the expression latent space), `$M2F_MODELS` or `~/.cache/m2f`
/// (Whisper tiny.en and MiniLM, installed by `m2f models fetch`).
public struct Media2FacePipelineConfiguration: Codable, Sendable, Equatable {
    /// Directory of the diffusion model (`config.json`, `model.safetensors`). Default: `M2F_MODEL` from
    /// the environment, else the first `Models/media2face` found from the working directory or next to
    /// the executable.
    public var modelDirectory: String?
    /// Directory of the GNPFA model. Default: `Models/gnpfa` found like the diffusion model.
    public var gnpfaDirectory: String?
    /// The pretrained-encoder cache. Default: `ModelStore`'s (`$M2F_MODELS` or `~/.cache/m2f`).
    public var encoderCache: String?
    /// Audio is animated in pieces of at most this many seconds, so memory stays bounded for
    /// hour-long files (each piece is denoised in one batch of overlapping windows). Default 600.
    public var chunkSeconds: Double
    /// Seconds shared by consecutive pieces, cross-faded. Default 4.
    public var chunkOverlapSeconds: Double
    /// Audio context given to each piece beyond its own range on both sides (seconds). Default 2.
    public var chunkContextSeconds: Double
    /// Clips shorter than this are padded with silence before encoding and trimmed after. Default 1 s.
    public var minimumSeconds: Double

    public init(modelDirectory: String? = nil, gnpfaDirectory: String? = nil, encoderCache: String? = nil,
                chunkSeconds: Double = 600, chunkOverlapSeconds: Double = 4, chunkContextSeconds: Double = 2,
                minimumSeconds: Double = 1) {
        self.modelDirectory = modelDirectory
        self.gnpfaDirectory = gnpfaDirectory
        self.encoderCache = encoderCache
        self.chunkSeconds = chunkSeconds
        self.chunkOverlapSeconds = chunkOverlapSeconds
        self.chunkContextSeconds = chunkContextSeconds
        self.minimumSeconds = minimumSeconds
    }

    /// Checks the long-audio settings.
    public func validate() throws(PipelineError) {
        guard chunkSeconds.isFinite, chunkSeconds >= 10 else {
            throw .invalidOption(name: "chunk seconds", value: "\(chunkSeconds)", allowed: "at least 10 s")
        }
        guard chunkOverlapSeconds.isFinite, chunkOverlapSeconds >= 0, chunkOverlapSeconds <= chunkSeconds / 4 else {
            throw .invalidOption(name: "chunk overlap", value: "\(chunkOverlapSeconds)", allowed: "0 … a quarter of the chunk (\(chunkSeconds / 4) s)")
        }
        guard chunkContextSeconds.isFinite, chunkContextSeconds >= 0, chunkContextSeconds <= 30 else {
            throw .invalidOption(name: "chunk context", value: "\(chunkContextSeconds)", allowed: "0 … 30 s")
        }
        guard minimumSeconds.isFinite, minimumSeconds >= 0, minimumSeconds <= 30 else {
            throw .invalidOption(name: "minimum seconds", value: "\(minimumSeconds)", allowed: "0 … 30 s")
        }
    }

    /// `relative` resolved against the working directory, then the executable's folder and its parents
    /// (so `.build/release/m2f` finds the repository's `Models/`); nil when none exists.
    public static func locate(_ relative: String) -> URL? {
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(relative)]
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(folder.appendingPathComponent(relative))
            folder = folder.deletingLastPathComponent()
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// The diffusion model's directory as configured, from `M2F_MODEL`, or found by `locate`.
    public var resolvedModelDirectory: URL? {
        if let modelDirectory { return URL(fileURLWithPath: modelDirectory) }
        if let fromEnvironment = ProcessInfo.processInfo.environment["M2F_MODEL"], !fromEnvironment.isEmpty {
            return URL(fileURLWithPath: fromEnvironment)
        }
        return Self.locate("Models/media2face")
    }

    /// The GNPFA model's directory as configured, from `M2F_GNPFA`, or found by `locate`.
    public var resolvedGNPFADirectory: URL? {
        if let gnpfaDirectory { return URL(fileURLWithPath: gnpfaDirectory) }
        if let fromEnvironment = ProcessInfo.processInfo.environment["M2F_GNPFA"], !fromEnvironment.isEmpty {
            return URL(fileURLWithPath: fromEnvironment)
        }
        return Self.locate("Models/gnpfa")
    }
}

/// Per-request run settings (the CLI's flags) with the paper's defaults.
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

    /// 4 hours: about 2.3 GB and 0.2–1 h of work. An 18-hour file (5.5 GB, an hour or more) needs --max-hours.
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
            throw .invalidOption(name: "--steps", value: "\(steps)", allowed: "1 … \(maximumSteps) (10 is the default, 25 and 50 are finer and slower)")
        }
        if let maximumSeconds, !(maximumSeconds > 0 && maximumSeconds <= 1e7) {
            throw .invalidOption(name: "--max-hours", value: "\(maximumSeconds / 3600)", allowed: "more than 0, up to 2 777 h")
        }
        for (name, value) in [("--audio-guidance", audioGuidance), ("--style-guidance", styleGuidance)] {
            guard value.isFinite, value >= 0, value <= Self.maximumGuidance else {
                throw .invalidOption(name: name, value: "\(value)",
                                     allowed: "0 … \(Int(Self.maximumGuidance)) (defaults 0.5 for audio and 1 for style; the paper uses 2.5 for audio and 1.5 for style; 0 turns the term off)")
            }
        }
    }

    var sampling: MotionSampling {
        MotionSampling(steps: steps, audioGuidance: audioGuidance, styleGuidance: styleGuidance, seed: seed, headPose: headPose)
    }
}
