import Foundation
import M2FFace

/// What a style control should move, read from animations: channel means, motion and head motion.
package enum ControlChannel: String, Codable, Sendable, CaseIterable {
    /// (mouthSmileLeft + mouthSmileRight) / 2: happy.
    case smile
    /// (mouthFrownLeft + mouthFrownRight) / 2: sad.
    case frown
    /// browInnerUp: sad, fearful, surprised.
    case brow_inner_up
    /// (browDownLeft + browDownRight) / 2: angry.
    case brow_down
    /// (eyeWideLeft + eyeWideRight) / 2: surprised, fearful.
    case eye_wide
    /// (mouthStretchLeft + mouthStretchRight) / 2: fearful.
    case mouth_stretch
    /// (noseSneerLeft + noseSneerRight) / 2: disgusted.
    case nose_sneer
    /// (mouthDimpleLeft + mouthDimpleRight) / 2: contempt (one-sided).
    case dimple
    /// jawOpen: articulation.
    case jaw_open
    /// Mean frame-to-frame speed ‖Δw‖₂ over every channel but blinks and gaze: energy.
    case expression_speed
    /// Mean over yaw, pitch and roll of the std over frames, in degrees: head motion.
    case head_rotation_std

    /// The channel each emotion's teacher pattern moves most and no other emotion moves as much.
    package static func signature(of emotion: Emotion) -> ControlChannel? {
        switch emotion {
        case .neutral: return nil
        case .happy: return .smile
        case .sad: return .frown
        case .angry: return .brow_down
        case .surprised: return .eye_wide
        case .fearful: return .mouth_stretch
        case .disgusted: return .nose_sneer
        case .contempt: return .dimple
        }
    }
}

/// The `ControlChannel` values of a set of animations (frames pooled; speeds and stds per animation,
/// weighted by frames).
package struct ControlSignals: Codable, Sendable, Equatable {
    package var values: [String: Double]

    package init(_ animations: [FaceAnimation]) {
        var sums = [Double](repeating: 0, count: ARKit.count)
        var frames = 0, speed = 0.0, speedFrames = 0, headStd = 0.0
        let moving = ARKit.names.indices.filter { !ARKit.names[$0].hasPrefix("eyeBlink") && !ARKit.names[$0].hasPrefix("eyeLook") }
        for animation in animations {
            let f = animation.frameCount
            for i in 0..<f {
                for k in 0..<ARKit.count { sums[k] += Double(animation.weights[i * ARKit.count + k]) }
                if i > 0 {
                    speed += moving.reduce(0.0) { sum, k in
                        let d = Double(animation.weights[i * ARKit.count + k] - animation.weights[(i - 1) * ARKit.count + k])
                        return sum + d * d
                    }.squareRoot()
                    speedFrames += 1
                }
            }
            let angles: [(HeadPose) -> Float] = [\.yaw, \.pitch, \.roll]
            let std = angles.map { angle in Self.standardDeviation(animation.headPose.map { Double(angle($0)) }) }.reduce(0, +) / 3
            headStd += std * 180 / Double.pi * Double(f)
            frames += f
        }
        func mean(_ names: String...) -> Double {
            names.map { sums[ARKit.index(of: $0)!] }.reduce(0, +) / Double(names.count * max(frames, 1))
        }
        values = [
            ControlChannel.smile.rawValue: mean("mouthSmileLeft", "mouthSmileRight"),
            ControlChannel.frown.rawValue: mean("mouthFrownLeft", "mouthFrownRight"),
            ControlChannel.brow_inner_up.rawValue: mean("browInnerUp"),
            ControlChannel.brow_down.rawValue: mean("browDownLeft", "browDownRight"),
            ControlChannel.eye_wide.rawValue: mean("eyeWideLeft", "eyeWideRight"),
            ControlChannel.mouth_stretch.rawValue: mean("mouthStretchLeft", "mouthStretchRight"),
            ControlChannel.nose_sneer.rawValue: mean("noseSneerLeft", "noseSneerRight"),
            ControlChannel.dimple.rawValue: mean("mouthDimpleLeft", "mouthDimpleRight"),
            ControlChannel.jaw_open.rawValue: mean("jawOpen"),
            ControlChannel.expression_speed.rawValue: speed / Double(max(speedFrames, 1)),
            ControlChannel.head_rotation_std.rawValue: headStd / Double(max(frames, 1)),
        ]
    }

    package subscript(_ channel: ControlChannel) -> Double { values[channel.rawValue] ?? 0 }

    static func standardDeviation(_ x: [Double]) -> Double {
        guard x.count > 1 else { return 0 }
        let mean = x.reduce(0, +) / Double(x.count)
        return (x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count)).squareRoot()
    }
}
