import Foundation

/// The One Euro filter (Casiez, Roussel and Vogel, CHI 2012): a low-pass filter whose cutoff rises with
/// the signal's speed, so slow jitter is smoothed and fast motion keeps its timing.
public struct OneEuroFilter: Sendable, Equatable {
    /// Cutoff at rest, Hz: lower smooths more.
    public var minimumCutoff: Double
    /// How fast the cutoff rises with speed (per unit of the signal per second).
    public var beta: Double
    /// Cutoff of the speed estimate, Hz.
    public var derivativeCutoff: Double

    public init(minimumCutoff: Double = 1.5, beta: Double = 2, derivativeCutoff: Double = 1) {
        (self.minimumCutoff, self.beta, self.derivativeCutoff) = (minimumCutoff, beta, derivativeCutoff)
    }

    static func smoothing(cutoff: Double, interval: Double) -> Double {
        let tau = 1 / (2 * Double.pi * cutoff)
        return 1 / (1 + tau / interval)
    }

    /// Filters a series sampled at `fps`, front to back.
    public func filter(_ values: [Float], fps: Double) -> [Float] {
        guard var previous = values.first.map(Double.init) else { return [] }
        let interval = 1 / fps
        var speed = 0.0
        var out = [Float](repeating: 0, count: values.count)
        out[0] = values[0]
        for i in 1..<values.count {
            let x = Double(values[i])
            let rawSpeed = (x - previous) / interval
            speed += Self.smoothing(cutoff: derivativeCutoff, interval: interval) * (rawSpeed - speed)
            let cutoff = minimumCutoff + beta * abs(speed)
            previous += Self.smoothing(cutoff: cutoff, interval: interval) * (x - previous)
            out[i] = Float(previous)
        }
        return out
    }
}
