import Foundation

/// A hand-scripted animation that exercises the rig: talking jaw and lips, blinks, a smile, brow
/// raises, gaze shifts and a head nod. For previews, demos and export tests (no model needed).
public enum ScriptedAnimation {
    public static func make(seconds: Double = 4, fps: Double = 30) -> FaceAnimation {
        let frames = Int((seconds * fps).rounded())
        var animation = FaceAnimation(fps: fps, frameCount: frames, metadata: ["source": "m2f scripted demo"])
        func bump(_ t: Double, _ centre: Double, _ width: Double) -> Float {
            let x = (t - centre) / width
            return Float(exp(-x * x))
        }
        for f in 0..<frames {
            let t = Double(f) / fps
            // Syllables at ~4 Hz with varying openness; lips round now and then.
            let syllable = max(0, sin(2 * .pi * 4 * t)) * (0.55 + 0.35 * sin(2 * .pi * 0.7 * t))
            animation[f, .jawOpen] = Float(syllable) * 0.8
            animation[f, .mouthFunnel] = bump(t, 1.2, 0.25) * 0.8
            animation[f, .mouthPucker] = bump(t, 2.6, 0.2) * 0.7
            animation[f, .mouthClose] = bump(t, 1.8, 0.08) * animation[f, .jawOpen]
            let smile = bump(t, 3.2, 0.5) * 0.9
            animation[f, .mouthSmileLeft] = smile
            animation[f, .mouthSmileRight] = smile
            animation[f, .cheekSquintLeft] = smile * 0.5
            animation[f, .cheekSquintRight] = smile * 0.5
            // Blinks at 0.9 s and 2.9 s (150 ms).
            let blink = max(bump(t, 0.9, 0.07), bump(t, 2.9, 0.07))
            animation[f, .eyeBlinkLeft] = blink
            animation[f, .eyeBlinkRight] = blink
            let brows = bump(t, 2.0, 0.35)
            animation[f, .browInnerUp] = brows * 0.8
            animation[f, .browOuterUpLeft] = brows * 0.6
            animation[f, .browOuterUpRight] = brows * 0.6
            // Gaze to the face's left and back.
            let look = bump(t, 1.5, 0.3)
            animation[f, .eyeLookOutLeft] = look * 0.7
            animation[f, .eyeLookInRight] = look * 0.7
            // A nod and a little turn.
            animation.headPose[f] = HeadPose(yaw: Float(0.12 * sin(2 * .pi * 0.3 * t)), pitch: Float(0.08 * sin(2 * .pi * 0.9 * t)),
                                             roll: Float(0.03 * sin(2 * .pi * 0.5 * t)))
        }
        return animation
    }
}
