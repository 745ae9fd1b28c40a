import Foundation
import M2FSystem

/// Where the pipeline's models are and how it treats long audio (load-time settings).
///
/// Paths default to the repository layout and the encoder cache: `Models/media2face` (the diffusion
/// model, committed), `Models/gnpfa` (the expression latent space), `$M2F_MODELS` or `~/.cache/m2f`
/// (Whisper tiny.en and MiniLM, installed by `m2f models fetch`).
public struct Media2FacePipelineConfiguration: Codable, Sendable, Equatable {
    /// Directory of the diffusion model (`config.json`, `model.safetensors`). Default: `M2F_MODEL` from
    /// the environment, else the first `Models/media2face` found from the working directory, next to
    /// the executable or in `PREFIX/share/m2f` (`make install`).
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

    /// `relative` found from the working directory, beside the executable (a checkout's `.build/release/m2f`
    /// finds the repository's `Models/`) or in the install's `share/m2f`; nil when none exists.
    package static func locate(_ relative: String) -> URL? {
        InstalledFiles.locate(relative)
    }

    /// The diffusion model's directory as configured, from `M2F_MODEL`, or found by `locate`.
    package var resolvedModelDirectory: URL? {
        if let modelDirectory { return URL(fileURLWithPath: modelDirectory) }
        if let fromEnvironment = ProcessInfo.processInfo.environment["M2F_MODEL"], !fromEnvironment.isEmpty {
            return URL(fileURLWithPath: fromEnvironment)
        }
        return Self.locate("Models/media2face")
    }

    /// The GNPFA model's directory as configured, from `M2F_GNPFA`, or found by `locate`.
    package var resolvedGNPFADirectory: URL? {
        if let gnpfaDirectory { return URL(fileURLWithPath: gnpfaDirectory) }
        if let fromEnvironment = ProcessInfo.processInfo.environment["M2F_GNPFA"], !fromEnvironment.isEmpty {
            return URL(fileURLWithPath: fromEnvironment)
        }
        return Self.locate("Models/gnpfa")
    }
}
