import Foundation

/// Linear warmup to a peak learning rate, then cosine decay to a floor.
///
/// `learningRate(at: step)` for the 0-based index of the upcoming optimiser step:
/// - warmup, step < W: peak · (step + 1) / W, so the first step is not wasted at zero and step W − 1 is at peak;
/// - decay, W ≤ step < N: floor + (peak − floor) · ½ · (1 + cos(π · (step − W) / (N − W)));
/// - after N steps: floor.
public struct WarmupCosineSchedule: Codable, Sendable, Equatable {
    /// Learning rate at the end of warmup.
    public var peakLearningRate: Float
    /// Warmup steps W. Default 0 (start at the peak).
    public var warmupSteps: Int
    /// Total steps N, warmup included.
    public var totalSteps: Int
    /// Learning rate at the end of the decay. Default 0.
    public var minimumLearningRate: Float

    public init(peakLearningRate: Float, warmupSteps: Int = 0, totalSteps: Int, minimumLearningRate: Float = 0) {
        precondition(warmupSteps >= 0 && totalSteps >= warmupSteps, "schedule: warmup \(warmupSteps) of \(totalSteps) steps")
        self.peakLearningRate = peakLearningRate
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        self.minimumLearningRate = minimumLearningRate
    }

    /// The learning rate for optimiser step `step` (0-based).
    public func learningRate(at step: Int) -> Float {
        if step < warmupSteps { return peakLearningRate * Float(step + 1) / Float(warmupSteps) }
        let decaySteps = totalSteps - warmupSteps
        guard step < totalSteps, decaySteps > 0 else { return minimumLearningRate }
        let progress = Double(step - warmupSteps) / Double(decaySteps)
        let cosine = Float(0.5 * (1 + Foundation.cos(Double.pi * progress)))
        return minimumLearningRate + (peakLearningRate - minimumLearningRate) * cosine
    }
}
