import Foundation
import M2FAudio
import M2FEncoders
import M2FEngine
import M2FFace

/// Where an `animate` call is, for progress bars.
public struct PipelineProgress: Sendable, Equatable {
    public enum Stage: String, Sendable {
        case loadingAudio = "audio", speechFeatures = "speech", styleConditions = "style", generating = "generate"
    }

    public var stage: Stage
    public var completed: Int
    public var total: Int
}

/// Speech in, ARKit animation out: the public façade of Media2Face.
///
/// ```swift
/// let pipeline = try Media2FacePipeline()                      // models from Models/ and ~/.cache/m2f
/// let result = try pipeline.animate(AnimationRequest(audioPath: "speech.m4a", style: .text("cheerful")))
/// try AnimationExporter().write(result.animation, formats: [.csv, .glb], prefix: "out/speech", audioPath: "speech.m4a")
/// print(result.timings.total, result.realTimeFactor)
/// ```
/// Stages: audio file → 16 kHz mono (`AudioLoader`) → Whisper features at 50 Hz → 30 fps → style
/// conditions (MiniLM text, GNPFA image, emotion) → the generator → `FaceAnimation` (52 weights +
/// head pose + metadata). Audio longer than `chunkSeconds` is animated piece by piece (`ChunkPlan`).
/// One call at a time per instance: the models are shared, not copied.
public final class Media2FacePipeline: @unchecked Sendable {
    public let configuration: Media2FacePipelineConfiguration
    public let generator: any AnimationGenerating
    let speech: SpeechFeatureExtractor
    let audioLoader = AudioLoader()
    let styles: StyleResolver
    /// Seconds spent loading the models when this pipeline was made (0 when they were passed in).
    public internal(set) var loadSeconds: Double = 0

    /// - Parameters:
    ///   - textEncoder: loaded on first use of a text style when nil (from `configuration.encoderCache`).
    ///   - imageEncoder: nil when no image encoder is installed (`.image` styles then throw).
    public init(configuration: Media2FacePipelineConfiguration = Media2FacePipelineConfiguration(),
                generator: any AnimationGenerating, speechEncoder: WhisperEncoder,
                textEncoder: (any TextEncoding)? = nil, imageEncoder: (any ImageStyleEncoding)? = nil) {
        self.configuration = configuration
        self.generator = generator
        speech = SpeechFeatureExtractor(encoder: speechEncoder,
                                        shortAudio: generator.encodesNeededSpeechFramesOnly ? .encodeNeededFrames : .padToWindow)
        let store = ModelStore(root: configuration.encoderCache.map { URL(fileURLWithPath: $0) })
        let lazyText = LazyTextEncoder(preloaded: textEncoder, store: store)
        styles = StyleResolver(textEncoder: { try lazyText.get() }, imageEncoder: imageEncoder)
    }

    /// Shares this pipeline's models under another configuration (other long-audio settings).
    init(configuration: Media2FacePipelineConfiguration, sharing other: Media2FacePipeline) {
        self.configuration = configuration
        generator = other.generator
        speech = other.speech
        styles = other.styles
        loadSeconds = 0
    }

    /// A pipeline with the same models and another configuration (model paths in it are ignored).
    public func reconfigured(_ configuration: Media2FacePipelineConfiguration) -> Media2FacePipeline {
        Media2FacePipeline(configuration: configuration, sharing: self)
    }

    /// Animates an audio file.
    public func animate(_ request: AnimationRequest, progress: (PipelineProgress) -> Void = { _ in }) throws -> AnimationResult {
        try request.options.validate(maximumSteps: generator.diffusionSteps)
        try configuration.validate()
        let clock = ContinuousClock()
        let started = clock.now
        progress(PipelineProgress(stage: .loadingAudio, completed: 0, total: 1))
        let clip: AudioClip
        do {
            clip = try audioLoader.load(path: request.audioPath)
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
        let loadSeconds = seconds(clock.now - started)
        var result = try animate(samples: clip.samples, source: request.audioPath, request: request, progress: progress)
        result.timings.loadAudio = loadSeconds
        return result
    }

    /// Animates 16 kHz mono samples (a dataset clip, a microphone buffer). `source` names the audio in
    /// errors and metadata; `request.audioPath` is not read.
    public func animate(samples: [Float], source: String, request: AnimationRequest,
                        progress: (PipelineProgress) -> Void = { _ in }) throws -> AnimationResult {
        try request.options.validate(maximumSteps: generator.diffusionSteps)
        try configuration.validate()
        guard !samples.isEmpty else { throw PipelineError.emptyAudio(file: source) }
        let clock = ContinuousClock()
        var timings = PipelineTimings()
        var warnings: [String] = []
        let sampleRate = Double(WhisperLogMel.sampleRate), fps = generator.fps
        let duration = Double(samples.count) / sampleRate
        let frameCount = Keyframe.frameCount(duration: duration, fps: fps)
        let peak = samples.reduce(Float(0)) { max($0, abs($1)) }
        if peak < 1e-4 { warnings.append("the audio is silent (peak \(String(format: "%.1e", peak))): the face stays at rest") }

        // Very short clips are padded with silence so the encoder and the denoiser see a sane length.
        var audio = samples
        if duration < configuration.minimumSeconds {
            audio += [Float](repeating: 0, count: Int(configuration.minimumSeconds * sampleRate) - samples.count)
            warnings.append(String(format: "the audio is only %.2f s long; it was padded with silence to %.1f s and the result trimmed",
                                   duration, configuration.minimumSeconds))
        }
        let paddedFrames = max(frameCount, Int((Double(audio.count) / sampleRate * fps - 1e-9).rounded(.up)))

        // Style and keyframes for the whole clip, in seconds.
        var mark = clock.now
        progress(PipelineProgress(stage: .styleConditions, completed: 0, total: 1))
        let style = try styles.segments(background: request.style, timeline: request.timeline, duration: duration)
        let keyframes = try request.keyframes?.keyframes(duration: duration, fps: fps) ?? []
        timings.styleConditions = seconds(clock.now - mark)

        let plan = ChunkPlan(frameCount: paddedFrames, chunk: Int(configuration.chunkSeconds * fps),
                             overlap: Int(configuration.chunkOverlapSeconds * fps), context: Int(configuration.chunkContextSeconds * fps))
        // What the run takes, checked before the work: past a memory limit it would not fail cleanly
        // (OpenBLAS retries a failed allocation forever), and a day of audio should be asked for.
        let estimate = RunEstimate(audioSeconds: duration, plan: plan, fps: fps, steps: request.options.steps)
        let limit = request.options.maximumSeconds ?? AnimationOptions.defaultMaximumSeconds
        guard duration <= limit else { throw PipelineError.audioTooLong(file: source, estimate: estimate.summary, limitHours: limit / 3600) }
        if let shortfall = MemoryHeadroom.current().shortfall(for: estimate.peakBytes) {
            throw PipelineError.insufficientMemory(file: source, estimate: estimate.summary, limit: shortfall)
        }
        var weightSum = [Float](repeating: 0, count: paddedFrames * ARKit.count)
        var poseSum = [Float](repeating: 0, count: paddedFrames * 6)
        var blendSum = [Float](repeating: 0, count: paddedFrames)
        for piece in 0..<plan.count {
            let window = plan.context[piece]
            // Speech features for the piece's frames (with context), from its own slice of audio.
            mark = clock.now
            let first = Int((Double(window.lowerBound) * sampleRate / fps).rounded())
            let last = min(audio.count, max(first + 1, Int((Double(window.upperBound) * sampleRate / fps).rounded())))
            let raw = speech.features(samples: Array(audio[first..<last])) { done, all in
                if plan.count == 1 { progress(PipelineProgress(stage: .speechFeatures, completed: done, total: all)) }
            }
            let features = SpeechFeatureExtractor.resample(raw, toFPS: fps, frameCount: window.count)
            timings.speechFeatures += seconds(clock.now - mark)

            mark = clock.now
            let offset = Double(window.lowerBound) / fps, end = Double(window.upperBound) / fps
            var sampling = request.options.sampling
            sampling.seed = sampling.seed &+ UInt64(piece)
            let motionRequest = MotionRequest(
                audioFeatures: features,
                style: Self.shifted(style, from: offset, to: end),
                // By frame, not by time: a key in the window's last half frame belongs to the next piece.
                keyframes: keyframes.compactMap { key in
                    let frame = Int((key.time * fps).rounded())
                    return window.contains(frame) ? Keyframe(time: Double(frame - window.lowerBound) / fps, channels: key.channels) : nil
                },
                sampling: sampling)
            let motion = try generator.generateMotion(motionRequest) { step, all in
                progress(PipelineProgress(stage: .generating, completed: piece * max(all, 1) + step, total: plan.count * max(all, 1)))
            }
            guard motion.frameCount == window.count else {
                throw PipelineError.generatorMismatch(problem: "asked for \(window.count) frames, got \(motion.frameCount)")
            }
            timings.generation += seconds(clock.now - mark)

            mark = clock.now
            for frame in plan.frames[piece] {
                let local = frame - window.lowerBound
                let weight = plan.blendWeight(piece: piece, frame: frame)
                blendSum[frame] += weight
                for k in 0..<ARKit.count { weightSum[frame * ARKit.count + k] += weight * motion.weights[local * ARKit.count + k] }
                let pose = motion.headPose[local].values
                for c in 0..<6 { poseSum[frame * 6 + c] += weight * pose[c] }
            }
            timings.assembly += seconds(clock.now - mark)
        }

        mark = clock.now
        var weights = [Float](repeating: 0, count: frameCount * ARKit.count)
        var poses = [HeadPose]()
        poses.reserveCapacity(frameCount)
        for frame in 0..<frameCount {
            let inverse = 1 / max(blendSum[frame], 1e-12)
            for k in 0..<ARKit.count { weights[frame * ARKit.count + k] = weightSum[frame * ARKit.count + k] * inverse }
            poses.append(HeadPose(values: (0..<6).map { poseSum[frame * 6 + $0] * inverse }))
        }
        let metadata = Self.metadata(request: request, source: source, modelVersion: generator.modelVersion)
        let (animation, report) = try FaceAnimation(fps: fps, weights: weights, headPose: poses, metadata: metadata).validated()
        if report.clampedCount > 0 { warnings.append("\(report.clampedCount) weights outside [0, 1] were clamped") }
        timings.assembly += seconds(clock.now - mark)
        return AnimationResult(animation: animation, audioDuration: duration, timings: timings, chunkCount: plan.count, warnings: warnings)
    }

    /// Segments intersected with [start, end) and moved so that `start` becomes 0.
    static func shifted(_ segments: [StyleSegment], from start: Double, to end: Double) -> [StyleSegment] {
        segments.compactMap { segment in
            let a = max(segment.start, start), b = min(segment.end, end)
            guard b > a else { return nil }
            return StyleSegment(start: a - start, end: b - start, fade: segment.fade, condition: segment.condition)
        }
    }

    /// Provenance written into every animation (JSON and glTF keep it).
    static func metadata(request: AnimationRequest, source: String, modelVersion: String) -> [String: String] {
        let options = request.options
        var metadata: [String: String] = [
            "generator": "m2f (Media2Face-Swift)",
            "model": modelVersion,
            "audio": URL(fileURLWithPath: source).lastPathComponent,
            "seed": String(options.seed),
            "steps": String(options.steps),
            "audioGuidance": String(options.audioGuidance),
            "styleGuidance": String(options.styleGuidance),
            "headPose": options.headPose ? "on" : "off",
        ]
        switch request.style {
        case .none: break
        case let .text(text): metadata["prompt"] = text
        case let .emotion(emotion, intensity): metadata["emotion"] = emotion.rawValue; metadata["intensity"] = String(intensity)
        case let .image(path): metadata["image"] = URL(fileURLWithPath: path).lastPathComponent
        }
        if let timeline = request.timeline { metadata["styleTimeline"] = URL(fileURLWithPath: timeline.file).lastPathComponent }
        if let keyframes = request.keyframes { metadata["keyframes"] = URL(fileURLWithPath: keyframes.file).lastPathComponent }
        return metadata
    }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

/// The MiniLM encoder, loaded on first use and kept.
final class LazyTextEncoder: @unchecked Sendable {
    private var encoder: (any TextEncoding)?
    private let store: ModelStore
    private let lock = NSLock()

    init(preloaded: (any TextEncoding)?, store: ModelStore) {
        encoder = preloaded
        self.store = store
    }

    func get() throws -> any TextEncoding {
        lock.lock()
        defer { lock.unlock() }
        if let encoder { return encoder }
        let loaded = try SentenceEncoder(store: store)
        encoder = loaded
        return loaded
    }
}
