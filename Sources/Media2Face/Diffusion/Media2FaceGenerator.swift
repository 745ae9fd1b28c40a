import Foundation
import M2FEngine
import M2FFace
import M2FGNPFA

/// Run options of `Media2FaceGenerator.generate`.
package struct GenerationOptions: Sendable, Equatable {
    /// Steps, guidance scales, seed, windowing.
    package var sampling: SamplingOptions
    /// Whether to output the generated head pose; when false it is all zeros (a still head).
    package var headPose: Bool
    /// Emotion intensity in the token, as in training, not through the style guidance (see `AnimationOptions`).
    package var emotionIntensityAsTrained: Bool
    /// The audio guidance branch sees the neutral emotion's token instead of the null token (see
    /// `DiffusionSampler.sample(restingStyle:)`). Default true.
    package var neutralRest: Bool

    package init(sampling: SamplingOptions = SamplingOptions(), headPose: Bool = true, emotionIntensityAsTrained: Bool = false, neutralRest: Bool = true) {
        self.sampling = sampling
        self.headPose = headPose
        self.emotionIntensityAsTrained = emotionIntensityAsTrained
        self.neutralRest = neutralRest
    }
}

/// Seconds spent in each stage of one `generate` call.
package struct GenerationTimings: Sendable, Equatable, Codable {
    /// Validating input, style tokens, keyframe targets.
    package var conditioning: Double
    /// The DDIM loop (all windows, branches and steps).
    package var sampling: Double
    /// Latents → ARKit weights (GNPFA decoder) and the exact keyframe correction.
    package var decoding: Double
    package var total: Double { conditioning + sampling + decoding }
}

/// The result of `generate`: F frames at the model's frame rate, as the `FaceAnimation` that the
/// pipeline assembles and the exporter writes (one motion type from the generator to the file).
package struct GeneratedMotion: @unchecked Sendable {
    /// F frames of 52 ARKit weights (canonical order, in [0, 1]) and head pose (identity when head
    /// pose is off), at the model's frame rate; no metadata yet.
    package var animation: FaceAnimation
    /// [F, Z] expression latents (GNPFA space).
    package var latents: Tensor
    /// [F, D] the sample in the model's normalised space (latents and head pose), what a stream passes
    /// back as the `prefix` of its next window.
    package var normalizedFrames: Tensor
    package var timings: GenerationTimings

    package var fps: Double { animation.fps }
    /// [F, 52] the weights as a tensor (for numeric checks).
    package var weights: Tensor { Tensor(animation.weights, shape: [animation.frameCount, ARKit.count]) }
    /// [F, 6] the head pose as a tensor (yaw, pitch, roll, tx, ty, tz as in M2F-D).
    package var headPose: Tensor { Tensor(animation.headPose.flatMap(\.values), shape: [animation.frameCount, 6]) }
}

/// Speech (+ style, keyframes) → ARKit animation with head pose: the Media2Face diffusion generator.
///
/// ```swift
/// let generator = try Media2FaceGenerator(directory: URL(fileURLWithPath: "Models/media2face"), coding: gnpfa)
/// let features = SpeechFeatureExtractor.resample(whisperFeatures, toFPS: generator.fps)   // [F, 384]
/// let motion = try generator.generate(audioFeatures: features,
///                                     style: [StyleSegment(start: 0, end: 60, condition: .emotion(.happy, intensity: 0.7))],
///                                     keyframes: [Keyframe(time: 1.0, channels: [ARKit.index(of: "jawOpen")!: 0.5])])
/// motion.weights   // [F, 52]
/// ```
/// Everything runs on the CPU: windows × guidance branches share one forward per step (see
/// `DiffusionSampler`). `generate` is not reentrant per instance (the model is shared); use one
/// generator per thread.
package final class Media2FaceGenerator: @unchecked Sendable {
    package let configuration: DiffusionModelConfiguration
    package let denoiser: Media2FaceDenoiser
    package let normalization: FrameNormalization
    package let coding: any ExpressionCoding

    /// Loads `config.json` and `model.safetensors` from a model directory (e.g. `Models/media2face`).
    /// - Parameter coding: the expression latent space the model was trained in (the GNPFA model).
    /// - Throws: `DiffusionError.missingModelFile`, `.invalidConfiguration`, `.latentSizeMismatch`, or an
    ///   `EngineError` for a malformed or mismatched weights file.
    package convenience init(directory: URL, coding: any ExpressionCoding) throws {
        let loaded = try DiffusionModelFile.load(from: directory)
        guard loaded.configuration.denoiser.latentSize == coding.latentSize else {
            throw DiffusionError.latentSizeMismatch(path: directory.path, model: loaded.configuration.denoiser.latentSize, coding: coding.latentSize)
        }
        self.init(configuration: loaded.configuration, denoiser: loaded.denoiser, normalization: loaded.normalization, coding: coding)
    }

    package init(configuration: DiffusionModelConfiguration, denoiser: Media2FaceDenoiser, normalization: FrameNormalization,
                coding: any ExpressionCoding) {
        precondition(denoiser.configuration.latentSize == coding.latentSize, "denoiser latent \(denoiser.configuration.latentSize) vs coding \(coding.latentSize)")
        self.configuration = configuration
        self.denoiser = denoiser
        self.normalization = normalization
        self.coding = coding
        denoiser.eval()
    }

    /// The frame rate audio features must be given at and motion comes out at (30).
    package var fps: Double { denoiser.configuration.fps }

    /// One style for the whole clip.
    package func generate(audioFeatures: Tensor, style: StyleCondition, keyframes: [Keyframe] = [],
                         options: GenerationOptions = GenerationOptions(), progress: (Int, Int) throws -> Void = { _, _ in }) throws -> GeneratedMotion {
        let frames = audioFeatures.rank == 2 ? audioFeatures.shape[0] : 0
        let duration = Double(max(frames, 1)) / fps
        let segments = style == .none ? [] : [StyleSegment(start: 0, end: duration, fade: 0, condition: style)]
        return try generate(audioFeatures: audioFeatures, style: segments, keyframes: keyframes, options: options, progress: progress)
    }

    /// Generates animation for speech features.
    /// - Parameters:
    ///   - audioFeatures: [F, 384] Whisper features at `fps` (F ≥ 1 frames; any length).
    ///   - style: a style timeline (empty: no style); times in seconds.
    ///   - keyframes: constraints at given times (full frames or a few channels).
    ///   - prefix: [P, D] normalised frames that the first P frames must keep (a stream's emitted frames,
    ///     from an earlier result's `normalizedFrames`); nil for none.
    ///   - noise: [F, D] the initial noise (its first P rows also noise the prefix at every step); nil:
    ///     drawn from the seed.
    ///   - progress: (DDIM step done, steps); what it throws stops sampling after that step.
    /// - Throws: `DiffusionError` for bad features, options, style segments/conditions or keyframes.
    package func generate(audioFeatures: Tensor, style: [StyleSegment], keyframes: [Keyframe] = [], prefix: Tensor? = nil,
                         noise: Tensor? = nil, options: GenerationOptions = GenerationOptions(), progress: (Int, Int) throws -> Void = { _, _ in }) throws -> GeneratedMotion {
        let clock = ContinuousClock()
        let started = clock.now
        let model = denoiser.configuration
        guard audioFeatures.rank == 2, audioFeatures.shape[0] >= 1, audioFeatures.shape[1] == model.audioFeatureSize else {
            throw DiffusionError.invalidAudioFeatures(shape: audioFeatures.shape, expectedChannels: model.audioFeatureSize)
        }
        let features = audioFeatures.contiguous()
        let finite = withExtendedLifetime(features) {
            UnsafeBufferPointer(start: features.basePointer, count: features.count).allSatisfy(\.isFinite)
        }
        guard finite else {
            throw DiffusionError.invalidAudioFeatures(shape: audioFeatures.shape, expectedChannels: model.audioFeatureSize)
        }
        try options.sampling.validate(diffusionSteps: model.diffusionSteps, windowLength: model.windowLength)
        let f = audioFeatures.shape[0]
        let timeline = try StyleTimeline(segments: style, frameCount: f, fps: fps)
        // Emotion intensity scales the style guidance (diffusion); a regression model has no guidance
        // branches, so there it stays in the emotion token.
        let guidedIntensity = model.objective == .diffusion && !options.emotionIntensityAsTrained
        let neutralRest = options.neutralRest && model.objective == .diffusion
        if timeline.hasStyle { _ = try timeline.conditions.map(prepared) }
        // No style, neutral, or strength 0 everywhere (emotion intensity 0) push nowhere: no style branch.
        let guidance = StyleGuidance(timeline: timeline, intensityInGuidance: guidedIntensity, neutralRest: neutralRest)
        let styleTokens: Tensor? = guidance.pushes
            ? try withoutGrad { guidance.frameTokens(denoiser.style(try guidance.tokenConditions.map(prepared))) }
            : nil
        let latentNormalization = normalization.prefix(model.latentSize)
        let constraints = keyframes.isEmpty ? nil
            : try KeyframeConstraints(keyframes: keyframes, frameCount: f, fps: fps, coding: coding, latentNormalization: latentNormalization)
        let conditioned = clock.now

        let sampler = DiffusionSampler(denoiser: denoiser)
        if let prefix {
            guard prefix.rank == 2, prefix.shape[0] >= 1, prefix.shape[0] < f, prefix.shape[1] == model.frameSize else {
                throw DiffusionError.invalidOption(name: "prefix", value: "\(prefix.shape)", allowed: "[P, \(model.frameSize)] with 1 ≤ P < \(f) frames")
            }
        }
        if let noise, noise.shape != [f, model.frameSize] {
            throw DiffusionError.invalidOption(name: "noise", value: "\(noise.shape)", allowed: "[\(f), \(model.frameSize)]")
        }
        let restingStyle: Tensor? = neutralRest
            ? withoutGrad { denoiser.style([StyleCondition.emotion(.neutral, intensity: 0)]) } : nil
        let sample = try sampler.sample(audio: features, styleTokens: styleTokens,
                                        styleStrength: styleTokens != nil ? guidance.strengths : nil, restingStyle: restingStyle, keyframes: constraints,
                                        prefix: prefix.map { FramePrefix(frames: $0, noise: noise?.sliced(axis: 0, 0..<$0.shape[0]).contiguous()) },
                                        initialNoise: noise, options: options.sampling, progress: progress)
        let sampled = clock.now

        let frames = withoutGrad { normalization.denormalize(sample) }
        let latents = frames.sliced(axis: 1, 0..<model.latentSize).contiguous()
        var weights = withoutGrad { coding.decode(latents: latents) }.contiguous()
        var pose = options.headPose ? frames.sliced(axis: 1, model.latentSize..<model.frameSize).contiguous().toArray() : []
        if let speaking = timeline.speaking {
            // The dials scale the decoded motion; keyframes are snapped after, so keys stay exact and ease in.
            var values = weights.toArray()
            SpeakingStyle.apply(speaking, weights: &values, pose: &pose, poseSize: model.poseSize)
            weights = Tensor(values, shape: [f, ARKit.count])
        }
        if let constraints { weights = constraints.snapping(weights) }
        let animation = FaceAnimation(fps: fps, weights: weights.toArray(), headPose: (0..<f).map { frame in
            options.headPose ? HeadPose(values: (0..<6).map { c in c < model.poseSize ? pose[frame * model.poseSize + c] : 0 }) : .identity
        })
        let decoded = clock.now

        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
        return GeneratedMotion(animation: animation, latents: latents, normalizedFrames: sample,
                               timings: GenerationTimings(conditioning: seconds(conditioned - started), sampling: seconds(sampled - conditioned),
                                                          decoding: seconds(decoded - sampled)))
    }

    /// Checks a condition's vector sizes and normalises image codes for the style encoder.
    func prepared(_ condition: StyleCondition) throws -> StyleCondition {
        let model = denoiser.configuration
        switch condition {
        case .none:
            return .none
        case let .text(embedding):
            guard embedding.count == model.textEmbeddingSize, embedding.allSatisfy(\.isFinite) else {
                throw DiffusionError.invalidStyleCondition(problem: "a text embedding needs \(model.textEmbeddingSize) finite values (MiniLM), got \(embedding.count)")
            }
            return condition
        case let .image(code):
            guard code.count == model.latentSize, code.allSatisfy(\.isFinite) else {
                throw DiffusionError.invalidStyleCondition(problem: "an image code needs \(model.latentSize) finite values (GNPFA latent), got \(code.count)")
            }
            let normalized = normalization.prefix(model.latentSize).normalize(Tensor(code, shape: [model.latentSize]))
            return .image(code: normalized.toArray())
        case let .emotion(_, intensity):
            guard intensity.isFinite, intensity >= 0, intensity <= 1 else {
                throw DiffusionError.invalidStyleCondition(problem: "emotion intensity \(intensity) is outside [0, 1]")
            }
            return condition
        case let .blend(parts):
            let total = parts.reduce(0) { $0 + $1.weight }
            guard !parts.isEmpty, parts.allSatisfy({ $0.weight.isFinite && $0.weight >= 0 }), total > 0, total <= 1.0001,
                  !parts.contains(where: { if case .blend = $0.condition { return true } else { return false } }) else {
                throw DiffusionError.invalidStyleCondition(problem: "a blend needs parts (not blends) with weights ≥ 0 summing to (0, 1]")
            }
            return .blend(try parts.map { WeightedStyle(try prepared($0.condition), weight: $0.weight) })
        }
    }
}
