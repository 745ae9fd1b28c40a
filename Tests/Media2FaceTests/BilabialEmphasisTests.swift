import Foundation
import M2FDataset
import M2FEngine
import Media2FaceTraining
import Testing

/// The bilabial loss weight of fine-tuning (`m2f train diffusion --bilabial-weight`): which frames it
/// marks, and the weighted loss against a direct double-precision computation.
@Suite struct BilabialEmphasisTests {
    @Test func framesInsideBilabialPhonesAreMarked() {
        let phones = [TimedPhone(phone: "pau", start: 0, end: 0.1), TimedPhone(phone: "m", start: 0.1, end: 0.2),
                      TimedPhone(phone: "aa", start: 0.2, end: 0.4), TimedPhone(phone: "P", start: 0.4, end: 0.45),
                      TimedPhone(phone: "em", start: 0.45, end: 0.5)]
        let marked = DiffusionDatasetLoader.bilabialFrames(phones, frameCount: 16, fps: 30)
        // m covers frames 3…5 (0.1–0.2 s), p 12…13 (0.4–0.45 s, frame 13 starts at 0.433 s), em 13…14.
        #expect(marked.indices.filter { marked[$0] } == [3, 4, 5, 12, 13, 14])
        #expect(DiffusionDatasetLoader.bilabialFrames(phones, frameCount: 4, fps: 30) == [false, false, false, true])
    }

    @Test func weightedLossMatchesDirectComputation() {
        let (b, l, d) = (2, 5, 3)
        var generator = RandomGenerator(seed: 7)
        let prediction = Tensor.randomNormal([b, l, d], generator: &generator)
        let target = Tensor.randomNormal([b, l, d], generator: &generator)
        let valid: [Float] = [1, 1, 1, 1, 1, 1, 1, 1, 0, 0]
        let emphasis: [Float] = [1, 6, 6, 1, 1, 1, 1, 6, 1, 1]
        let loss = DiffusionLoss(bilabialWeight: 6)(prediction: prediction, target: target, valid: Tensor(valid, shape: [b, l, 1]),
                                                    emphasis: Tensor(emphasis, shape: [b, l, 1]))
        let p = prediction.toArray().map(Double.init), x = target.toArray().map(Double.init)
        var simple = 0.0, simpleWeight = 0.0, velocity = 0.0, velocityWeight = 0.0
        for row in 0..<b {
            for t in 0..<l {
                let w = Double(valid[row * l + t] * emphasis[row * l + t])
                for c in 0..<d { let e = p[(row * l + t) * d + c] - x[(row * l + t) * d + c]; simple += w * e * e }
                simpleWeight += w * Double(d)
                guard t > 0 else { continue }
                let pair = Double(valid[row * l + t] * valid[row * l + t - 1]) * Double(emphasis[row * l + t])
                for c in 0..<d {
                    let i = (row * l + t) * d + c, j = (row * l + t - 1) * d + c
                    let e = (p[i] - p[j]) - (x[i] - x[j])
                    velocity += pair * e * e
                }
                velocityWeight += pair * Double(d)
            }
        }
        #expect(Swift.abs(Double(loss.simple.item()) - simple / simpleWeight) <= 1e-5)
        #expect(Swift.abs(Double(loss.velocity.item()) - velocity / velocityWeight) <= 1e-5)
        // Emphasis of all ones is the plain loss.
        let plain = DiffusionLoss()(prediction: prediction, target: target, valid: Tensor(valid, shape: [b, l, 1]))
        let ones = DiffusionLoss()(prediction: prediction, target: target, valid: Tensor(valid, shape: [b, l, 1]),
                                   emphasis: Tensor([Float](repeating: 1, count: b * l), shape: [b, l, 1]))
        #expect(plain.total.item() == ones.total.item())
        #expect(Swift.abs(Double(loss.simple.item()) - Double(plain.simple.item())) > 1e-4)
    }

    @Test func checkpointsWithoutTheWeightReadAsOne() throws {
        let old = #"{"simpleWeight":1,"velocityWeight":1,"smoothnessWeight":0.01}"#
        let loss = try JSONDecoder().decode(DiffusionLoss.self, from: Data(old.utf8))
        #expect(loss == DiffusionLoss())
        let roundTrip = try JSONDecoder().decode(DiffusionLoss.self, from: try JSONEncoder().encode(DiffusionLoss(bilabialWeight: 4)))
        #expect(roundTrip.bilabialWeight == 4)
    }
}
