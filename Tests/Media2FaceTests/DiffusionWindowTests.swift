import M2FEngine
import M2FTestSupport
import Testing
import Media2Face

/// Overlapping windows: coverage, overlaps, cross-fade weights, split/blend round trips.
@Suite struct DiffusionWindowTests {
    @Test func shortClipIsOneWindow() {
        let plan = WindowPlan(frameCount: 7, windowLength: 120, overlap: 30)
        #expect(plan.starts == [0] && plan.windowLength == 7 && plan.weights == [[Float](repeating: 1, count: 7)])
    }

    @Test(arguments: [121, 200, 1800, 18_000, 216_001])
    func windowsCoverTheClipWithAtLeastTheOverlap(frames: Int) {
        let (length, overlap) = (120, 30)
        let plan = WindowPlan(frameCount: frames, windowLength: length, overlap: overlap)
        #expect(plan.starts.first == 0 && plan.starts.last == frames - length)
        for (a, b) in zip(plan.starts, plan.starts.dropFirst()) {
            #expect(a + length - b >= overlap)      // shared frames
            #expect(b > a)
        }
        // Fewest windows that can do it: one fewer would leave an overlap below O somewhere.
        let n = plan.windowCount
        #expect(n == 1 || (n - 1) * (length - overlap) + overlap < frames)
    }

    @Test func blendOfSplitIsIdentityAndWeightsCrossFade() {
        let frames = 500
        let plan = WindowPlan(frameCount: frames, windowLength: 120, overlap: 30)
        let sequence = DiffusionTestHelpers.random([frames, 5], seed: 1)
        let windows = plan.split(sequence)
        #expect(windows.shape == [plan.windowCount, 120, 5])
        #expect(Closeness.maxAbsoluteError(plan.blend(windows), sequence) <= 1e-6)
        // Interior windows: weight rises from near 0 to 1 across the first overlap and back at the end.
        let middle = plan.weights[1]
        #expect(middle[0] < 0.1 && middle[60] == 1 && middle[119] < 0.1)
        #expect(zip(middle.prefix(30), middle.prefix(30).dropFirst()).allSatisfy { $0 <= $1 })
        // Clip ends keep full weight.
        #expect(plan.weights[0][0] == 1 && plan.weights[plan.windowCount - 1][119] == 1)
    }

    @Test func blendCrossFadesDisagreeingWindowsContinuously() {
        // Window i is filled with the constant i: the blend must move from 0 to n − 1 without a jump
        // larger than one step of the ramp.
        let plan = WindowPlan(frameCount: 400, windowLength: 100, overlap: 40)
        let values = (0..<plan.windowCount).flatMap { index in [Float](repeating: Float(index), count: 100) }
        let blended = plan.blend(Tensor(values, shape: [plan.windowCount, 100, 1])).toArray()
        let jumps = zip(blended, blended.dropFirst()).map { Swift.abs($1 - $0) }
        #expect(jumps.max()! <= 1.0 / 20)
        #expect(blended.first == 0 && blended.last == Float(plan.windowCount - 1))
    }
}
