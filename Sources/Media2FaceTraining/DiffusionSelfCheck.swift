import Foundation
import M2FEngine
import Media2Face

/// Quick checks of a trained generator on validation clips (`m2f train diffusion --check`): reconstruction
/// error against the reference animation, keyframe hits and the velocity around them, seed diversity,
/// and the time to animate 60 s of speech. One JSON object.
package enum DiffusionSelfCheck {
    package struct Report: Codable, Sendable {
        package var clips: Int
        package var steps: Int
        /// Mean |generated − reference| over all 52 weights and frames.
        package var weightsMeanAbsoluteError: Double
        /// The same over jawOpen, mouthClose, mouthFunnel, mouthPucker, mouthSmile L/R, mouthStretch L/R.
        package var mouthMeanAbsoluteError: Double
        /// The mean-face baseline (every frame = the reference clip's mean) on the same channels.
        package var mouthMeanFaceError: Double
        /// Largest |weight − target| over all constrained (frame, channel) pairs.
        package var keyframeMaxError: Double
        /// Largest per-frame |Δweight| within ±3 frames of a keyframe, over the 99th percentile of |Δweight| elsewhere.
        package var keyframeVelocityRatio: Double
        /// Mean |difference| between two seeds, upper face (brows, eyes) and mouth channels.
        package var diversityUpperFace: Double
        package var diversityMouth: Double
        /// Seconds to generate 60 s (1800 frames) with the default options, and its parts.
        package var sixtySecondsTotal: Double
        package var sixtySecondsSampling: Double
        package var jsonLine: String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return String(decoding: try! encoder.encode(self), as: UTF8.self)
        }
    }

    static let mouth = [24, 26, 31, 37, 43, 44, 45, 46]
    static let upperFace = [0, 1, 2, 3, 4, 8, 9, 18, 19, 20, 21]

    /// - Parameter references: per clip, the reference weights [F, 52] (the dataset's), aligned with `clips`.
    package static func run(generator: Media2FaceGenerator, clips: [DiffusionTrainingClip], references: [Tensor], steps: Int = 25,
                           log: (String) -> Void = { _ in }) throws -> Report {
        precondition(clips.count == references.count && !clips.isEmpty, "self-check needs clips with references")
        var options = GenerationOptions()
        options.sampling.steps = steps
        var absolute = 0.0, count = 0.0, mouthError = 0.0, meanFace = 0.0, mouthCount = 0.0
        var keyframeError = 0.0, ratios: [Double] = [], upperDiversity = 0.0, mouthDiversity = 0.0, diversityCount = 0.0
        for (index, (clip, reference)) in zip(clips, references).enumerated() {
            let f = clip.frameCount
            let style: StyleCondition = clip.textEmbedding.map { .text(embedding: $0) } ?? .emotion(clip.emotion, intensity: clip.intensity)
            let motion = try generator.generate(audioFeatures: clip.audio, style: style, options: options)
            let generated = motion.weights.toArray(), target = reference.contiguous().toArray()
            var channelMeans = [Double](repeating: 0, count: 52)
            for frame in 0..<f { for c in 0..<52 { channelMeans[c] += Double(target[frame * 52 + c]) / Double(f) } }
            for frame in 0..<f {
                for c in 0..<52 { absolute += Double(Swift.abs(generated[frame * 52 + c] - target[frame * 52 + c])) }
                for c in mouth {
                    mouthError += Double(Swift.abs(generated[frame * 52 + c] - target[frame * 52 + c]))
                    meanFace += Swift.abs(channelMeans[c] - Double(target[frame * 52 + c]))
                }
            }
            count += Double(f * 52)
            mouthCount += Double(f * mouth.count)

            // Keyframes: two full frames from the reference, one partial (jawOpen, mouthClose).
            guard f >= 30 else { continue }
            let frames = [f / 4, f / 2, 3 * f / 4]
            var keyframes = frames.prefix(2).map { frame in
                Keyframe(time: Double(frame) / generator.fps, channels: Dictionary(uniqueKeysWithValues: (0..<52).map { ($0, target[frame * 52 + $0]) }))
            }
            keyframes.append(Keyframe(time: Double(frames[2]) / generator.fps, channels: [24: 0.5, 26: 0]))
            var seeded = options
            seeded.sampling.seed = 7
            let edited = try generator.generate(audioFeatures: clip.audio, style: style, keyframes: keyframes, options: seeded)
            let values = edited.weights.toArray()
            for keyframe in keyframes {
                let frame = Int((keyframe.time * generator.fps).rounded())
                for (c, v) in keyframe.channels { keyframeError = max(keyframeError, Double(Swift.abs(values[frame * 52 + c] - v))) }
            }
            var near: Double = 0, elsewhere: [Double] = []
            for frame in 1..<f {
                let close = frames.contains { Swift.abs($0 - frame) <= 3 }
                for c in 0..<52 {
                    let v = Double(Swift.abs(values[frame * 52 + c] - values[(frame - 1) * 52 + c]))
                    if close { near = max(near, v) } else { elsewhere.append(v) }
                }
            }
            elsewhere.sort()
            if let p99 = elsewhere.isEmpty ? nil : elsewhere[Int(Double(elsewhere.count - 1) * 0.99)], p99 > 0 { ratios.append(near / p99) }
            // Diversity: the unedited run with seed 0 vs an unedited run with seed 7.
            let other = try generator.generate(audioFeatures: clip.audio, style: style, options: seeded).weights.toArray()
            for frame in 0..<f {
                for c in upperFace { upperDiversity += Double(Swift.abs(other[frame * 52 + c] - generated[frame * 52 + c])) / Double(upperFace.count) }
                for c in mouth { mouthDiversity += Double(Swift.abs(other[frame * 52 + c] - generated[frame * 52 + c])) / Double(mouth.count) }
            }
            diversityCount += Double(f)
            log("checked clip \(index + 1)/\(clips.count)")
        }

        // 60 s: the validation features repeated to 1800 frames.
        let joined = Tensor.concatenate(Array(repeating: Tensor.concatenate(clips.map(\.audio), axis: 0), count: 1800 / clips.reduce(0) { $0 + $1.frameCount } + 1), axis: 0)
            .sliced(axis: 0, 0..<1800).contiguous()
        let long = try generator.generate(audioFeatures: joined, style: .none, options: options)
        return Report(clips: clips.count, steps: steps, weightsMeanAbsoluteError: absolute / count, mouthMeanAbsoluteError: mouthError / mouthCount,
                      mouthMeanFaceError: meanFace / mouthCount, keyframeMaxError: keyframeError,
                      keyframeVelocityRatio: ratios.max() ?? 0, diversityUpperFace: upperDiversity / max(diversityCount, 1),
                      diversityMouth: mouthDiversity / max(diversityCount, 1), sixtySecondsTotal: long.timings.total,
                      sixtySecondsSampling: long.timings.sampling)
    }
}
