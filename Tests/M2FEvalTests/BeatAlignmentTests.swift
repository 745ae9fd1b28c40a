import Foundation
import M2FEval
import M2FFace
import Testing

/// Beat alignment: the score's limits and motion beats of a head whose speed dips at known times.
struct BeatAlignmentTests {
    @Test func scoreLimits() {
        let beats = [0.5, 1.2, 2.0]
        #expect(BeatAlignment.score(audioBeats: beats, motionBeats: beats) == 1)
        #expect(BeatAlignment.score(audioBeats: beats, motionBeats: [10]).map { $0 < 1e-6 } == true)
        #expect(BeatAlignment.score(audioBeats: beats, motionBeats: []) == 0)
        #expect(BeatAlignment.score(audioBeats: [], motionBeats: beats) == nil)
        // One beat 0.1 s (= σ) from its motion beat scores exp(−½).
        let half = BeatAlignment.score(audioBeats: [1.0], motionBeats: [1.1], sigma: 0.1)!
        #expect(abs(half - 0.606_530_66) < 1e-6)
    }

    /// A nodding head (yaw = A·sin): its speed |cos| is smallest at the turning points k·T/2 + T/4.
    @Test func motionBeatsOfANodAreItsTurningPoints() {
        let fps = 30.0, period = 1.0
        let poses = (0..<120).map { HeadPose(yaw: 0.1 * Float(sin(2 * Double.pi * Double($0) / fps / period))) }
        let beats = BeatAlignment.motionBeats(headPose: poses, fps: fps)
        let expected = stride(from: 0.25, to: 3.9, by: 0.5).map { $0 }
        #expect(beats.count == expected.count)
        #expect(zip(beats, expected).allSatisfy { abs($0 - $1) < 1.0 / fps })
    }

    /// Clicks every 0.5 s in silence are found as onsets at their times.
    @Test func audioBeatsOfClicks() {
        var samples = [Float](repeating: 0, count: 48_000)
        var state: UInt64 = 1
        for click in stride(from: 0.25, to: 2.9, by: 0.5) {
            let start = Int(click * 16_000)
            for i in start..<(start + 800) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                samples[i] = Float(Int64(bitPattern: state) >> 40) / Float(1 << 23) * 0.5
            }
        }
        let beats = BeatAlignment.audioBeats(samples: samples)
        let expected = Array(stride(from: 0.25, to: 2.9, by: 0.5))
        #expect(beats.count == expected.count, "onsets \(beats)")
        #expect(zip(beats, expected).allSatisfy { abs($0 - $1) <= 0.02 })
    }
}
