import Foundation
import M2FDataset
import M2FFace
import Media2Face

/// Everything `m2f eval --json` prints.
package struct EvaluationReport: Codable, Sendable {
    package var split: String
    package var clips: Int
    package var audio_seconds: Double
    package var steps: Int
    /// The guidance scales the model ran with (sA, sP).
    package var audio_guidance: Float
    package var style_guidance: Float
    /// Scores per subject ("media2face", "regressor", "mean_face", "latent_roundtrip").
    package var models: [String: ModelScores]
    /// Subjects that could not be evaluated, with the reason.
    package var missing: [String: String]
    package var controls: ControlsReport?
    package var seconds: Double

    package init(split: String, clips: Int, audio_seconds: Double, options: AnimationOptions, models: [String: ModelScores], missing: [String: String],
                controls: ControlsReport?, seconds: Double) {
        self.split = split
        self.clips = clips
        self.audio_seconds = audio_seconds
        self.steps = options.steps
        self.audio_guidance = options.audioGuidance
        self.style_guidance = options.styleGuidance
        self.models = models
        self.missing = missing
        self.controls = controls
        self.seconds = seconds
    }
}

/// The control measurements of the model.
package struct ControlsReport: Codable, Sendable {
    /// Emotion labels at intensity 1 ("none" is the unconditional prompt).
    package var emotion_labels: [String: ChannelMeans]
    /// Text prompts.
    package var text_prompts: [String: ChannelMeans]
    package var style_scale: [StyleScalePoint]
    package var keyframes: KeyframeCheck
    package var seam: SeamCheck
    package var steps: [StepsPoint]
}

/// Runs subjects over evaluation clips and the control measurements of a pipeline.
package struct EvaluationRunner: Sendable {
    package let clips: [EvaluationClip]
    package let settings: EvaluationSettings

    package init(clips: [EvaluationClip], settings: EvaluationSettings) {
        self.clips = clips
        self.settings = settings
    }

    /// The metrics of one subject; diversity over the first `diversityClips` clips when it is stochastic.
    package func score(_ subject: EvaluationSubject, options: AnimationOptions? = nil, clips subset: [EvaluationClip]? = nil,
                      diversity: Bool = true, progress: (Int, Int) -> Void = { _, _ in }) async throws -> ModelScores {
        let chosen = subset ?? clips
        let options = options ?? settings.options
        var accumulator = MetricAccumulator()
        let diversityCount = diversity && subject.isStochastic ? min(settings.diversityClips, chosen.count) : 0
        let total = chosen.count + diversityCount * (settings.diversitySeeds - 1)
        var done = 0
        for (index, clip) in chosen.enumerated() {
            let predicted = try await subject.animate(clip, options)
            accumulator.add(predicted: predicted, reference: clip.reference, samples: clip.samples, phones: clip.phones)
            done += 1
            progress(done, total)
            if index < diversityCount {
                var samples = [predicted]
                for seed in 1..<settings.diversitySeeds {
                    var seeded = options
                    seeded.seed = options.seed &+ UInt64(seed) &* 7919
                    samples.append(try await subject.animate(clip, seeded))
                    done += 1
                    progress(done, total)
                }
                accumulator.addDiversity(samples)
            }
        }
        return accumulator.scores
    }

    /// Emotion, text, style-scale, keyframe, seam and steps measurements on `pipeline`.
    package func controls(pipeline: Media2FacePipeline, windowLength: Int, windowOverlap: Int,
                         progress: (String, Int, Int) -> Void = { _, _, _ in }) async throws -> ControlsReport {
        let subset = Array(clips.prefix(settings.controlClips))
        let base = settings.options
        func animate(_ clip: EvaluationClip, _ style: StyleSpecification, _ options: AnimationOptions = AnimationOptions(),
                     keyframes: KeyframeFile? = nil) async throws -> FaceAnimation {
            var options = options
            options.seed = base.seed
            options.steps = base.steps
            return try await pipeline.animate(samples: clip.samples, source: clip.id,
                                              request: AnimationRequest(audioPath: clip.id, style: style, keyframes: keyframes, options: options)).animation
        }

        var labels: [String: ChannelMeans] = [:]
        for (i, (name, style)) in [("none", StyleSpecification.none), ("happy", .emotion(.happy, intensity: 1)),
                                   ("sad", .emotion(.sad, intensity: 1)), ("angry", .emotion(.angry, intensity: 1)),
                                   ("surprised", .emotion(.surprised, intensity: 1))].enumerated() {
            progress("emotion labels", i, 5)
            labels[name] = ChannelMeans(try await subset.asyncMap { try await animate($0, style) })
        }
        var prompts: [String: ChannelMeans] = [:]
        for (i, text) in ["a happy, smiling, cheerful person", "a sad, unhappy, gloomy person"].enumerated() {
            progress("text prompts", i, 2)
            prompts[text] = ChannelMeans(try await subset.asyncMap { try await animate($0, .text(text)) })
        }
        var scale: [StyleScalePoint] = []
        for (i, guidance) in [Float(0), 1.5, 3].enumerated() {
            progress("style scale", i, 3)
            var options = AnimationOptions()
            options.styleGuidance = guidance
            let happy = ChannelMeans(try await subset.asyncMap { try await animate($0, .emotion(.happy, intensity: 1), options) })
            let sad = ChannelMeans(try await subset.asyncMap { try await animate($0, .emotion(.sad, intensity: 1), options) })
            scale.append(StyleScalePoint(style_guidance: guidance, happy_smile: happy.smile, sad_frown: sad.frown, sad_brow_inner_up: sad.brow_inner_up))
        }
        progress("keyframes", 0, 1)
        let keyframes = try await keyframeCheck(subset, animate: animate)
        progress("seam", 0, 1)
        let seam = try await seamCheck(pipeline: pipeline, windowLength: windowLength, windowOverlap: windowOverlap)
        var steps: [StepsPoint] = []
        let subject = EvaluationSubject.pipeline("media2face", pipeline, conditionOnEmotion: settings.conditionOnEmotion)
        for (i, count) in [10, 25, 50].enumerated() {
            progress("steps", i, 3)
            var options = base
            options.steps = count
            let started = Date()
            let scores = try await score(subject, options: options, clips: subset, diversity: false)
            let audio = subset.reduce(0.0) { $0 + Double($1.samples.count) / 16_000 }
            steps.append(StepsPoint(steps: count, lve_mm: scores.lve_mm, lip_closure_rate: scores.lip_closure_rate, fdd: scores.fdd,
                                    seconds_per_audio_second: Date().timeIntervalSince(started) / max(audio, 1e-9)))
        }
        return ControlsReport(emotion_labels: labels, text_prompts: prompts, style_scale: scale, keyframes: keyframes, seam: seam, steps: steps)
    }

    /// Three full-frame keyframes per clip (at ¼, ½, ¾ of it, targets taken from the reference half a
    /// second later) and mouthClose = 0 held over each whole clip.
    func keyframeCheck(_ subset: [EvaluationClip],
                       animate: (EvaluationClip, StyleSpecification, AnimationOptions, KeyframeFile?) async throws -> FaceAnimation) async throws -> KeyframeCheck {
        var fullError = 0.0, fullCount = 0, partialError = 0.0, nearMax = 0.0
        var free: [Double] = []
        let mouthClose = ARKitBlendshape.mouthClose.index
        for clip in subset {
            let reference = clip.reference, fps = reference.fps
            let frames = reference.frameCount
            guard frames >= 30 else { continue }
            let targets = [0.25, 0.5, 0.75].map { position -> (frame: Int, weights: [Float]) in
                let frame = Int(Double(frames - 1) * position)
                let source = min(frames - 1, frame + Int(fps / 2))
                return (frame, Array(reference.frame(source)))
            }
            let file = KeyframeFile(file: "<eval \(clip.id)>", entries: targets.map { target in
                KeyframeSpecification(timing: .at(Double(target.frame) / fps),
                                      channels: Dictionary(uniqueKeysWithValues: target.weights.enumerated().map { ($0.offset, $0.element) }))
            })
            let keyed = try await animate(clip, .none, AnimationOptions(), file)
            let speed = velocities(keyed)
            for target in targets {
                for k in 0..<ARKit.count { fullError = max(fullError, Double(abs(keyed[target.frame, ARKitBlendshape(index: k)] - target.weights[k]))) }
                fullCount += 1
                for f in max(0, target.frame - 3)...min(speed.count - 1, target.frame + 3) { nearMax = max(nearMax, speed[f]) }
            }
            free += velocities(try await animate(clip, .none, AnimationOptions(), nil))
            let held = KeyframeFile(file: "<eval \(clip.id) mouthClose>", entries: [KeyframeSpecification(timing: .range(start: 0, end: nil), channels: [mouthClose: 0])])
            let closed = try await animate(clip, .none, AnimationOptions(), held)
            for f in 0..<closed.frameCount { partialError = max(partialError, Double(closed.weights[f * ARKit.count + mouthClose])) }
        }
        return KeyframeCheck(full_max_abs_error: fullError, full_keyframes: fullCount, partial_max_abs_error: partialError,
                             velocity_near_keyframes_max: nearMax, velocity_without_keyframes_p99: percentile(free, 0.99))
    }

    /// The test clips' audio joined (repeated as needed) to `seamSeconds`, animated in one call (the
    /// generator's overlapping windows); then its first ≤ 180 s in three pieces (the long-audio path).
    func seamCheck(pipeline: Media2FacePipeline, windowLength: Int, windowOverlap: Int) async throws -> SeamCheck {
        var audio: [Float] = []
        let target = Int(settings.seamSeconds * 16_000)
        while audio.count < target, !clips.isEmpty {
            for clip in clips where audio.count < target { audio += clip.samples.prefix(target - audio.count) }
        }
        let request = AnimationRequest(audioPath: "seam", options: settings.options)
        let long = try await pipeline.animate(samples: audio, source: "seam", request: request).animation
        let speed = velocities(long)
        let plan = WindowPlan(frameCount: long.frameCount, windowLength: windowLength, overlap: windowOverlap)
        var joins = Set<Int>()
        for k in 1..<max(plan.starts.count, 1) {
            for j in [plan.starts[k], plan.starts[k - 1] + plan.windowLength] { joins.insert(j - 1); joins.insert(j) }
        }
        joins = joins.filter { (0..<speed.count).contains($0) }
        let within = speed.indices.filter { !joins.contains($0) }.map { speed[$0] }
        let joinSpeeds = joins.sorted().map { speed[$0] }
        let p99 = percentile(within, 0.99)

        // The piece joins: the first ≤ 180 s again, in pieces of a third of that (at least 10 s).
        let pieceAudioSeconds = min(180, Double(audio.count) / 16_000)
        let pieceSeconds = max(10, (pieceAudioSeconds / 3).rounded(.up))
        let shortAudio = Array(audio.prefix(Int(pieceAudioSeconds * 16_000)))
        var configuration = pipeline.configuration
        configuration.chunkSeconds = pieceSeconds
        configuration.chunkOverlapSeconds = min(configuration.chunkOverlapSeconds, pieceSeconds / 4)
        let pieced = try await pipeline.reconfigured(configuration).animate(samples: shortAudio, source: "seam-pieces", request: request).animation
        let pieceSpeed = velocities(pieced)
        let pieces = ChunkPlan(frameCount: pieced.frameCount, chunk: Int(pieceSeconds * pieced.fps),
                               overlap: Int(configuration.chunkOverlapSeconds * pieced.fps), context: Int(configuration.chunkContextSeconds * pieced.fps))
        var pieceJoins = Set<Int>()
        for k in 1..<max(pieces.count, 1) {
            for j in [pieces.frames[k].lowerBound, pieces.frames[k - 1].upperBound] { pieceJoins.insert(j - 1); pieceJoins.insert(j) }
        }
        let pieceJoinSpeeds = pieceJoins.filter { (0..<pieceSpeed.count).contains($0) }.map { pieceSpeed[$0] }
        func mean(_ x: [Double]) -> Double { x.isEmpty ? 0 : x.reduce(0, +) / Double(x.count) }
        return SeamCheck(
            clip_seconds: Double(audio.count) / 16_000, window_joins: max(plan.starts.count - 1, 0), piece_joins: max(pieces.count - 1, 0),
            join_velocity_mean: mean(joinSpeeds), within_velocity_mean: mean(within),
            within_velocity_p95: percentile(within, 0.95), within_velocity_p99: p99,
            joins_above_within_p99: joinSpeeds.isEmpty ? 0 : Double(joinSpeeds.filter { $0 > p99 }.count) / Double(joinSpeeds.count),
            piece_seconds: pieceSeconds, piece_join_velocity_mean: mean(pieceJoinSpeeds),
            piece_joins_above_within_p99: pieceJoinSpeeds.isEmpty ? 0 : Double(pieceJoinSpeeds.filter { $0 > p99 }.count) / Double(pieceJoinSpeeds.count))
    }
}

extension Array {
    /// `map` with an async transform, one element after another.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        out.reserveCapacity(count)
        for element in self { out.append(try await transform(element)) }
        return out
    }
}
