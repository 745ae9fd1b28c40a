import M2FEngine
import M2FFace

/// One hop of a stream on the engine's models: speech features of the hop's audio window, then
/// `motion` over its denoising window with the emitted frames as a fixed prefix.
extension AnimationEngine {
    struct StreamStepResult: @unchecked Sendable {
        /// Motion for every frame of the window (prefix included).
        var motion: GeneratedMotion
        var featureSeconds: Double
        var generationSeconds: Double
    }

    /// - Parameters:
    ///   - samples: 16 kHz audio starting at sample `featureOffset` · 320 of the stream.
    ///   - frames: the window's frames (absolute indices).
    ///   - style: the window's style segments, times from the window's first frame.
    ///   - prefix: [P, D] normalised frames already emitted at the window's start.
    ///   - noise: [frames.count, D] the window's initial noise (`FrameNoise`).
    func streamStep(samples: [Float], featureOffset: Int, frames: Range<Int>, style: [StyleSegment], prefix: Tensor?, noise: Tensor,
                    options: GenerationOptions) throws -> StreamStepResult {
        let clock = ContinuousClock()
        let started = clock.now
        let raw = speech.features(samples: samples, positionOffset: StreamSchedule.encoderPosition(featureOffset: featureOffset, samples: samples.count))
        let features = StreamSchedule.resample(raw, featureOffset: featureOffset, frames: frames, fps: fps)
        let featured = clock.now
        let motion = try generator.generate(audioFeatures: features, style: style, prefix: prefix, noise: noise, options: options) { _, _ in
            try Task.checkCancellation()
        }
        guard motion.animation.frameCount == frames.count else {
            throw PipelineError.generatorMismatch(problem: "asked for \(frames.count) frames, got \(motion.animation.frameCount)")
        }
        return StreamStepResult(motion: motion, featureSeconds: seconds(featured - started), generationSeconds: seconds(clock.now - featured))
    }

    /// Whisper features [T, 384] at 50 Hz of 16 kHz samples (as the offline pipeline encodes a piece).
    func speechFeatures(samples: [Float], positionOffset: Int) -> Tensor { speech.features(samples: samples, positionOffset: positionOffset) }

    /// The condition of one style as the user states it (MiniLM is loaded on first text).
    func condition(for style: StyleSpecification, rawText: Bool = false) throws -> ResolvedStyle { try styles.resolve(style, rawText: rawText) }

    /// How the style vocabulary reads a text prompt.
    func reading(_ text: String) throws -> StyleReading { try styles.promptReader().read(try styles.textEncoder().embed(text)) }
}

extension Media2FacePipeline {
    /// Speech features of `samples` at `frames` (absolute frame indices), the samples starting at
    /// feature `featureOffset` (a multiple of 320 samples in): how a stream hop sees its audio, for
    /// measuring how far rolling windows drift from the offline features (`m2f bench stream`).
    /// - Parameter alignedPositions: whether the encoder positions continue the clip's (what hops do) or
    ///   start at 0 for the window.
    package func streamFeatures(samples: [Float], featureOffset: Int, frames: Range<Int>, alignedPositions: Bool = true) async -> [Float] {
        let position = alignedPositions ? StreamSchedule.encoderPosition(featureOffset: featureOffset, samples: samples.count) : 0
        let raw = await engine.speechFeatures(samples: samples, positionOffset: position)
        return StreamSchedule.resample(raw, featureOffset: featureOffset, frames: frames, fps: engine.fps).toArray()
    }

    /// Frames per second of the model's motion.
    package var fps: Double { engine.fps }
}
