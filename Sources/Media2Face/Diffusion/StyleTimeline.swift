import Foundation
import M2FEngine

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
    /// Per-frame strength of the style [F, 1]: Σₖ wₖ·strengthₖ, an emotion's intensity and 1 for every
    /// other condition. The sampler scales the style guidance term by it and the tokens are made at full
    /// intensity (`tokenConditions`): the model hardly responds to an emotion token below intensity 0.5
    /// (happy at 0.25 gave 4 % of the full smile), while the guided prediction moves linearly with it.
    package var strengths: Tensor {
        let perCondition = conditions.map { condition -> Float in
            if case let .emotion(_, intensity) = condition { return Self.guidanceStrength(intensity: intensity) }
            return 1
        }
        return weights.matmul(Tensor(perCondition, shape: [conditions.count, 1]))
    }
    /// An emotion intensity in [0, 1] → its style strength, intensity^0.6. The face responds to the
    /// strength convexly (weights clamp at 0, so a small push shows as nothing: a strength of 0.25 gave
    /// 6 % of the full smile on hello.wav), and the exponent, measured on four emotions, makes intensity
    /// 0.25 show at least a quarter of the full effect while keeping the order (docs/ARCHITECTURE.md).
    package static func guidanceStrength(intensity: Float) -> Float { Foundation.pow(max(intensity, 0), 0.6) }

    /// The conditions the style tokens are made of: every emotion at full intensity (see `strengths`).
    package var tokenConditions: [StyleCondition] {
        conditions.map { condition in
            if case let .emotion(emotion, _) = condition { return .emotion(emotion, intensity: 1) }
            return condition
        }
    }

    package static func == (lhs: StyleTimeline, rhs: StyleTimeline) -> Bool {
        lhs.conditions == rhs.conditions && lhs.weights.shape == rhs.weights.shape && lhs.weights.toArray() == rhs.weights.toArray()
    }

    /// One condition for the whole clip.
    package init(constant condition: StyleCondition, frameCount: Int) {
        conditions = [condition]
        weights = Tensor.ones([frameCount, 1])
        hasStyle = condition != .none
    }

    /// - Throws: `DiffusionError.invalidStyleSegment` for a segment with end ≤ start, a negative fade or
    ///   non-finite times.
    package init(segments: [StyleSegment], frameCount: Int, fps: Double, background: StyleCondition = .none) throws {
        for (index, segment) in segments.enumerated() {
            guard segment.start.isFinite, segment.end.isFinite, segment.fade.isFinite, segment.end > segment.start, segment.fade >= 0 else {
                throw DiffusionError.invalidStyleSegment(index: index,
                    problem: "start \(segment.start) s, end \(segment.end) s, fade \(segment.fade) s (need end > start and fade ≥ 0)")
            }
        }
        var distinct: [StyleCondition] = []
        for segment in segments where !distinct.contains(segment.condition) { distinct.append(segment.condition) }
        if let index = distinct.firstIndex(of: background) { distinct.remove(at: index) }
        distinct.append(background)
        let k = distinct.count
        let duration = Double(frameCount) / fps
        var values = [Float](repeating: 0, count: frameCount * k)
        for frame in 0..<frameCount {
            let time = Double(frame) / fps
            var row = [Double](repeating: 0, count: k)
            for segment in segments {
                let w = Self.segmentWeight(segment, time: time, duration: duration)
                row[distinct.firstIndex(of: segment.condition)!] += w
            }
            let sum = row.reduce(0, +)
            if sum > 1 { for i in row.indices { row[i] /= sum } }
            row[k - 1] += max(0, 1 - row.reduce(0, +))
            for i in 0..<k { values[frame * k + i] = Float(row[i]) }
        }
        conditions = distinct
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
        let rise = segment.start <= 0 ? 1 : smoothstep((time - (segment.start - half)) / segment.fade)
        let fall = segment.end >= duration ? 1 : 1 - smoothstep((time - (segment.end - half)) / segment.fade)
        return rise * fall
    }

    /// Per-frame style tokens [F, C] from the conditions' tokens [K, C].
    package func frameTokens(_ tokens: Tensor) -> Tensor {
        precondition(tokens.rank == 2 && tokens.shape[0] == conditions.count, "tokens \(tokens.shape) for \(conditions.count) conditions")
        return weights.matmul(tokens)
    }
}
