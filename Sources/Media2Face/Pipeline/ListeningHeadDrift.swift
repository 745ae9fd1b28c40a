import Foundation
import M2FEngine
import M2FFace

/// The slow sway of a listener's head: a person who listens is not still, the head wanders by a degree
/// or so in yaw, pitch and roll over a few seconds. The model's own idle head barely moves (listening
/// head-rotation std 0.34–0.63° in `m2f eval dialogue`, against the tracked speakers' 1.3–2.5°), so
/// `ListeningBehaviour` adds this drift inside its listening stretches.
///
/// Per axis, a random walk pulled back to centre (Ornstein–Uhlenbeck, time constant `seconds`) through a
/// Gaussian low-pass (σ `smoothingSeconds`, which takes out the walk's frame-to-frame jitter and keeps
/// it far from a nod's 1–2 Hz), scaled to a standard deviation of `degrees` over a long stretch. Inside
/// each listening run it fades in and out with a smoothstep over `fadeSeconds`, so the head leaves and
/// rejoins the speaking face's pose with no step and no jump in speed.
extension ListeningBehaviour {
    /// Long-run standard deviation per axis (degrees): yaw, pitch, roll. Pitch sways least: a slope in
    /// pitch under a nod hides it (the nod detector wants 1.5° on both sides).
    static let driftDegrees = (yaw: 2.4, pitch: 0.7, roll: 1.5)
    static let driftSeconds = 1.0, driftSmoothingSeconds = 0.3, driftFadeSeconds = 1.0

    /// The drift to add per frame (radians; zero outside `listening`), `amount` times the measured size.
    static func headDrift(listening: [Bool], fps: Double, amount: Float, generator: RandomGenerator) -> [HeadPose] {
        let frames = listening.count
        var random = generator
        let axes = [driftDegrees.yaw, driftDegrees.pitch, driftDegrees.roll].map { degrees in
            walk(frames: frames, fps: fps, random: &random).map { $0 * degrees * Double.pi / 180 * Double(amount) }
        }
        let fade = smoothFade(listening, frames: Int((driftFadeSeconds * fps).rounded()))
        return (0..<frames).map { f in
            HeadPose(yaw: Float(axes[0][f] * fade[f]), pitch: Float(axes[1][f] * fade[f]), roll: Float(axes[2][f] * fade[f]))
        }
    }

    /// A smoothed Ornstein–Uhlenbeck walk of unit long-run standard deviation, `frames` long.
    static func walk(frames: Int, fps: Double, random: inout RandomGenerator) -> [Double] {
        guard frames > 0 else { return [] }
        let pull = exp(-1 / (driftSeconds * fps)), kick = (1 - pull * pull).squareRoot()
        let sigma = driftSmoothingSeconds * fps, radius = Int(4 * sigma + 0.5)
        // The walk starts in its stationary distribution and runs `radius` frames past both ends, so the
        // low-pass sees the same process everywhere.
        var x = Double(random.nextNormal())
        let raw = (0..<(frames + 2 * radius)).map { _ in
            defer { x = pull * x + kick * Double(random.nextNormal()) }
            return x
        }
        let kernel = (-radius...radius).map { exp(-0.5 * Double($0 * $0) / (sigma * sigma)) }
        // The variance of Σ k_i x_i is Σ_i Σ_j k_i k_j pull^|i−j|: dividing by its root gives unit std.
        var variance = 0.0
        for i in kernel.indices { for j in kernel.indices { variance += kernel[i] * kernel[j] * pow(pull, Double(abs(i - j))) } }
        let scale = 1 / variance.squareRoot()
        return (0..<frames).map { f in kernel.indices.reduce(0.0) { $0 + kernel[$1] * raw[f + $1] } * scale }
    }

    /// Per frame, 0 outside `mask` and rising by a smoothstep to 1 over `frames` frames inside it from
    /// each end of a run (a short run peaks below 1): zero speed at both ends of the ramp.
    static func smoothFade(_ mask: [Bool], frames: Int) -> [Double] {
        var fade = [Double](repeating: 0, count: mask.count)
        for run in runs(mask) {
            for f in run {
                let u = min(1, Double(min(f - run.lowerBound + 1, run.upperBound - f)) / Double(max(1, frames) + 1))
                fade[f] = u * u * (3 - 2 * u)
            }
        }
        return fade
    }
}
