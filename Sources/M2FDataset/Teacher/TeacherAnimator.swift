import Foundation
import M2FEngine
import M2FFace

/// The phonetic teacher of M2F-D: timed phones (+ audio loudness) → 52 ARKit weights, head pose and
/// eye gaze, with an emotion overlay, blinks and idle/listening behaviour.
///
/// Stages per clip (F = round(duration · fps) frames):
/// 1. `PhoneSegments.prepare`: clean phones, silence in gaps, rate reduction, diphthongs split;
///    `applyLoudness`: louder vowels open a little wider.
/// 2. `Coarticulation.track`: dominance-blended articulators (jaw, round, funnel, spread, lowerDown,
///    upperUp, tongue, silence mask), sampled `visualLead` ahead of the audio.
/// 3. `LipHardTargets`: bilabial closure, stop press, labiodental contact envelopes.
/// 4. Per frame: idle jaw variation in silence, emotion overlay (+ jaw offset),
///    `ArticulationMapping` to ARKit, lip corners yielding to rounding, blinks and gaze, then
///    `sealLips` (closure, clamping).
/// 5. `HeadMotion.poses`: nods on loud vowels, drift, listening nods, emotion pitch bias.
///
/// Deterministic: the same phones, audio, duration, fps, configuration and seed give the same
/// animation. Every weight is in [0, 1].
public struct TeacherAnimator: TeacherAnimating {
    public var configuration: TeacherConfiguration

    public init(configuration: TeacherConfiguration = .standard) {
        self.configuration = configuration
    }

    public func animate(phones: [TimedPhone], samples: [Float], sampleRate: Int, duration: Double, fps: Double,
                        performance: TeacherPerformance) -> FaceAnimation {
        precondition(fps > 0 && fps.isFinite, "the animation frame rate must be positive, got \(fps)")
        let c = configuration
        let clipDuration = duration.isFinite ? max(0, duration) : 0
        let frameCount = Int((clipDuration * fps).rounded())
        let seed = performance.seed
        var animation = FaceAnimation(fps: fps, frameCount: frameCount, withEyes: true, metadata: [
            "teacher": "phonetic", "teacherVersion": String(c.version), "emotion": performance.emotion.rawValue,
            "intensity": String(performance.intensity), "seed": String(seed),
        ])
        guard frameCount > 0 else { return animation }

        var segments = PhoneSegments.prepare(phones, duration: clipDuration, configuration: c)
        PhoneSegments.applyLoudness(&segments, samples: samples, sampleRate: sampleRate, configuration: c)
        let track = Coarticulation.track(segments: segments, frameCount: frameCount, fps: fps, configuration: c)
        let hard = LipHardTargets(segments: segments, frameCount: frameCount, fps: fps, configuration: c)
        let silence = track.values[ArticulatorTrack.Channel.silence.rawValue]
        let emotion = EmotionOverlay(performance: performance, duration: clipDuration, settings: c.emotion)
        let label = performance.emotion.rawValue
        let blinks = BlinkTrack(duration: clipDuration, boundaries: Self.phraseBoundaries(segments, settings: c.blinks),
                                seed: seed, settings: c.blinks)
            .render(frameCount: frameCount, fps: fps, settings: c.blinks)
        let gazeBias = (c.emotion.gazePitchBias[label] ?? 0) * emotion.intensity
        let gaze = GazeTrack(frameCount: frameCount, fps: fps, silence: silence, pitchBias: gazeBias, seed: seed, settings: c.gaze)
        var idleGenerator = TeacherStream.idle.generator(seed: seed)
        let idleJaw = SmoothNoise(band: c.idleJawFrequency, generator: &idleGenerator)
        var asymmetryGenerator = TeacherStream.asymmetry.generator(seed: seed)
        let lean = c.gains.asymmetry * (2 * Double(asymmetryGenerator.nextUniform()) - 1)
        let (leftGain, rightGain) = (1 + lean, 1 - lean)

        var weights = [Float](repeating: 0, count: ARKit.count)
        typealias Channel = ArticulatorTrack.Channel
        for f in 0..<frameCount {
            let t = Double(f) / fps
            for i in weights.indices { weights[i] = 0 }
            let quiet = Double(silence[f])
            // Emotion first: it may move the jaw (surprise), which the mapping then carries.
            let emotionJaw = emotion.apply(at: t, to: &weights)
            let jaw = Double(track[.jaw, frame: f]) + emotionJaw + quiet * c.idleJawVariation * idleJaw(t)
            ArticulationMapping.speechWeights(
                jaw: max(0, jaw), round: Double(track[.round, frame: f]), funnel: Double(track[.funnel, frame: f]),
                spread: Double(track[.spread, frame: f]), lowerDown: Double(track[.lowerDown, frame: f]),
                upperUp: Double(track[.upperUp, frame: f]), tongue: Double(track[.tongue, frame: f]),
                press: Double(hard.press[f]), labiodental: Double(hard.labiodental[f]),
                leftGain: leftGain, rightGain: rightGain, configuration: c, into: &weights)
            ArticulationMapping.yieldCornersToRounding(round: Double(track[.round, frame: f]), funnel: Double(track[.funnel, frame: f]),
                                                       configuration: c, weights: &weights)
            weights[ARKitBlendshapeIndex.eyeBlinkLeft] += blinks.left[f]
            weights[ARKitBlendshapeIndex.eyeBlinkRight] += blinks.right[f]
            gaze.apply(frame: f, to: &weights, settings: c.gaze)
            ArticulationMapping.sealLips(closure: hard.closure[f], mouthCloseRatio: Float(c.mouthCloseRatio), weights: &weights)
            let base = f * ARKit.count
            for k in 0..<ARKit.count { animation.weights[base + k] = weights[k] }
            animation.eyePose![f] = EyePose(leftYaw: gaze.yaw[f], leftPitch: gaze.pitch[f], rightYaw: gaze.yaw[f], rightPitch: gaze.pitch[f])
        }
        let arousal = emotion.intensity * (c.emotion.arousal[label] ?? 0.5)
            + (1 - emotion.intensity) * (c.emotion.arousal[Emotion.neutral.rawValue] ?? 0.35)
        let pitchBias = (c.emotion.headPitchBias[label] ?? 0)
        animation.headPose = HeadMotion.poses(
            segments: segments, samples: samples, sampleRate: sampleRate, frameCount: frameCount, fps: fps,
            silence: silence, arousal: arousal, pitchBias: { pitchBias * emotion.level(at: $0) }, seed: seed,
            settings: c.head)
        return animation
    }

    /// Phrase boundaries for blinks: the start of every pause at least `boundaryMinimumPause` long
    /// that follows speech.
    static func phraseBoundaries(_ segments: [PhoneSegment], settings: BlinkSettings) -> [Double] {
        var boundaries: [Double] = []
        for i in segments.indices.dropFirst() where segments[i].isSilence && !segments[i - 1].isSilence
            && segments[i].duration >= settings.boundaryMinimumPause {
            boundaries.append(segments[i].start)
        }
        return boundaries
    }
}
