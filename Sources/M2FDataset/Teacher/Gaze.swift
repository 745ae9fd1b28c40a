import Foundation
import M2FEngine

/// Gaze: fixations separated by fast saccades, plus slow fixational drift.
///
/// Fixation lengths are uniform in `speakingFixation` or `listeningFixation` (chosen by whether the
/// clip is silent at the fixation's start); targets are normal around the centre (yawSpread,
/// pitchSpread; × `listeningSpreadScale` while listening), clamped at 2σ, plus an emotion pitch
/// bias. Saccades are smooth steps of `saccadeDuration`.
struct GazeTrack: Sendable {
    /// Gaze yaw (positive toward the face's left) and pitch (positive down) per frame, radians.
    var yaw: [Float]
    var pitch: [Float]

    init(frameCount: Int, fps: Double, silence: [Float], pitchBias: Double, seed: UInt64, settings s: GazeSettings) {
        var generator = TeacherStream.gaze.generator(seed: seed)
        func uniform(_ range: ClosedRange<Double>) -> Double {
            range.lowerBound + Double(generator.nextUniform()) * (range.upperBound - range.lowerBound)
        }
        func clamped(_ x: Double) -> Double { min(2, max(-2, x)) }
        struct Fixation { var start: Double; var yaw: Double; var pitch: Double }
        let duration = Double(frameCount) / fps
        var fixations: [Fixation] = []
        var t = 0.0
        var first = true
        while t < duration + 1 {
            let frame = min(frameCount - 1, max(0, Int(t * fps)))
            let listening = frameCount > 0 && silence[frame] > 0.5
            let scale = listening ? s.listeningSpreadScale : 1
            // The first fixation is on the listener, near the centre.
            let spread = first ? 0.3 : 1.0
            fixations.append(Fixation(start: t,
                                      yaw: spread * scale * s.yawSpread * clamped(Double(generator.nextNormal())),
                                      pitch: spread * scale * s.pitchSpread * clamped(Double(generator.nextNormal()))))
            t += uniform(listening ? s.listeningFixation : s.speakingFixation)
            first = false
        }
        let driftYaw = SmoothNoise(band: 0.2...1.0, generator: &generator)
        let driftPitch = SmoothNoise(band: 0.2...1.0, generator: &generator)
        yaw = [Float](repeating: 0, count: frameCount)
        pitch = yaw
        var index = 0
        for f in 0..<frameCount {
            let time = Double(f) / fps
            while index + 1 < fixations.count && fixations[index + 1].start <= time { index += 1 }
            var y = fixations[index].yaw, p = fixations[index].pitch
            if index > 0 {
                let blend = smoothRamp(fixations[index].start, fixations[index].start + s.saccadeDuration, time)
                y = fixations[index - 1].yaw + (y - fixations[index - 1].yaw) * blend
                p = fixations[index - 1].pitch + (p - fixations[index - 1].pitch) * blend
            }
            yaw[f] = Float(y + s.drift * driftYaw(time))
            pitch[f] = Float(p + pitchBias + s.drift * driftPitch(time))
        }
    }

    /// Writes the eyeLook* weights of frame f into `weights` (52): yaw toward the face's left turns the
    /// left eye out and the right eye in; pitch down uses eyeLookDown, up eyeLookUp.
    func apply(frame f: Int, to weights: inout [Float], settings s: GazeSettings) {
        let y = Double(yaw[f]), p = Double(pitch[f])
        let side = Float(min(1, abs(y) / s.lookInOutAngle))
        if y > 0 {
            weights[ARKitBlendshapeIndex.eyeLookOutLeft] += side
            weights[ARKitBlendshapeIndex.eyeLookInRight] += side
        } else {
            weights[ARKitBlendshapeIndex.eyeLookInLeft] += side
            weights[ARKitBlendshapeIndex.eyeLookOutRight] += side
        }
        if p > 0 {
            let down = Float(min(1, p / s.lookDownAngle))
            weights[ARKitBlendshapeIndex.eyeLookDownLeft] += down
            weights[ARKitBlendshapeIndex.eyeLookDownRight] += down
        } else {
            let up = Float(min(1, -p / s.lookUpAngle))
            weights[ARKitBlendshapeIndex.eyeLookUpLeft] += up
            weights[ARKitBlendshapeIndex.eyeLookUpRight] += up
        }
    }
}
