import Foundation
import M2FDataset
import M2FFace
import Media2Face

/// Mean values of the channels emotions move, over all frames of a set of animations.
package struct ChannelMeans: Codable, Sendable, Equatable {
    /// (mouthSmileLeft + mouthSmileRight) / 2.
    package var smile: Double
    /// (mouthFrownLeft + mouthFrownRight) / 2.
    package var frown: Double
    package var brow_inner_up: Double
    /// (browDownLeft + browDownRight) / 2.
    package var brow_down: Double
    /// (cheekSquintLeft + cheekSquintRight) / 2.
    package var cheek_squint: Double
    package var jaw_open: Double

    package init(_ animations: [FaceAnimation]) {
        var sums = [Double](repeating: 0, count: ARKit.count)
        var frames = 0
        for animation in animations {
            for f in 0..<animation.frameCount {
                for k in 0..<ARKit.count { sums[k] += Double(animation.weights[f * ARKit.count + k]) }
            }
            frames += animation.frameCount
        }
        func mean(_ shapes: ARKitBlendshape...) -> Double {
            shapes.map { sums[$0.index] }.reduce(0, +) / Double(shapes.count * max(frames, 1))
        }
        smile = mean(.mouthSmileLeft, .mouthSmileRight)
        frown = mean(.mouthFrownLeft, .mouthFrownRight)
        brow_inner_up = mean(.browInnerUp)
        brow_down = mean(.browDownLeft, .browDownRight)
        cheek_squint = mean(.cheekSquintLeft, .cheekSquintRight)
        jaw_open = mean(.jawOpen)
    }
}

/// How strongly a style comes through as its guidance scale grows.
package struct StyleScalePoint: Codable, Sendable, Equatable {
    package var style_guidance: Float
    package var happy_smile: Double
    package var sad_frown: Double
    package var sad_brow_inner_up: Double
}

/// Keyframes: error at the constrained frames and motion around them.
package struct KeyframeCheck: Codable, Sendable, Equatable {
    /// Full 52-channel keyframes: max |weight − target| over constrained frames and channels.
    package var full_max_abs_error: Double
    package var full_keyframes: Int
    /// A channel held over the whole clip (mouthClose = 0): max |weight| over all frames.
    package var partial_max_abs_error: Double
    /// Frame-to-frame speed ‖Δw‖₂: the largest within ±3 frames of a keyframe, and the 99th percentile
    /// of the same clips without keyframes (no spike: the first is not far above the second).
    package var velocity_near_keyframes_max: Double
    package var velocity_without_keyframes_p99: Double
}

/// Seams at the joins of the denoising windows and of the long-audio pieces.
package struct SeamCheck: Codable, Sendable, Equatable {
    package var clip_seconds: Double
    package var window_joins: Int
    package var piece_joins: Int
    /// ‖Δw‖₂ per frame: mean at the join frames (±1) vs the rest of the clip.
    package var join_velocity_mean: Double
    package var within_velocity_mean: Double
    package var within_velocity_p95: Double
    package var within_velocity_p99: Double
    /// Share of join-frame velocities above the within-window 99th percentile (≈ 0.01 when there is no seam).
    package var joins_above_within_p99: Double
    /// The same for the piece joins of the long-audio path (pieces of `piece_seconds`).
    package var piece_seconds: Double
    package var piece_join_velocity_mean: Double
    package var piece_joins_above_within_p99: Double
}

/// Quality and time against the number of DDIM steps.
package struct StepsPoint: Codable, Sendable, Equatable {
    package var steps: Int
    package var lve_mm: Double?
    package var lip_closure_rate: Double?
    package var fdd: Double?
    package var seconds_per_audio_second: Double
}

/// Frame-to-frame speed ‖w[f + 1] − w[f]‖₂ over the 52 weights [F − 1].
func velocities(_ animation: FaceAnimation) -> [Double] {
    guard animation.frameCount >= 2 else { return [] }
    return (0..<(animation.frameCount - 1)).map { f in
        var sum = 0.0
        for k in 0..<ARKit.count {
            let d = Double(animation.weights[(f + 1) * ARKit.count + k] - animation.weights[f * ARKit.count + k])
            sum += d * d
        }
        return sum.squareRoot()
    }
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((p * Double(sorted.count - 1)).rounded()))]
}
