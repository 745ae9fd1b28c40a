import Foundation
import M2FDataset
import M2FFace
import M2FGNPFA
import M2FEngine
import Media2Face

/// What `m2f eval` measures and how much of the split it uses.
package struct EvaluationSettings: Codable, Sendable, Equatable {
    package var split: DatasetSplit = .test
    /// At most this many clips of the split (nil: all), taken in manifest order.
    package var limit: Int?
    /// Run options of the model (steps, guidance, seed).
    package var options = AnimationOptions()
    /// Clips sampled with several seeds for diversity, and how many seeds.
    package var diversityClips = 6
    package var diversitySeeds = 3
    /// Clips used for the control measurements.
    package var controlClips = 6
    /// Length of the concatenated clip of the seam check (seconds).
    package var seamSeconds = 600.0
    /// Condition the model on each clip's emotion label and intensity (as a user would describe it).
    package var conditionOnEmotion = true

    package init() {}
}

/// One evaluation clip: 16 kHz audio, the reference animation and its labels.
package struct EvaluationClip: Sendable {
    package var id: String
    package var samples: [Float]
    package var reference: FaceAnimation
    package var phones: [TimedPhone]?
    package var emotion: Emotion
    package var intensity: Double

    package init(id: String, samples: [Float], reference: FaceAnimation, phones: [TimedPhone]?, emotion: Emotion, intensity: Double) {
        self.id = id
        self.samples = samples
        self.reference = reference
        self.phones = phones
        self.emotion = emotion
        self.intensity = intensity
    }

    /// The clips of `split` (at most `limit`) read from a dataset.
    package static func load(_ reader: DatasetReader, split: DatasetSplit, limit: Int?) throws -> [EvaluationClip] {
        let records = reader.clips(in: split).prefix(limit ?? .max)
        return try records.map { record in
            let arrays = try reader.arrays(of: record)
            return EvaluationClip(id: record.id, samples: arrays.audio.toArray(), reference: arrays.animation(fps: record.fps),
                                  phones: record.phonemes, emotion: record.emotion, intensity: record.intensity)
        }
    }
}

/// A way of producing an animation for a clip: the model through the pipeline, or a baseline.
package struct EvaluationSubject: Sendable {
    package var name: String
    package var animate: @Sendable (EvaluationClip, AnimationOptions) async throws -> FaceAnimation
    /// Whether different seeds give different samples (diversity is measured only then).
    package var isStochastic: Bool

    package init(name: String, isStochastic: Bool, animate: @escaping @Sendable (EvaluationClip, AnimationOptions) async throws -> FaceAnimation) {
        self.name = name
        self.animate = animate
        self.isStochastic = isStochastic
    }

    /// A model behind a pipeline, conditioned on the clip's emotion when asked (neutral clips too: the
    /// neutral token is the calm face the model learned from them; without it they drift into whatever
    /// the unconditional model does).
    package static func pipeline(_ name: String, _ pipeline: Media2FacePipeline, conditionOnEmotion: Bool, isStochastic: Bool = true) -> EvaluationSubject {
        EvaluationSubject(name: name, isStochastic: isStochastic) { clip, options in
            let style: StyleSpecification = conditionOnEmotion ? .emotion(clip.emotion, intensity: Float(clip.intensity)) : .none
            return try await pipeline.animate(samples: clip.samples, source: clip.id,
                                        request: AnimationRequest(audioPath: clip.id, style: style, options: options)).animation
        }
    }

    /// The reference itself passed through an expression coding (encode, then decode; head pose kept):
    /// what any model that works in that latent space can reach at best.
    package static func latentRoundTrip(_ coding: any ExpressionCoding) -> EvaluationSubject {
        EvaluationSubject(name: "latent_roundtrip", isStochastic: false) { clip, _ in
            let reference = clip.reference
            let weights = Tensor(reference.weights, shape: [reference.frameCount, ARKit.count])
            let decoded = coding.decode(latents: coding.encode(weights: weights)).toArray()
            return FaceAnimation(fps: reference.fps, weights: decoded, headPose: reference.headPose)
        }
    }

    /// The mean-face baseline: the mean weights and head pose of `training` frames, held still.
    package static func meanFace(training: [FaceAnimation]) -> EvaluationSubject {
        var weights = [Double](repeating: 0, count: ARKit.count), pose = [Double](repeating: 0, count: 6)
        var frames = 0
        for animation in training {
            for f in 0..<animation.frameCount {
                for k in 0..<ARKit.count { weights[k] += Double(animation.weights[f * ARKit.count + k]) }
                for (c, v) in animation.headPose[f].values.enumerated() { pose[c] += Double(v) }
            }
            frames += animation.frameCount
        }
        let meanWeights = weights.map { Float($0 / Double(max(frames, 1))) }
        let meanPose = HeadPose(values: pose.map { Float($0 / Double(max(frames, 1))) })
        return EvaluationSubject(name: "mean_face", isStochastic: false) { clip, _ in
            let count = clip.reference.frameCount
            return FaceAnimation(fps: clip.reference.fps, weights: Array((0..<count).map { _ in meanWeights }.joined()),
                                 headPose: [HeadPose](repeating: meanPose, count: count))
        }
    }
}
