import M2FEngine
import M2FFace

/// How a `StyleTimeline` enters the sampler: the conditions its per-frame style tokens are made of, their
/// per-frame weights, the per-frame strength of the style term, and whether any frame pushes at all.
///
/// With the neutral rest (`GenerationOptions.neutralRest`) the audio branch already sits on the neutral
/// token, so no style and `neutral` (at any intensity, alone or as a blend of neutral parts) are the rest
/// itself: they push nowhere. A clip that only rests has no style branch, so `--emotion neutral` is the
/// no-style output bit for bit (with a style branch it was the same up to rounding, and time a timeline
/// left uncovered got the null token, the average face of every style in training: a neutral segment over
/// 0–3 s of hello.wav moved eyeLookIn 0.09 and, on the real-face model, mouthRollLower 0.59 after 3 s).
/// Where a frame mixes a push with the rest (a fade), the rest's share lowers the strength and the token
/// is the pushing conditions' alone, as a blend's neutral parts do (`StyleTimeline.fullIntensity`).
package struct StyleGuidance {
    /// The distinct conditions the tokens are made of (emotions at full intensity when the intensity
    /// goes through the strength), aligned with the timeline's.
    package let tokenConditions: [StyleCondition]
    /// [F, K] weights of `tokenConditions` per frame (rows sum to 1).
    package let tokenWeights: Tensor
    /// [F, 1] scale of the style term per frame; nil: 1 everywhere (an intensity kept in the token).
    package let strengths: Tensor?
    /// Whether any frame moves away from the rest (if not, the sampler runs without a style branch).
    package let pushes: Bool

    /// - Parameters:
    ///   - intensityInGuidance: emotion intensity scales the style term (the default) rather than the token.
    ///   - neutralRest: the audio branch sees the neutral token (diffusion with `neutralRest`).
    package init(timeline: StyleTimeline, intensityInGuidance: Bool, neutralRest: Bool) {
        let conditions = timeline.conditions
        let resting = conditions.map { neutralRest && Self.isResting($0) }
        let k = conditions.count
        // With the neutral rest, no style's token is the rest's (the null token is another face).
        let restingToken = StyleCondition.emotion(.neutral, intensity: 0)
        let made = intensityInGuidance ? timeline.tokenConditions : conditions
        tokenConditions = zip(made, resting).map { $1 && $0 == .none ? restingToken : $0 }
        guard timeline.hasStyle else {
            (tokenWeights, strengths, pushes) = (timeline.weights, nil, false)
            return
        }
        guard intensityInGuidance else {
            let weights = timeline.weights.toArray()
            let f = weights.count / k
            (tokenWeights, strengths) = (timeline.weights, nil)
            pushes = (0..<f).contains { frame in (0..<k).contains { weights[frame * k + $0] > 0 && !resting[$0] } }
            return
        }
        guard neutralRest else {
            // The null rest: every condition, no style included, pushes with its own strength (as before the rest).
            let frameStrengths = timeline.strengths
            (tokenWeights, strengths, pushes) = (timeline.weights, frameStrengths, frameStrengths.toArray().contains { $0 > 0 })
            return
        }
        let perCondition = zip(conditions, resting).map { $1 ? 0 : StyleTimeline.strength($0) }
        var weights = timeline.weights.toArray()
        let f = weights.count / k
        var frameStrengths = [Float](repeating: 0, count: f)
        for frame in 0..<f {
            let row = frame * k
            frameStrengths[frame] = (0..<k).reduce(0) { $0 + weights[row + $1] * perCondition[$1] }
            // The token of the conditions that push, renormalised (a row that only rests keeps its own).
            let pushing = (0..<k).reduce(Float(0)) { $0 + (perCondition[$1] > 0 ? weights[row + $1] : 0) }
            guard pushing > 0 else { continue }
            for c in 0..<k { weights[row + c] = perCondition[c] > 0 ? weights[row + c] / pushing : 0 }
        }
        tokenWeights = Tensor(weights, shape: [f, k])
        strengths = Tensor(frameStrengths, shape: [f, 1])
        pushes = frameStrengths.contains { $0 > 0 }
    }

    /// Per-frame style tokens [F, C] from the tokens of `tokenConditions` [K, C].
    package func frameTokens(_ tokens: Tensor) -> Tensor {
        precondition(tokens.rank == 2 && tokens.shape[0] == tokenConditions.count, "tokens \(tokens.shape) for \(tokenConditions.count) conditions")
        return tokenWeights.matmul(tokens)
    }

    /// No style, neutral at any intensity, or a blend of neutral parts only: the calm face the neutral rest is.
    static func isResting(_ condition: StyleCondition) -> Bool {
        switch condition {
        case .none: return true
        case let .blend(parts): return parts.allSatisfy { StyleTimeline.isNeutral($0.condition) }
        default: return StyleTimeline.isNeutral(condition)
        }
    }
}
