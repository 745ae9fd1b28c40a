import Foundation
import M2FFace
import Media2Face
import Testing

/// Singing mode's opening of loud and high notes (`SungNoteOpening`).
struct SungNoteOpeningTests {
    /// A steady vowel-like tone: `hz` and its octave, `dB` louder than 0.2 amplitude.
    static func vowel(_ hz: Double, dB: Double, seconds: Double) -> [Float] {
        (0..<Int(seconds * 16_000)).map { i in
            let t = Double(i) / 16_000
            return Float(pow(10, dB / 20) * 0.2 * (sin(2 * .pi * hz * t) + 0.5 * sin(4 * .pi * hz * t)))
        }
    }

    @Test("the gain follows level and pitch: +0.6 per 10 dB, +1.0 per octave against the voiced median")
    func gainsFromLevelAndPitch() {
        // 2.5 s at 110 Hz, 0.5 s of silence, 1.5 s 3 dB louder and 2 semitones higher.
        let samples = Self.vowel(110, dB: 0, seconds: 2.5) + [Float](repeating: 0, count: 8_000) + Self.vowel(110 * pow(2, 2.0 / 12), dB: 3, seconds: 1.5)
        let gains = SungNoteOpening().gains(samples: samples, fps: 30, frameCount: 135)
        // The median of the voiced frames lies in the longer first vowel: 1 there; the second is 3 dB and
        // 2 semitones above it: 1 + 0.6 · 0.3 + 1.0 · 2 / 12 = 1.347. Mid-vowel, at least 22 frames from
        // either end, the 0.1 s Gaussian (radius 12 frames) sees that vowel only.
        #expect(abs(gains[37] - 1) < 0.01, "\(gains[37])")
        #expect(abs(gains[112] - 1.347) < 0.01, "\(gains[112])")
        // In the silence the gain eases from one to the other, without a step.
        #expect(zip(gains.dropFirst(), gains).allSatisfy { abs($0 - $1) < 0.05 })
        // A held vowel keeps one gain: its median, whatever the frames in it say.
        let held = SungNoteOpening().gains(samples: samples, fps: 30, frameCount: 135, heldVowels: [20..<100])
        #expect((32..<88).allSatisfy { held[$0] == held[60] } && abs(held[60] - 1) < 0.01)
        // Silence alone: no voice, gain 1.
        #expect(SungNoteOpening().gains(samples: [Float](repeating: 0, count: 16_000), fps: 30, frameCount: 30).allSatisfy { $0 == 1 })
    }

    @Test("apply scales the mouth, adds jaw opening where the lips are apart, keeps closed lips closed")
    func applyOpensTheMouth() {
        var face = FaceAnimation(fps: 30, frameCount: 4)
        func set(_ f: Int, _ shape: ARKitBlendshape, _ v: Float) { face.weights[f * ARKit.count + shape.index] = v }
        for f in 0..<4 { set(f, .jawOpen, 0.2); set(f, .mouthFunnel, 0.1); set(f, .browInnerUp, 0.3) }
        set(1, .mouthClose, 0.2)  // frame 1: a bilabial closure (mouthClose cancels the jaw's lip parting)
        var opened = face
        SungNoteOpening().apply(to: &opened, gains: [1.5, 1.5, 0.5, 1])
        // Open lips, gain 1.5: 0.2 · 1.5 + 0.6 · 0.5 = 0.6; the other mouth channels × 1.5; brows untouched.
        #expect(abs(opened[0, .jawOpen] - 0.6) < 1e-6 && abs(opened[0, .mouthFunnel] - 0.15) < 1e-6)
        #expect(opened[0, .browInnerUp] == 0.3)
        // The closure: jaw and mouthClose scale together (lips stay together), no added opening.
        #expect(abs(opened[1, .jawOpen] - 0.3) < 1e-6 && abs(opened[1, .mouthClose] - 0.3) < 1e-6)
        // Gain 0.5: 0.2 · 0.5 − 0.6 · 0.5 would shut the vowel; the jaw keeps half its opening.
        #expect(abs(opened[2, .jawOpen] - 0.1) < 1e-6)
        // Gain 1: the frame is left exactly as it was.
        #expect(opened.frame(3) == face.frame(3))
    }
}
