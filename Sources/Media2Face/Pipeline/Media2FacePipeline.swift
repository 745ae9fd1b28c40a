import Foundation
import M2FAudio
import M2FFace
import M2FGNPFA

/// Where an `animate` call is, for progress bars.
public struct PipelineProgress: Sendable, Equatable {
    /// The stages of one call, in order.
    public enum Stage: String, Sendable {
        case loadingAudio = "audio", speechFeatures = "speech", styleConditions = "style", generating = "generate"
    }

    /// The stage running now.
    public var stage: Stage
    /// Units of the stage done (DDIM steps over all pieces while generating).
    public var completed: Int
    /// Units of the stage in all.
    public var total: Int
}

/// Speech in, ARKit animation out: the public façade of Media2Face, safe to share between tasks.
///
/// ```swift
/// let pipeline = try await Media2FacePipeline.load()   // models from Models/ and ~/.cache/m2f
/// let result = try await pipeline.animate(AnimationRequest(audioPath: "speech.wav", style: .text("cheerful")))
/// try AnimationExporter().write(result.animation, formats: [.csv], prefix: "out/speech", audioPath: "speech.wav")
/// ```
/// Stages: audio file → 16 kHz mono (`AudioLoader`) → Whisper features at 50 Hz → 30 fps → style
/// conditions (MiniLM text, GNPFA image, emotion) → the diffusion generator → `FaceAnimation` (52
/// weights + head pose + metadata). Audio longer than `chunkSeconds` is animated piece by piece.
///
/// The models live in one actor: calls from many tasks are safe and take turns on them (each call
/// uses every core). Cancelling the calling task stops a call between pieces and between DDIM steps
/// with `CancellationError`. Options are checked once per call; their errors are `PipelineError`.
public final class Media2FacePipeline: Sendable {
    /// Where the models came from and how long audio is cut into pieces.
    public let configuration: Media2FacePipelineConfiguration
    /// Seconds spent loading the models.
    public let loadSeconds: Double
    let engine: AnimationEngine
    let audioLoader = AudioLoader()

    init(configuration: Media2FacePipelineConfiguration, engine: AnimationEngine, loadSeconds: Double) {
        self.configuration = configuration
        self.engine = engine
        self.loadSeconds = loadSeconds
    }

    /// Animates an audio file.
    /// - Parameter progress: called from the task doing the work as each stage advances.
    /// - Throws: `PipelineError` for options out of range and unreadable audio, `RequestFileError`
    ///   for keyframes or a timeline that do not fit the clip, `CancellationError` when cancelled.
    public func animate(_ request: AnimationRequest,
                        progress: @escaping @Sendable (PipelineProgress) -> Void = { _ in }) async throws -> AnimationResult {
        try request.options.validate(maximumSteps: engine.diffusionSteps)
        try Task.checkCancellation()
        let clock = ContinuousClock()
        let started = clock.now
        progress(PipelineProgress(stage: .loadingAudio, completed: 0, total: 1))
        let clip = try loadAudio(request.audioPath)
        let loadSeconds = seconds(clock.now - started)
        var result = try await engine.animate(samples: clip.samples, source: request.audioPath, request: request,
                                              chunking: configuration, progress: progress)
        result.timings.loadAudio = loadSeconds
        return result
    }

    /// Animates 16 kHz mono samples (a dataset clip, a microphone buffer). `source` names the audio in
    /// errors and metadata; `request.audioPath` is not read.
    public func animate(samples: [Float], source: String, request: AnimationRequest,
                        progress: @escaping @Sendable (PipelineProgress) -> Void = { _ in }) async throws -> AnimationResult {
        try request.options.validate(maximumSteps: engine.diffusionSteps)
        return try await engine.animate(samples: samples, source: source, request: request, chunking: configuration, progress: progress)
    }

    /// Starts a live session on these models: push audio chunks, read frames (`AnimationStream`).
    /// - Throws: `PipelineError` for options or a configuration out of range; the style's errors (an
    ///   unreadable image, MiniLM missing).
    public func stream(style: StyleSpecification = .none, options: AnimationOptions = AnimationOptions(),
                       configuration: StreamConfiguration = StreamConfiguration()) async throws -> AnimationStream {
        try validateStream(options: options, configuration: configuration)
        let resolved = try await engine.condition(for: style, rawText: options.rawTextEmbedding)
        return AnimationStream(engine: engine, style: resolved, options: options, configuration: configuration)
    }

    /// Checks a stream's options and configuration against these models without starting it (a server
    /// refuses a bad request before it animates anything).
    public func validateStream(options: AnimationOptions, configuration: StreamConfiguration) throws(PipelineError) {
        try options.validate(maximumSteps: engine.diffusionSteps)
        // Held vowels are found over the whole clip, which a live session does not have.
        if options.singing { throw .invalidOption(name: "--singing", value: "on", allowed: "off for a live stream (singing mode needs the whole clip: m2f animate --singing)") }
        try configuration.validate(windowLength: engine.windowing.length, fps: engine.fps, diffusionSteps: engine.diffusionSteps)
    }

    /// How the style vocabulary reads a text prompt: its condition, dials and nearest anchors.
    package func readPrompt(_ text: String) async throws -> StyleReading { try await engine.reading(text) }

    /// The same models under other long-audio settings (model paths in `configuration` are ignored).
    package func reconfigured(_ configuration: Media2FacePipelineConfiguration) throws -> Media2FacePipeline {
        try configuration.validate()
        return Media2FacePipeline(configuration: configuration, engine: engine, loadSeconds: 0)
    }

    /// Frames per denoising window and frames shared by neighbouring windows.
    package var windowing: (length: Int, overlap: Int) { engine.windowing }

    /// The expression latent space the model works in (for evaluation's round-trip ceiling).
    package var expressionCoding: any ExpressionCoding { engine.coding }

    /// Decodes an audio file, with the decoder's errors turned into the façade's.
    func loadAudio(_ path: String) throws -> AudioClip {
        do {
            return try audioLoader.load(path: path)
        } catch let error {
            switch error {
            case let .ffmpegFailed(path, _, stderr):
                let detail = stderr.split(separator: "\n").last.map(String.init) ?? "ffmpeg could not decode it"
                throw PipelineError.unsupportedAudio(file: path, detail: detail.trimmingCharacters(in: .whitespaces))
            case let .notWAV(path):
                throw PipelineError.unsupportedAudio(file: path, detail: "named .wav but not a RIFF/WAVE file")
            case let .empty(path):
                throw PipelineError.emptyAudio(file: path)
            default:
                throw error
            }
        }
    }
}
