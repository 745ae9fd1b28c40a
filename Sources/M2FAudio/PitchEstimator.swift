import Foundation

/// Fundamental frequency of voiced audio by YIN (de Cheveigné & Kawahara 2002): the cumulative-mean-
/// normalised difference function d′(τ) of a window, its first dip below `threshold` (else its global
/// minimum), refined by parabolic interpolation. Used by singing mode to tell high notes from low.
public struct PitchEstimator: Sendable {
    public var sampleRate: Double
    /// Lowest and highest F0 searched (Hz).
    public var minimumHz: Double
    public var maximumHz: Double
    /// Samples per analysis window (must hold two periods of `minimumHz`).
    public var windowLength: Int
    /// d′ threshold of YIN's absolute-threshold step; above it at every lag the frame counts as unvoiced
    /// only when the global minimum is above `unvoicedAbove`.
    public var threshold = 0.15
    public var unvoicedAbove = 0.5

    public init(sampleRate: Double = 16_000, minimumHz: Double = 60, maximumHz: Double = 1_000) {
        precondition(sampleRate > 0 && minimumHz > 0 && maximumHz > minimumHz, "pitch range \(minimumHz)…\(maximumHz) Hz at \(sampleRate) Hz")
        self.sampleRate = sampleRate
        self.minimumHz = minimumHz
        self.maximumHz = maximumHz
        windowLength = Int((2 * sampleRate / minimumHz).rounded(.up))
    }

    /// F0 in Hz of the window starting at `start`, or nil when unvoiced or past the end of `samples`.
    public func frequency(_ samples: [Float], start: Int) -> Double? {
        let maximumLag = Int((sampleRate / minimumHz).rounded(.up)), minimumLag = max(2, Int(sampleRate / maximumHz))
        let width = windowLength - maximumLag
        guard start >= 0, width > 0, start + windowLength <= samples.count else { return nil }
        // d(τ) = Σ_j (x_j − x_{j+τ})² over the first `width` samples; d′(τ) = d(τ) · τ / Σ_{k≤τ} d(k).
        var normalised = [Double](repeating: 1, count: maximumLag + 1)
        var running = 0.0
        for lag in 1...maximumLag {
            var sum = 0.0
            for j in start..<(start + width) {
                let d = Double(samples[j]) - Double(samples[j + lag])
                sum += d * d
            }
            running += sum
            normalised[lag] = running > 0 ? sum * Double(lag) / running : 1
        }
        var chosen: Int?
        var lag = minimumLag
        while lag < maximumLag {
            if normalised[lag] < threshold {
                while lag + 1 < maximumLag, normalised[lag + 1] < normalised[lag] { lag += 1 }
                chosen = lag
                break
            }
            lag += 1
        }
        if chosen == nil {
            let best = (minimumLag..<maximumLag).min { normalised[$0] < normalised[$1] }!
            guard normalised[best] <= unvoicedAbove else { return nil }
            chosen = best
        }
        let tau = chosen!
        // Parabola through d′(τ − 1), d′(τ), d′(τ + 1).
        let (a, b, c) = (normalised[tau - 1], normalised[tau], normalised[tau + 1])
        let denominator = a - 2 * b + c
        let shift = abs(denominator) > 1e-12 ? max(-0.5, min(0.5, 0.5 * (a - c) / denominator)) : 0
        return sampleRate / (Double(tau) + shift)
    }
}
