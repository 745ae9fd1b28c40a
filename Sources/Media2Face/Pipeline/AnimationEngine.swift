import Foundation
import M2FAudio
import M2FEncoders
import M2FEngine
import M2FFace
import M2FGNPFA

/// The loaded models and the two steps every entry point is made of: `conditions` (style and
/// keyframes of a clip) and `motion` (speech features of a stretch of frames → a `FaceAnimation`).
///
/// An actor, so that one `Media2FacePipeline` shared by many tasks runs one clip at a time on its
/// models (they keep no state between calls, but their modules are not written for concurrent use).
/// The offline entry point, `animate`, cuts a clip into `ChunkPlan` pieces and cross-fades them; a
/// streaming session is a second entry point over the same `motion`: one window at a time, with the
/// frames it has already emitted passed as full-frame keyframes (fixed constraints, inpainted as
/// keyframes are), so it needs no generator of its own.
actor AnimationEngine {
    let generator: Media2FaceGenerator
    let speech: SpeechFeatureExtractor
    let styles: StyleResolver
    /// "media2face:<folder>:<weights size>", or the version the model's configuration names.
    nonisolated let modelVersion: String
    /// Frames per second of the features the generator reads and the motion it writes (30).
    nonisolated let fps: Double
    /// The model's training steps: the largest `steps` allowed.
    nonisolated let diffusionSteps: Int
    /// Frames per denoising window and frames shared by neighbouring windows (for seam checks): the
    /// sampler's default overlap (24 frames for 120-frame windows), at most a fifth of smaller windows.
    nonisolated let windowing: (length: Int, overlap: Int)
    /// The expression latent space the model works in (GNPFA, or the ARKit logit coding).
    nonisolated let coding: any ExpressionCoding
    /// Values per frame of the sampler's normalised sequence (latent and head pose).
    nonisolated let frameSize: Int

    init(generator: Media2FaceGenerator, modelVersion: String, speechEncoder: sending WhisperEncoder,
         photos: sending PhotoExpressionTracker, encoderCache: String?) {
        self.generator = generator
        self.modelVersion = modelVersion
        let model = generator.denoiser.configuration
        fps = generator.fps
        diffusionSteps = model.diffusionSteps
        windowing = (model.windowLength, min(SamplingOptions().overlap, model.windowLength / 5))
        coding = generator.coding
        frameSize = model.frameSize
        speech = SpeechFeatureExtractor(encoder: speechEncoder,
                                        shortAudio: generator.configuration.encodesNeededFramesOnly ? .encodeNeededFrames : .padToWindow)
        let lazyText = LazyTextEncoder(store: ModelStore(root: encoderCache.map { URL(fileURLWithPath: $0) }))
        styles = StyleResolver(textEncoder: { try lazyText.get() }, promptReader: { try lazyText.reader() }, photos: photos)
    }

    /// Animates 16 kHz mono samples (options already validated) in `ChunkPlan` pieces.
    /// - Throws: `CancellationError` between pieces and between DDIM steps when the task is cancelled.
    func animate(samples: [Float], source: String, request: AnimationRequest, chunking: Media2FacePipelineConfiguration,
                 progress: @Sendable (PipelineProgress) -> Void) throws -> AnimationResult {
        guard !samples.isEmpty else { throw PipelineError.emptyAudio(file: source) }
        let clock = ContinuousClock()
        var timings = PipelineTimings()
        var warnings: [String] = []
        let sampleRate = Double(WhisperLogMel.sampleRate)
        let duration = Double(samples.count) / sampleRate
        let frameCount = Keyframe.frameCount(duration: duration, fps: fps)
        let peak = samples.reduce(Float(0)) { max($0, abs($1)) }
        if peak < 1e-4 { warnings.append("the audio is silent (peak \(String(format: "%.1e", peak))): the face stays at rest") }

        // Very short clips are padded with silence so the encoder and the denoiser see a sane length.
        var audio = samples
        if duration < chunking.minimumSeconds {
            audio += [Float](repeating: 0, count: Int(chunking.minimumSeconds * sampleRate) - samples.count)
            warnings.append(String(format: "the audio is only %.2f s long; it was padded with silence to %.1f s and the result trimmed",
                                   duration, chunking.minimumSeconds))
        }
        let paddedFrames = max(frameCount, Int((Double(audio.count) / sampleRate * fps - 1e-9).rounded(.up)))

        var mark = clock.now
        progress(PipelineProgress(stage: .styleConditions, completed: 0, total: 1))
        let (style, keyframes) = try conditions(request, duration: duration)
        timings.styleConditions = seconds(clock.now - mark)

        let plan = ChunkPlan(frameCount: paddedFrames, chunk: Int(chunking.chunkSeconds * fps),
                             overlap: Int(chunking.chunkOverlapSeconds * fps), context: Int(chunking.chunkContextSeconds * fps))
        // What the run takes, checked before the work: past a memory limit it would not fail cleanly
        // (OpenBLAS retries a failed allocation forever), and a day of audio should be asked for.
        let estimate = RunEstimate(audioSeconds: duration, plan: plan, fps: fps, steps: request.options.steps)
        let limit = request.options.maximumSeconds ?? AnimationOptions.defaultMaximumSeconds
        guard duration <= limit else { throw PipelineError.audioTooLong(file: source, estimate: estimate.summary, limitHours: limit / 3600) }
        if let shortfall = estimate.shortfall(in: MemoryHeadroom.current()) {
            throw PipelineError.insufficientMemory(file: source, estimate: estimate.summary, limit: shortfall)
        }
        var assembly = PieceAssembly(plan: plan)
        for piece in 0..<plan.count {
            try Task.checkCancellation()
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
            let motion = try self.motion(
                features: features, style: Self.shifted(style, from: offset, to: end),
                // By frame, not by time: a key in the window's last half frame belongs to the next piece.
                keyframes: keyframes.compactMap { key in
                    let frame = Int((key.time * fps).rounded())
                    return window.contains(frame) ? Keyframe(time: Double(frame - window.lowerBound) / fps, channels: key.channels) : nil
                },
                options: request.options.generation(piece: piece, overlap: windowing.overlap)) { step, all in
                    progress(PipelineProgress(stage: .generating, completed: piece * max(all, 1) + step, total: plan.count * max(all, 1)))
                }
            guard motion.frameCount == window.count else {
                throw PipelineError.generatorMismatch(problem: "asked for \(window.count) frames, got \(motion.frameCount)")
            }
            timings.generation += seconds(clock.now - mark)

            mark = clock.now
            assembly.add(motion, piece: piece)
            timings.assembly += seconds(clock.now - mark)
        }

        mark = clock.now
        var blended = assembly.animation(fps: fps, frameCount: frameCount)
        if request.options.singing {
            let hold = SungVowelHold()
            let runs = hold.heldVowels(samples: samples, fps: fps, frameCount: frameCount)
            // A clip without a held vowel is speech: left as it is.
            if !runs.isEmpty {
                let opening = SungNoteOpening()
                opening.apply(to: &blended, gains: opening.gains(samples: samples, fps: fps, frameCount: frameCount, heldVowels: runs))
            }
            hold.apply(to: &blended, runs: runs)
        }
        let eyes = [ARKitBlendshape.eyeBlinkLeft.index, ARKitBlendshape.eyeBlinkRight.index]
        if var keeper = BlinkKeeper.forRequest(request.options), !keyframes.contains(where: { key in eyes.contains { key.channels[$0] != nil } }) {
            keeper.apply(to: &blended)
        }
        blended.metadata = Self.metadata(request: request, source: source, modelVersion: modelVersion)
        let (animation, report) = try blended.validated()
        if report.clampedCount > 0 { warnings.append("\(report.clampedCount) weights outside [0, 1] were clamped") }
        timings.assembly += seconds(clock.now - mark)
        return AnimationResult(animation: animation, audioDuration: duration, timings: timings, chunkCount: plan.count, warnings: warnings)
    }

    /// The style segments and keyframes of a clip of `duration` seconds, in seconds from its start.
    func conditions(_ request: AnimationRequest, duration: Double) throws -> (style: [StyleSegment], keyframes: [Keyframe]) {
        let style = try styles.segments(background: request.style, timeline: request.timeline, duration: duration,
                                        dials: request.options.speaking, rawText: request.options.rawTextEmbedding)
        return (style, try request.keyframes?.keyframes(duration: duration, fps: fps) ?? [])
    }

    /// F frames of speech features [F, 384] with their conditions → F frames of motion (no metadata).
    /// Throws `CancellationError` after the DDIM step during which the task was cancelled.
    func motion(features: Tensor, style: [StyleSegment], keyframes: [Keyframe], options: GenerationOptions,
                progress: (Int, Int) -> Void) throws -> FaceAnimation {
        try generator.generate(audioFeatures: features, style: style, keyframes: keyframes, options: options) { step, all in
            progress(step, all)
            try Task.checkCancellation()
        }.animation
    }

    /// Segments intersected with [start, end) and moved so that `start` becomes 0.
    static func shifted(_ segments: [StyleSegment], from start: Double, to end: Double) -> [StyleSegment] {
        segments.compactMap { segment in
            let a = max(segment.start, start), b = min(segment.end, end)
            guard b > a else { return nil }
            return StyleSegment(start: a - start, end: b - start, fade: segment.fade, condition: segment.condition, speaking: segment.speaking)
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
        if options.singing { metadata["singing"] = "on" }
        if !options.addsBlinks { metadata["addedBlinks"] = "off" }
        switch request.style {
        case .none: break
        case let .text(text): metadata["prompt"] = text; if options.rawTextEmbedding { metadata["promptReading"] = "raw" }
        case let .emotion(emotion, intensity): metadata["emotion"] = emotion.rawValue; metadata["intensity"] = String(intensity)
        case let .image(path): metadata["image"] = URL(fileURLWithPath: path).lastPathComponent
        }
        let dials = options.speaking
        for (key, value) in [("articulation", dials.articulation), ("energy", dials.energy), ("headMotion", dials.headMotion)] {
            if let value { metadata[key] = String(value) }
        }
        if let timeline = request.timeline { metadata["styleTimeline"] = URL(fileURLWithPath: timeline.file).lastPathComponent }
        if let keyframes = request.keyframes { metadata["keyframes"] = URL(fileURLWithPath: keyframes.file).lastPathComponent }
        return metadata
    }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

/// The MiniLM encoder, loaded on first use and kept (MiniLM costs ~0.3 s to load; most runs have no
/// text). Used only inside `AnimationEngine`'s isolation.
final class LazyTextEncoder {
    private var encoder: (any TextEncoding)?
    private var promptReader: StylePromptReader?
    private let store: ModelStore

    /// The style vocabulary embedded by the encoder, made on first use and kept.
    func reader() throws -> StylePromptReader {
        if let promptReader { return promptReader }
        let cache = VocabularyEmbeddingCache(directory: store.root.appendingPathComponent("style-vocabulary"),
                                             encoderIdentity: MiniLMModel.catalogEntry.wheelSHA256)
        let made = StylePromptReader(encoder: try get(), cache: cache)
        promptReader = made
        return made
    }

    init(store: ModelStore) { self.store = store }

    func get() throws -> any TextEncoding {
        if let encoder { return encoder }
        let loaded = try SentenceEncoder(store: store)
        encoder = loaded
        return loaded
    }
}
