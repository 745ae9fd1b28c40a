import Foundation
import M2FDataset
import M2FEval
import M2FFace
import Testing

/// Lip gap, closure, SLCC and offset on signals with a known answer.
struct LipSyncTests {
    static let signals = FaceSignals()

    /// jawOpen following a syllable-like pattern, optionally shifted by `shift` frames.
    static func talking(frames: Int, shift: Int = 0) -> FaceAnimation {
        var animation = FaceAnimation(fps: 30, frameCount: frames)
        for f in 0..<frames {
            let t = Double(f - shift) / 30
            let syllables: Double = sin(2 * Double.pi * 3.1 * t)
            let phrases: Double = sin(2 * Double.pi * 0.37 * t + 0.3)
            animation[f, .jawOpen] = Float(max(0, syllables * phrases))
        }
        return animation
    }

    @Test func lipGapIsZeroAtRestAndGrowsWithTheJaw() {
        #expect(Self.signals.lipGap(weights: [Float](repeating: 0, count: 52)) < 1e-6)
        var previous: Float = 0
        for step in 1...5 {
            var weights = [Float](repeating: 0, count: 52)
            weights[ARKitBlendshape.jawOpen.index] = Float(step) / 5
            let gap = Self.signals.lipGap(weights: weights)
            #expect(gap > previous)
            previous = gap
        }
        #expect(previous > 0.005, "jawOpen = 1 parts the lips by more than 5 mm, got \(previous)")
    }

    @Test(arguments: [-4, -1, 0, 2, 5])
    func offsetRecoversAKnownShift(shift: Int) {
        let reference = Self.signals.lipGap(Self.talking(frames: 150))
        let predicted = Self.signals.lipGap(Self.talking(frames: 150, shift: shift))
        #expect(LipSyncMetrics.offset(predicted: predicted, reference: reference, maxLag: 8) == shift)
    }

    @Test func offsetOfUninformativeSignalsIsNil() {
        #expect(LipSyncMetrics.offset(predicted: [Float](repeating: 0, count: 40), reference: [Float](repeating: 0, count: 40)) == nil)
    }

    @Test func closureOnTheRig() {
        let phones = [TimedPhone(phone: "pau", start: 0, end: 0.2), TimedPhone(phone: "m", start: 0.2, end: 0.3),
                      TimedPhone(phone: "aa", start: 0.3, end: 0.6), TimedPhone(phone: "b", start: 0.6, end: 0.7),
                      TimedPhone(phone: "iy", start: 0.7, end: 1.0)]
        var closing = FaceAnimation(fps: 30, frameCount: 30)
        for f in 9..<18 { closing[f, .jawOpen] = 0.6 }   // open on "aa" only
        for f in 21..<30 { closing[f, .jawOpen] = 0.3 }  // and on "iy"
        let closed = LipSyncMetrics.closure(gaps: Self.signals.lipGap(closing), phones: phones, fps: 30, threshold: 0.001)
        #expect(closed == LipSyncMetrics.ClosureCount(closed: 2, total: 2))
        var open = closing
        for f in 0..<30 { open[f, .jawOpen] = 0.4 }  // never closes
        let missed = LipSyncMetrics.closure(gaps: Self.signals.lipGap(open), phones: phones, fps: 30, threshold: 0.001)
        #expect(missed.rate == 0 && missed.total == 2)
        #expect(LipSyncMetrics.closure(gaps: [], phones: phones, fps: 30, threshold: 0.001).rate == nil)
    }

    @Test func slccSignAndRange() {
        let loudness = (0..<90).map { -40 + 30 * sin(Double($0) / 4) }
        let following = loudness.map { Float(($0 + 40) / 3000) }
        let opposite = following.map { 0.02 - $0 }
        #expect(abs(LipSyncMetrics.slcc(loudness: loudness, opening: following)! - 1) < 1e-9)
        #expect(abs(LipSyncMetrics.slcc(loudness: loudness, opening: opposite)! + 1) < 1e-9)
        #expect(LipSyncMetrics.slcc(loudness: loudness, opening: [Float](repeating: 0, count: 90)) == nil)
    }

    @Test func loudnessOfSilenceIsTheFloorAndOfAFullScaleSineIsMinus3dB() {
        let silence = LipSyncMetrics.loudness(samples: [Float](repeating: 0, count: 16_000), sampleRate: 16_000, fps: 30, frameCount: 30)
        #expect(silence.allSatisfy { $0 == -100 })
        let sine = (0..<16_000).map { Float(sin(2 * Double.pi * 440 * Double($0) / 16_000)) }
        let loud = LipSyncMetrics.loudness(samples: sine, sampleRate: 16_000, fps: 30, frameCount: 30)
        #expect(loud[5..<25].allSatisfy { abs($0 + 3.01) < 0.05 })
    }
}
