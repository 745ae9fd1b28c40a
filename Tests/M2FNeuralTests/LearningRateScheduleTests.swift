import Foundation
import M2FNeural
import Testing

/// Warmup + cosine values by hand.
@Suite struct LearningRateScheduleTests {
    @Test func warmupThenCosineToTheFloor() {
        let schedule = WarmupCosineSchedule(peakLearningRate: 1, warmupSteps: 4, totalSteps: 12, minimumLearningRate: 0.1)
        let expected: [(Int, Float)] = [
            (0, 0.25), (1, 0.5), (3, 1),                   // warmup: (step + 1) / 4
            (4, 1),                                        // cosine starts at the peak
            (8, 0.1 + 0.9 * 0.5),                          // half way: cos(π/2) = 0
            (6, 0.1 + 0.9 * 0.5 * (1 + Float(Foundation.cos(Double.pi / 4)))),
            (12, 0.1), (100, 0.1),                         // after the end: the floor
        ]
        for (step, value) in expected {
            #expect(Swift.abs(schedule.learningRate(at: step) - value) < 1e-6, "step \(step)")
        }
    }

    @Test func noWarmupStartsAtPeak() {
        let schedule = WarmupCosineSchedule(peakLearningRate: 3e-4, totalSteps: 10)
        #expect(schedule.learningRate(at: 0) == 3e-4)
        #expect(schedule.learningRate(at: 10) == 0)
        for step in 0..<9 { #expect(schedule.learningRate(at: step + 1) < schedule.learningRate(at: step)) }
    }
}
