import Foundation
import GNPFATraining
import M2FFace
import Testing
import M2FGNPFA

@Suite("Recorded expression frames")
struct ExpressionFramesTests {
    @Test func loadsAnimationsAndSplitsByFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gnpfa-frames-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("clips"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: GNPFAError.self) { try ExpressionFrames.load(directory: directory) }
        var sampler = ExpressionSampler(seed: 8)
        for i in 0..<3 {
            let animation = FaceAnimation(fps: 30, weights: (0..<6).flatMap { _ in sampler.next() })
            try AnimationJSON.write(animation, to: directory.appendingPathComponent("clips/clip\(i).json"))
        }
        try Data("{\"not\": \"an animation\"}".utf8).write(to: directory.appendingPathComponent("manifest.json"))
        let frames = try ExpressionFrames.load(directory: directory, stride: 2, heldOutEvery: 3)
        #expect(frames.fileCount == 3)
        #expect(frames.trainingCount == 6 && frames.heldOutCount == 3)  // 3 of 6 frames per file; the 3rd file held out
        #expect(frames.training.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test func interpolationHelpers() {
        let line = LatentInterpolation.line(from: [0, 2], to: [1, 0], steps: 3).toArray()
        #expect(line == [0, 2, 0.5, 1, 1, 0])
        #expect(LatentInterpolation.reversal([0, 0.5, 1]) == 0)
        #expect(Swift.abs(LatentInterpolation.reversal([0, 0.6, 0.4, 1]) - 0.2) < 1e-6)
        #expect(Swift.abs(LatentInterpolation.reversal([1, 0.2, 0.3, 0]) - 0.1) < 1e-6)
    }

    @Test func lipErrorIsLinearInTheWeightDifference() {
        let meter = LipErrorMeter()
        var a = [Float](repeating: 0, count: 52), b = a
        b[ARKitBlendshape.jawOpen.index] = 0.5
        let half = meter.frameError(a, b)
        b[ARKitBlendshape.jawOpen.index] = 1
        let full = meter.frameError(a, b)
        #expect(half > 1 && Swift.abs(full - 2 * half) < 1e-3 * full)
        a[ARKitBlendshape.eyeBlinkLeft.index] = 1
        #expect(meter.frameError(a, a) == 0)
        #expect(ErrorSummary([1, 2, 3, 4]).mean == 2.5)
    }
}
