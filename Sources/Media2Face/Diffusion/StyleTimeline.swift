import Foundation
import M2FEngine
import M2FFace

/// A style that changes over time, as per-frame weights over a few distinct conditions.
///
/// Each `StyleSegment` has weight 1 inside [start, end] and fades to 0 over `fade` seconds centred on
/// each boundary (a smoothstep ramp from boundary − fade/2 to boundary + fade/2), except at the clip's
/// own ends, where it stays 1. Where segments overlap their weights are scaled to sum to 1; whatever
/// weight is left at a frame goes to `background` (by default `.none`, the unconditional style).
/// The denoiser sees, per frame, Σₖ wₖ(frame)·tokenₖ: a gradient mask over time in the style token.
package struct StyleTimeline: Sendable, Equatable {
    /// The distinct conditions, `background` last.
    package let conditions: [StyleCondition]
    /// [F, K] weights (rows sum to 1), K = conditions.count.
    package let weights: Tensor
    /// Whether any frame has a style other than `.none` (if not, guidance needs no style branch).
    package let hasStyle: Bool
    /// Per-frame strength of the style [F, 1]: Σₖ wₖ·strengthₖ, an emotion's calibrated intensity and 1 for
    /// every other condition. The sampler scales the style guidance term by it and the tokens are made at
    /// full intensity (`tokenConditions`): the model hardly responds to an emotion token below intensity
    /// 0.5 (happy at 0.25 gave 4 % of the full smile), while the guided prediction moves with it.
    package var strengths: Tensor {
        weights.matmul(Tensor(conditions.map(Self.strength), shape: [conditions.count, 1]))
    }
    /// The style strength of one condition: intensity^0.6 for an emotion, Σ weight · strength for a blend, 1 otherwise.
    static func strength(_ condition: StyleCondition) -> Float {
        switch condition {
        case let .emotion(emotion, intensity): return guidanceStrength(emotion, intensity: intensity)
        case let .blend(parts): return parts.reduce(0) { $0 + $1.weight * strength($1.condition) }
        default: return 1
        }
    }
    /// An emotion at an intensity in [0, 1] → its style strength (`IntensityCalibration`): the face follows
    /// intensity near-linearly, as the teacher's does; neutral is always 1.
    package static func guidanceStrength(_ emotion: Emotion, intensity: Float) -> Float {
        IntensityCalibration.strength(emotion, intensity: intensity)
    }

    /// The conditions the style tokens are made of: every emotion at full intensity (see `strengths`).
    package var tokenConditions: [StyleCondition] {
        conditions.map(Self.fullIntensity)
    }
    static func fullIntensity(_ condition: StyleCondition) -> StyleCondition {
        switch condition {
        case let .emotion(emotion, _): return .emotion(emotion, intensity: 1)
        case let .blend(parts): return .blend(parts.map { WeightedStyle(fullIntensity($0.condition), weight: $0.weight) })
        default: return condition
        }
    }
    /// Per-frame speaking-style dials [F] from the segments' (same fades; uncovered time is neutral),
    /// nil when every frame is neutral.
    package let speaking: [SpeakingStyle]?

    package static func == (lhs: StyleTimeline, rhs: StyleTimeline) -> Bool {
        lhs.conditions == rhs.conditions && lhs.speaking == rhs.speaking && lhs.weights.shape == rhs.weights.shape && lhs.weights.toArray() == rhs.weights.toArray()
    }

    /// One condition for the whole clip.
    package init(constant condition: StyleCondition, frameCount: Int) {
        conditions = [condition]
        weights = Tensor.ones([frameCount, 1])
        hasStyle = condition != .none
        speaking = nil
    }

    /// - Throws: `DiffusionError.invalidStyleSegment` for a segment with end ≤ start, a negative fade or
    ///   non-finite times.
    package init(segments: [StyleSegment], frameCount: Int, fps: Double, background: StyleCondition = .none) throws {
        for (index, segment) in segments.enumerated() {
            guard segment.start.isFinite, segment.end.isFinite, segment.fade.isFinite, segment.end > segment.start, segment.fade >= 0 else {
                throw DiffusionError.invalidStyleSegment(index: index,
                    problem: "start \(segment.start) s, end \(segment.end) s, fade \(segment.fade) s (need end > start and fade ≥ 0)")
            }
            let dials = segment.speaking
            guard SpeakingStyle.articulationRange.contains(dials.articulation), SpeakingStyle.energyRange.contains(dials.energy),
                  SpeakingStyle.headMotionRange.contains(dials.headMotion) else {
                throw DiffusionError.invalidStyleSegment(index: index, problem: "speaking style \(dials) is outside articulation 0…2, energy 0…2, head motion 0…4")
            }
        }
        var distinct: [StyleCondition] = []
        for segment in segments where !distinct.contains(segment.condition) { distinct.append(segment.condition) }
        if let index = distinct.firstIndex(of: background) { distinct.remove(at: index) }
        distinct.append(background)
        let k = distinct.count
        let duration = Double(frameCount) / fps
        var values = [Float](repeating: 0, count: frameCount * k)
        let dialed = segments.contains { $0.speaking != .neutral }
        var speaking: [SpeakingStyle] = []
        for frame in 0..<frameCount {
            let time = Double(frame) / fps
            var row = [Double](repeating: 0, count: k)
            let perSegment = segments.map { Self.segmentWeight($0, time: time, duration: duration) }
            for (segment, w) in zip(segments, perSegment) { row[distinct.firstIndex(of: segment.condition)!] += w }
            let sum = row.reduce(0, +)
            if dialed {
                let scale = Float(sum > 1 ? 1 / sum : 1)
                speaking.append(.mixed(zip(segments, perSegment).map { ($0.speaking, Float($1) * scale) }))
            }
            if sum > 1 { for i in row.indices { row[i] /= sum } }
            row[k - 1] += max(0, 1 - row.reduce(0, +))
            for i in 0..<k { values[frame * k + i] = Float(row[i]) }
        }
        conditions = distinct
        self.speaking = dialed ? speaking : nil
        weights = Tensor(values, shape: [frameCount, k])
        hasStyle = distinct.contains { $0 != .none } && (0..<frameCount).contains { frame in
            distinct.indices.contains { distinct[$0] != .none && values[frame * k + $0] > 0 }
        }
    }

    /// The weight of one segment at `time` (seconds) in a clip of `duration` seconds.
    static func segmentWeight(_ segment: StyleSegment, time: Double, duration: Double) -> Double {
        func smoothstep(_ x: Double) -> Double { let c = min(max(x, 0), 1); return c * c * (3 - 2 * c) }
        if segment.fade == 0 { return time >= segment.start && time < segment.end ? 1 : 0 }
        let half = segment.fade / 2
        // A segment cut at a window's edge (a stream hop, a piece of long audio) reaches it up to rounding:
        // it must not fade out there.
        let rise = segment.start <= 1e-6 ? 1 : smoothstep((time - (segment.start - half)) / segment.fade)
        let fall = segment.end >= duration - 1e-6 ? 1 : 1 - smoothstep((time - (segment.end - half)) / segment.fade)
        return rise * fall
    }

    /// Per-frame style tokens [F, C] from the conditions' tokens [K, C].
    package func frameTokens(_ tokens: Tensor) -> Tensor {
        precondition(tokens.rank == 2 && tokens.shape[0] == conditions.count, "tokens \(tokens.shape) for \(conditions.count) conditions")
        return weights.matmul(tokens)
    }
}

/// Emotion intensity → style strength (the scale of the style term of the guidance), measured so that
/// the face follows intensity as the teacher's does: linearly (a pattern × intensity).
///
/// The model's response to the strength s is not linear: weights clamp at 0, so a small push shows as
/// nothing, and it saturates towards 1. `shares` holds, per emotion, the share of the full effect (its
/// signature channel's mean minus no style, over strength 1's) measured on Examples/hello.wav with the
/// shipped model at the default guidance, at the strengths in `strengths` (`docs/ARCHITECTURE.md`,
/// "Emotion intensity"). An intensity I asks for the share I^0.7 (near-linear, a little above it at low
/// intensities so 0.25 shows more than a quarter) and gets the strength that gives it, by linear
/// interpolation of the inverse. Neutral has no intensity (the training clips had none): its token is
/// always the calm face at full strength.
package enum IntensityCalibration {
    package static let strengths: [Float] = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1]
    /// Share of the full effect at each of `strengths` (happy: smile, sad: frown, angry: browDown,
    /// surprised: eyeWide, fearful: mouthStretch, disgusted: noseSneer; contempt: their mean).
    package static let shares: [Emotion: [Float]] = [
        .happy: [0, 0.03, 0.04, 0.12, 0.31, 0.54, 0.68, 0.88, 1],
        .sad: [0, 0.01, 0.05, 0.34, 0.58, 0.70, 0.79, 0.92, 1],
        .angry: [0, 0.15, 0.23, 0.31, 0.44, 0.64, 0.75, 0.90, 1],
        .surprised: [0, 0.06, 0.28, 0.46, 0.60, 0.71, 0.79, 0.91, 1],
        .fearful: [0, 0.17, 0.35, 0.53, 0.64, 0.73, 0.81, 0.92, 1],
        .disgusted: [0, 0.14, 0.23, 0.29, 0.41, 0.59, 0.72, 0.89, 1],
        .contempt: [0, 0.09, 0.20, 0.34, 0.50, 0.65, 0.76, 0.90, 1],
    ]
    /// The share of the full effect intensity I asks for: I^0.7 (0.25 → 0.38, 0.5 → 0.62, 0.75 → 0.82): on
    /// clips other than hello.wav the response is a little weaker (surprised at I^0.8 gave 0.24 at 0.25).
    package static let targetExponent: Float = 0.7

    /// The style strength for `emotion` at `intensity` in [0, 1].
    package static func strength(_ emotion: Emotion, intensity: Float) -> Float {
        guard emotion != .neutral else { return 1 }
        let target = Foundation.pow(min(max(intensity, 0), 1), targetExponent)
        let curve = shares[emotion]!
        guard target > 0 else { return 0 }
        for i in 1..<curve.count where curve[i] >= target {
            let u = (target - curve[i - 1]) / max(curve[i] - curve[i - 1], 1e-6)
            return strengths[i - 1] + u * (strengths[i] - strengths[i - 1])
        }
        return 1
    }
}
