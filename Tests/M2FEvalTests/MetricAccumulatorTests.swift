import Foundation
import M2FDataset
import M2FEval
import M2FFace
import Testing

/// The split-level accumulation: a reference scored against itself is perfect; a still face is not.
struct MetricAccumulatorTests {
    /// 2 s of talking: jaw opening with the syllables of a known phone list, a nod, loud where the jaw opens.
    static func clip() -> (FaceAnimation, [Float], [TimedPhone]) {
        var animation = FaceAnimation(fps: 30, frameCount: 60)
        let phones = [TimedPhone(phone: "m", start: 0.0, end: 0.2), TimedPhone(phone: "aa", start: 0.2, end: 0.6),
                      TimedPhone(phone: "b", start: 0.6, end: 0.8), TimedPhone(phone: "iy", start: 0.8, end: 1.3),
                      TimedPhone(phone: "p", start: 1.3, end: 1.45), TimedPhone(phone: "ow", start: 1.45, end: 2.0)]
        for f in 0..<60 {
            let t = Double(f) / 30
            let open = phones.first { t >= $0.start && t < $0.end }.map { ["m", "b", "p"].contains($0.phone) ? 0 : 0.5 } ?? 0
            animation[f, .jawOpen] = Float(open)
            animation[f, .browInnerUp] = Float(0.3 + 0.2 * sin(t * 5))
            animation.headPose[f] = HeadPose(yaw: Float(0.05 * sin(t * 6)), pitch: Float(0.03 * sin(t * 9)))
        }
        let samples = (0..<32_000).map { i -> Float in
            let t = Double(i) / 16_000
            let voiced = phones.first { t >= $0.start && t < $0.end }.map { ["m", "b", "p"].contains($0.phone) ? 0.02 : 0.4 } ?? 0
            return Float(voiced * sin(2 * Double.pi * 150 * t))
        }
        return (animation, samples, phones)
    }

    @Test func referenceAgainstItself() {
        let (animation, samples, phones) = Self.clip()
        var accumulator = MetricAccumulator()
        accumulator.add(predicted: animation, reference: animation, samples: samples, phones: phones)
        let scores = accumulator.scores
        #expect(scores.lve_mm == 0 && scores.fdd == 0)
        #expect(scores.av_offset_frames == 0)
        #expect(scores.lip_closure_rate == 1 && scores.bilabial_segments == 3)
        #expect(scores.reference_lip_closure_rate == 1)
        #expect(scores.slcc == scores.reference_slcc && (scores.slcc ?? 0) > 0.5)
        #expect(scores.beat_alignment == scores.reference_beat_alignment)
        #expect(scores.clips == 1 && scores.frames == 60)
    }

    @Test func stillFaceScoresWorse() {
        let (animation, samples, phones) = Self.clip()
        var still = FaceAnimation(fps: 30, frameCount: 61)  // one frame longer: the shorter length is used
        for f in 0..<61 { still[f, .jawOpen] = 0.2 }
        var accumulator = MetricAccumulator()
        accumulator.add(predicted: still, reference: animation, samples: samples, phones: phones)
        let scores = accumulator.scores
        #expect((scores.lve_mm ?? 0) > 1)
        #expect((scores.fdd ?? 0) > 1)
        #expect(scores.lip_closure_rate == 0)
        #expect(scores.slcc == nil)  // a constant opening has no correlation
        #expect(scores.frames == 60)
        // Identical samples have no diversity; a shifted jaw does.
        accumulator.addDiversity([still, still])
        #expect(accumulator.scores.diversity_lips_mm == 0 && accumulator.scores.diversity_head_deg == 0)
        #expect(accumulator.scores.diversity_lips_relative == nil)  // a still face has no motion to compare with
    }

    /// Relative diversity: two samples that differ by a phase shift of the same lip motion, judged
    /// against how much the lips move; the same spread on a region that moves 4× less weighs 4× more.
    @Test func relativeDiversityScalesWithTheRegionsMotion() {
        func talking(jaw: Float, brow: Float, phase: Double) -> FaceAnimation {
            var animation = FaceAnimation(fps: 30, frameCount: 60)
            for f in 0..<60 {
                let wave = Float(0.5 + 0.5 * sin(Double(f) / 4 + phase))
                animation[f, .jawOpen] = jaw * wave
                animation[f, .browInnerUp] = brow * wave
            }
            return animation
        }
        var big = MetricAccumulator(), small = MetricAccumulator()
        big.addDiversity([talking(jaw: 0.4, brow: 0.4, phase: 0), talking(jaw: 0.4, brow: 0.4, phase: 1)])
        small.addDiversity([talking(jaw: 0.1, brow: 0.1, phase: 0), talking(jaw: 0.1, brow: 0.1, phase: 1)])
        let b = big.scores, s = small.scores
        #expect((b.diversity_lips_mm ?? 0) > 3.5 * (s.diversity_lips_mm ?? 1))
        // Spread and motion shrink together: the relative figure stays (linear blendshapes).
        #expect(abs((b.diversity_lips_relative ?? 0) - (s.diversity_lips_relative ?? 1)) < 0.05 * (b.diversity_lips_relative ?? 1))
        #expect((b.diversity_upper_face_relative ?? 0) > 0.1)
    }
}
