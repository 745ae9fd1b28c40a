import Foundation

/// Articulator trajectories over the frames of a clip (each F values, ≥ 0; about 0…1, loud vowels a
/// little above 1 — the ARKit weights are clamped later).
struct ArticulatorTrack: Sendable {
    enum Channel: Int, CaseIterable {
        case jaw, round, funnel, spread, lowerDown, upperUp, tongue
        /// 1 in silence, 0 in speech, blended like the others: a smooth "listening" mask.
        case silence
    }

    var values: [[Float]]

    init(frameCount: Int) {
        values = Array(repeating: [Float](repeating: 0, count: frameCount), count: Channel.allCases.count)
    }

    subscript(_ channel: Channel, frame frame: Int) -> Float { values[channel.rawValue][frame] }
}

/// Dominance-function coarticulation (Cohen & Massaro 1993).
///
/// For every channel c and time t the articulator is the dominance-weighted mean of the segments'
/// targets, x_c(t) = Σᵢ Dᵢ,c(t)·Tᵢ,c / Σᵢ Dᵢ,c(t), with
/// Dᵢ,c(t) = αᵢ,c · exp(−(d/σ)^k): d is the distance (s) from t to the segment's core (0 inside
/// it), σ the spread before or after the core (`σ_before` gives anticipation, `σ_after` carry-over),
/// k `dominanceExponent`. Rounded segments spread their rounding channels (round, funnel) with the
/// long `roundingAnticipation`, so lips round ahead over consonants of low lip dominance. A faint
/// rest prior (α = 1e-4, silence targets) keeps the sum defined far from any segment.
enum Coarticulation {
    /// Samples the trajectories at frame times f / fps + `visualLead` (articulation leads audio).
    static func track(segments: [PhoneSegment], frameCount: Int, fps: Double, configuration c: TeacherConfiguration) -> ArticulatorTrack {
        let channelCount = ArticulatorTrack.Channel.allCases.count
        var numerator = [[Double]](repeating: [Double](repeating: 0, count: frameCount), count: channelCount)
        var denominator = numerator
        let priorDominance = 1e-4
        let priorTargets: [Double] = [c.restJaw, 0, 0, 0, 0, 0, 0, 1]
        for k in 0..<channelCount {
            for f in 0..<frameCount {
                numerator[k][f] = priorDominance * priorTargets[k]
                denominator[k][f] = priorDominance
            }
        }
        let exponent = c.dominanceExponent
        var alphas = [Double](repeating: 0, count: channelCount)
        var targets = alphas, before = alphas, after = alphas
        for segment in segments {
            let t = segment.target, r = segment.reduction
            let silence = segment.isSilence
            let baseBefore = silence ? c.silenceSpread : (segment.isVowel ? c.vowelSpreadBefore : c.consonantSpreadBefore)
            let baseAfter = silence ? c.silenceSpread : (segment.isVowel ? c.vowelSpreadAfter : c.consonantSpreadAfter)
            targets = [t.jaw * (silence ? 1 : r), t.round * r, t.funnel * r, t.spread * r, t.lowerDown * r, t.upperUp * r,
                       t.tongue * r, silence ? 1 : 0]
            alphas = [t.jawDominance, t.lipDominance, t.lipDominance, t.lipDominance, t.lipDominance, t.lipDominance,
                      t.jawDominance, t.jawDominance]
            for k in 0..<channelCount { before[k] = baseBefore; after[k] = baseAfter }
            if t.isRounded && !silence {
                for channel in [ArticulatorTrack.Channel.round, .funnel] {
                    before[channel.rawValue] = c.roundingAnticipation
                    after[channel.rawValue] = c.roundingCarryover
                }
            }
            let half = 0.5 * c.dominanceCoreFraction * segment.duration
            let centre = 0.5 * (segment.start + segment.end)
            let coreStart = centre - half, coreEnd = centre + half
            // Beyond 5σ the weight is below e^-11 of α: negligible.
            let reachBefore = 5 * (before.max() ?? 0), reachAfter = 5 * (after.max() ?? 0)
            let firstFrame = max(0, Int(((coreStart - reachBefore - c.visualLead) * fps).rounded(.down)))
            let lastFrame = min(frameCount - 1, Int(((coreEnd + reachAfter - c.visualLead) * fps).rounded(.up)))
            if firstFrame > lastFrame { continue }
            for f in firstFrame...lastFrame {
                let time = Double(f) / fps + c.visualLead
                for k in 0..<channelCount where alphas[k] > 0 {
                    let d: Double, sigma: Double
                    if time < coreStart { d = coreStart - time; sigma = before[k] } else if time > coreEnd { d = time - coreEnd; sigma = after[k] } else { d = 0; sigma = 1 }
                    let weight = d == 0 ? alphas[k] : alphas[k] * Foundation.exp(-Foundation.pow(d / max(sigma, 1e-6), exponent))
                    numerator[k][f] += weight * targets[k]
                    denominator[k][f] += weight
                }
            }
        }
        var track = ArticulatorTrack(frameCount: frameCount)
        for k in 0..<channelCount {
            for f in 0..<frameCount {
                track.values[k][f] = Float(max(0, numerator[k][f] / denominator[k][f]))
            }
        }
        return track
    }
}
