import Foundation
import M2FAudio
import M2FEngine
import M2FFace

/// A live animation session: push audio as it arrives, read frames from `frames` as they are made.
///
/// ```swift
/// let stream = try await pipeline.stream(style: .emotion(.happy, intensity: 0.6))
/// let reader = Task { for try await frame in stream.frames { send(frame.weights, frame.headPose, at: frame.time) } }
/// for await chunk in microphone { try await stream.push(chunk) }          // 16 kHz mono, any chunk size
/// try await stream.setStyle(.text("calm and serious"))                     // blended over blendSeconds
/// try await stream.finish()                                                // the tail, then `frames` ends
/// try await reader.value
/// ```
/// Frames come out in hops (`StreamConfiguration`): a hop is animated as soon as the audio reaches its
/// look-ahead, on the pipeline's models, with the frames already emitted as fixed context, so the motion
/// continues without seams. The same audio, options and seed give the same frames whatever the chunk
/// sizes. `push` returns once the hops its audio completes are emitted, which paces a producer that is
/// faster than the models; pushes from several tasks are taken in turn. `frames` buffers what the
/// reader has not taken yet.
public actor AnimationStream {
    /// The frames, in order; finishes after `finish()`, or with the error that stopped the session.
    public nonisolated let frames: AsyncThrowingStream<StreamFrame, any Error>
    public nonisolated let configuration: StreamConfiguration
    /// Frames per second of the output (the model's, 30).
    public nonisolated let fps: Double
    /// What the session has done so far.
    public private(set) var statistics = StreamStatistics()

    private let continuation: AsyncThrowingStream<StreamFrame, any Error>.Continuation
    private let engine: AnimationEngine
    private let schedule: StreamSchedule
    private var options: AnimationOptions
    /// Guidance (audio, style) blends from `from` to `options`' values over the frames from `start`.
    private var guidanceFrom: (Float, Float)
    private var guidanceStart = 0
    /// Style segments in seconds from the stream's start; the open one ends at `openEnd`.
    private var segments: [StyleSegment]
    /// Audio not yet consumed, from stream sample `audioBase` on.
    private var audio: [Float] = []
    private var audioBase = 0
    private var resampler: StreamingResampler?
    /// Each frame's initial noise, the offline sampler's for the same seed.
    private var noise: FrameNoise
    /// Adds blinks where the model leaves long gaps (`AnimationOptions.addsBlinks`), as offline runs do.
    private var blinkKeeper: BlinkKeeper?
    /// The next frame to emit, and the normalised frames emitted just before it (at most `context`).
    private var nextFrame = 0
    private var history: Tensor?
    /// The previous hop's frames after its hop (its look-ahead), in the order made.
    private struct LookAheadPrediction {
        var frames: [Int]
        var weights: [Float]
        var poses: [Float]
        var normalized: [Float]
    }
    private var lookAheadPrediction: LookAheadPrediction?
    private var totalFrames: Int?
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var failure: (any Error)?

    static let openEnd = 1e9

    /// The style in force (its words' dials before `options.speaking` overrides them).
    private var style: ResolvedStyle

    init(engine: AnimationEngine, style: ResolvedStyle, options: AnimationOptions, configuration: StreamConfiguration) {
        self.engine = engine
        self.configuration = configuration
        self.options = options
        fps = engine.fps
        schedule = StreamSchedule(configuration: configuration, fps: engine.fps)
        noise = FrameNoise(seed: options.seed, width: engine.frameSize)
        blinkKeeper = BlinkKeeper.forRequest(options)
        guidanceFrom = (options.audioGuidance, options.styleGuidance)
        self.style = style
        let speaking = options.speaking.overriding(style.speaking)
        segments = style.condition == .none && speaking == .neutral ? []
            : [StyleSegment(start: 0, end: Self.openEnd, fade: configuration.blendSeconds, condition: style.condition, speaking: speaking)]
        (frames, continuation) = AsyncThrowingStream.makeStream(of: StreamFrame.self)
    }

    /// Appends 16 kHz mono samples (any count, values in about [-1, 1]) and animates the hops they complete.
    /// - Throws: `PipelineError.streamFinished` after `finish()`, `.invalidStreamAudio` for non-finite
    ///   samples, the error that stopped the session, or `CancellationError`.
    public func push(_ samples: [Float]) async throws {
        try accept(samples, sampleRate: StreamSchedule.sampleRate)
        try await process()
    }

    /// Appends mono samples at `sampleRate` Hz, resampled to 16 kHz as they arrive (the same result as
    /// resampling the whole recording). One session takes one rate.
    public func push(_ samples: [Float], sampleRate: Int) async throws {
        try accept(samples, sampleRate: sampleRate)
        try await process()
    }

    /// Changes the style from the next frame to emit on, blended over `configuration.blendSeconds`.
    public func setStyle(_ style: StyleSpecification) async throws {
        try checkOpen()
        switchStyle(to: try await engine.condition(for: style, rawText: options.rawTextEmbedding))
    }

    /// Changes the speaking-style dials (`SpeakingDials`; unset ones follow the style's words) from the
    /// next frame to emit on, blended over `configuration.blendSeconds`.
    /// - Throws: `PipelineError.invalidOption` for a dial out of range, or after `finish()`.
    public func setSpeakingStyle(_ dials: SpeakingDials) throws {
        try checkOpen()
        var changed = options
        changed.speaking = dials
        try changed.validate()
        options = changed
        switchStyle(to: style)
    }

    private func switchStyle(to resolved: ResolvedStyle) {
        style = resolved
        let speaking = options.speaking.overriding(resolved.speaking)
        let half = configuration.blendSeconds / 2
        let boundary = Double(nextFrame) / fps + half
        segments = segments.compactMap { segment in
            guard segment.end > boundary else { return segment }
            guard segment.start < boundary else { return nil }
            var ended = segment
            ended.end = boundary
            return ended
        }
        if resolved.condition != .none || speaking != .neutral {
            segments.append(StyleSegment(start: boundary, end: Self.openEnd, fade: configuration.blendSeconds,
                                         condition: resolved.condition, speaking: speaking))
        }
    }

    /// Changes the guidance scales (0 … 20), blended linearly from the next frame over `blendSeconds`.
    public func setGuidance(audio: Float, style: Float) throws {
        try checkOpen()
        var changed = options
        changed.audioGuidance = audio
        changed.styleGuidance = style
        try changed.validate()
        guidanceFrom = guidance(at: nextFrame)
        guidanceStart = nextFrame
        options = changed
    }

    /// Ends the audio: animates the remaining frames (the look-ahead of the last ones is silence), then
    /// finishes `frames`. Calling it again does nothing.
    public func finish() async throws {
        if let failure { throw failure }
        if totalFrames == nil {
            if resampler != nil {
                let tail = resampler!.finish()
                audio += tail
                statistics.samplesReceived += tail.count
            }
            totalFrames = schedule.frameCount(samples: statistics.samplesReceived)
        }
        do {
            try await process()
        } catch {
            continuation.finish(throwing: error)
            throw error
        }
        continuation.finish()
    }

    // MARK: - Work

    private func checkOpen() throws {
        if let failure { throw failure }
        guard totalFrames == nil else { throw PipelineError.streamFinished }
    }

    private func accept(_ samples: [Float], sampleRate: Int) throws {
        try checkOpen()
        guard samples.allSatisfy(\.isFinite) else { throw PipelineError.invalidStreamAudio(problem: "the chunk holds NaN or infinite samples") }
        if sampleRate == StreamSchedule.sampleRate && resampler == nil {
            audio += samples
            statistics.samplesReceived += samples.count
            return
        }
        guard (8_000...384_000).contains(sampleRate) else {
            throw PipelineError.invalidStreamAudio(problem: "sample rate \(sampleRate) Hz is outside 8000 … 384000 Hz")
        }
        if resampler == nil {
            guard statistics.samplesReceived == 0 else {
                throw PipelineError.invalidStreamAudio(problem: "the stream started at 16000 Hz; one session takes one rate")
            }
            resampler = StreamingResampler(from: sampleRate)
        }
        guard resampler!.sourceRate == sampleRate else {
            throw PipelineError.invalidStreamAudio(problem: "the stream started at \(resampler!.sourceRate) Hz, this chunk is \(sampleRate) Hz; one session takes one rate")
        }
        let converted = resampler!.push(samples)
        audio += converted
        statistics.samplesReceived += converted.count
    }

    /// Runs every hop the audio allows. A call that finds another one running waits for it instead
    /// (that one's loop also covers the newer audio).
    private func process() async throws {
        if busy {
            await withCheckedContinuation { waiters.append($0) }
            if let failure { throw failure }
            return
        }
        busy = true
        defer {
            busy = false
            let waiting = waiters
            waiters = []
            for waiter in waiting { waiter.resume() }
        }
        do {
            while let start = readyHop() { try await runHop(start) }
        } catch {
            failure = error
            continuation.finish(throwing: error)
            throw error
        }
    }

    private func readyHop() -> Int? {
        if let totalFrames { return nextFrame < totalFrames ? nextFrame : nil }
        return statistics.samplesReceived >= schedule.audioEnd(hopStart: nextFrame) ? nextFrame : nil
    }

    private func runHop(_ start: Int) async throws {
        let window = schedule.window(hopStart: start)
        let first = schedule.audioStart(hopStart: start)
        let samples = schedule.hopAudio(hopStart: start, audio: audio, base: audioBase)

        let (audioGuidance, styleGuidance) = guidance(at: start)
        let generation = GenerationOptions(sampling: SamplingOptions(steps: configuration.stepsPerHop ?? options.steps, audioGuidance: audioGuidance,
                                                                     styleGuidance: styleGuidance, seed: options.seed, overlap: 0),
                                           headPose: options.headPose)
        let style = AnimationEngine.shifted(segments, from: Double(window.lowerBound) / fps, to: Double(window.upperBound) / fps)
        let result = try await engine.streamStep(samples: samples, featureOffset: first / StreamSchedule.samplesPerFeature,
                                                 frames: window, style: style, prefix: history, noise: noise.rows(window),
                                                 options: generation)
        statistics.hops += 1
        statistics.featureSeconds += result.featureSeconds
        statistics.generationSeconds += result.generationSeconds
        statistics.decodingSeconds += result.motion.timings.decoding
        statistics.longestHopSeconds = max(statistics.longestHopSeconds, result.featureSeconds + result.generationSeconds)

        let last = min(start + schedule.hop, totalFrames ?? Int.max)
        // The first `crossFadeFrames` frames cross-fade from the previous hop's look-ahead prediction of
        // them (which continues the frames already out) to this hop's: without it the first new frame of
        // each hop jumps (twice the usual frame-to-frame speed); over the whole hop it costs closeness to
        // offline, because the older prediction saw less audio (docs/ARCHITECTURE.md, "Streaming").
        let animation = result.motion.animation
        let d = result.motion.normalizedFrames.shape[1]
        let normalized = result.motion.normalizedFrames.contiguous().toArray()
        var emitted: [Float] = []
        let now = ContinuousClock.now
        for frame in start..<last {
            let row = frame - window.lowerBound
            var weights = Array(animation.weights[(row * ARKit.count)..<((row + 1) * ARKit.count)])
            var pose = animation.headPose[row].values
            var x = Array(normalized[(row * d)..<((row + 1) * d)])
            let fade = configuration.crossFadeFrames
            if frame - start < fade, let earlier = lookAheadPrediction, let index = earlier.frames.firstIndex(of: frame) {
                let old = 1 - Float(frame - start + 1) / Float(fade + 1)
                func blend(_ new: inout [Float], _ previous: ArraySlice<Float>) {
                    for (i, value) in zip(new.indices, previous) { new[i] += old * (value - new[i]) }
                }
                blend(&weights, earlier.weights[(index * ARKit.count)..<((index + 1) * ARKit.count)])
                blend(&pose, earlier.poses[(index * 6)..<((index + 1) * 6)])
                blend(&x, earlier.normalized[(index * d)..<((index + 1) * d)])
            }
            emitted += x
            weights = weights.map { min(max($0, 0), 1) }
            blinkKeeper?.process(&weights, time: Double(frame) / fps)
            continuation.yield(StreamFrame(index: frame, time: Double(frame) / fps, weights: weights,
                                           headPose: HeadPose(values: pose), emittedAt: now))
        }
        statistics.framesEmitted += last - start
        nextFrame = start + schedule.hop
        // The look-ahead frames this hop made, for the next hop's cross-fade.
        let ahead = nextFrame..<window.upperBound
        lookAheadPrediction = ahead.isEmpty ? nil : LookAheadPrediction(
            frames: Array(ahead),
            weights: Array(animation.weights[((ahead.lowerBound - window.lowerBound) * ARKit.count)...]),
            poses: animation.headPose[(ahead.lowerBound - window.lowerBound)...].flatMap(\.values),
            normalized: Array(normalized[((ahead.lowerBound - window.lowerBound) * d)...]))
        // The last `context` emitted frames (normalised) are the next window's prefix.
        let previous = history.map { $0.contiguous().toArray() } ?? []
        let kept = Array((previous + emitted).suffix(min(schedule.context, nextFrame) * d))
        history = Tensor(kept, shape: [kept.count / d, d])
        forget()
    }

    /// Drops audio and style segments that no later hop reads (so memory stays flat).
    private func forget() {
        let keep = schedule.audioStart(hopStart: nextFrame)
        if keep > audioBase {
            let drop = min(keep - audioBase, audio.count)
            audio.removeFirst(drop)
            audioBase += drop
        }
        noise.forget(before: schedule.window(hopStart: nextFrame).lowerBound)
        let windowStart = Double(schedule.window(hopStart: nextFrame).lowerBound) / fps
        segments.removeAll { $0.end + $0.fade < windowStart }
    }

    /// The guidance scales for the hop starting at `frame`, on the blend toward the latest values.
    private func guidance(at frame: Int) -> (Float, Float) {
        let span = configuration.blendSeconds * fps
        let u = span <= 0 ? 1 : Float(min(max(Double(frame - guidanceStart) / span, 0), 1))
        return (guidanceFrom.0 + (options.audioGuidance - guidanceFrom.0) * u, guidanceFrom.1 + (options.styleGuidance - guidanceFrom.1) * u)
    }
}
