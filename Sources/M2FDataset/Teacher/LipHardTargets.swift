import Foundation

/// Hard lip targets that coarticulation must not blur away: bilabial closure (p b m) and labiodental
/// contact (f v). Each is a per-frame envelope in [0, 1] that overrides the blended lip shape.
///
/// Timing in frame (video) time: the lips close `closureLead` before the acoustic segment starts
/// (articulation leads sound) and stay closed until the release: `stopReleaseFraction` of a p/b
/// (the burst), `nasalReleaseFraction` of an m, but at least `minimumClosureHold` after the acoustic
/// start, so at 30 fps at least two frames are closed even for a 20 ms segment. Ramps of
/// `closureRampIn` / `closureRampOut` lead in and out. Speaking rate never shortens or weakens them.
struct LipHardTargets: Sendable {
    /// Lips sealed (1) — applied as mouthClose = closure · jawOpen and openers × (1 − closure).
    var closure: [Float]
    /// Lips pressed before a stop's burst (0…1, times `stopPress`).
    var press: [Float]
    /// Lower lip on the upper teeth (0…1).
    var labiodental: [Float]

    init(segments: [PhoneSegment], frameCount: Int, fps: Double, configuration c: TeacherConfiguration) {
        closure = [Float](repeating: 0, count: frameCount)
        press = closure
        labiodental = closure
        for segment in segments {
            let kind = segment.phoneClass
            guard kind == .bilabialStop || kind == .bilabialNasal || kind == .labiodental else { continue }
            let fraction: Double
            switch kind {
            case .bilabialStop: fraction = c.stopReleaseFraction
            case .bilabialNasal: fraction = c.nasalReleaseFraction
            default: fraction = c.labiodentalReleaseFraction
            }
            let holdStart = segment.start - c.closureLead
            let holdEnd = max(segment.start + fraction * segment.duration, segment.start + c.minimumClosureHold)
            let envelope = Self.envelope(holdStart: holdStart, holdEnd: holdEnd, rampIn: c.closureRampIn,
                                         rampOut: c.closureRampOut, frameCount: frameCount, fps: fps)
            for (f, value) in envelope {
                switch kind {
                case .labiodental:
                    labiodental[f] = max(labiodental[f], value)
                case .bilabialStop:
                    closure[f] = max(closure[f], value)
                    press[f] = max(press[f], value)
                default:
                    closure[f] = max(closure[f], value)
                }
            }
        }
    }

    /// (frame, value) pairs of a plateau [holdStart, holdEnd] with smooth ramps either side.
    static func envelope(holdStart: Double, holdEnd: Double, rampIn: Double, rampOut: Double, frameCount: Int, fps: Double) -> [(Int, Float)] {
        let first = max(0, Int(((holdStart - rampIn) * fps).rounded(.down)))
        let last = min(frameCount - 1, Int(((holdEnd + rampOut) * fps).rounded(.up)))
        guard first <= last else { return [] }
        return (first...last).map { f in
            let t = Double(f) / fps
            let rise = smoothRamp(holdStart - rampIn, holdStart, t)
            let fall = 1 - smoothRamp(holdEnd, holdEnd + rampOut, t)
            return (f, Float(min(rise, fall)))
        }
    }
}
