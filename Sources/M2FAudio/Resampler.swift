import Foundation
import M2FEngine

/// Rational-ratio polyphase resampler with a Kaiser-windowed sinc low-pass, designed as
/// `scipy.signal.resample_poly` designs it (so the two agree to rounding):
///
/// - up/down = target/source reduced by their gcd;
/// - the filter has 2·(10·max(up, down)) + 1 taps, cutoff 1/max(up, down) of Nyquist,
///   Kaiser window β = 5, normalised to unit DC gain, then scaled by `up`;
/// - output sample k sits at source time k·down/up: y[k] = Σ_i x[i]·h[half + k·down − i·up],
///   with zeros outside the input; ceil(count·up/down) samples come out.
public struct Resampler: Sendable {
    public let sourceRate: Int
    public let targetRate: Int
    /// Interpolation factor after reduction.
    public let up: Int
    /// Decimation factor after reduction.
    public let down: Int
    /// Half the filter length (the filter's centre index).
    public let halfLength: Int
    /// Polyphase bank: phase r holds h[r], h[r + up], h[r + 2·up], … (reversed taps of that phase).
    let phases: [[Double]]

    /// - Parameter kaiserBeta: the window's β (5 as scipy; larger gives more stop-band rejection).
    public init(from sourceRate: Int, to targetRate: Int = WhisperLogMel.sampleRate, kaiserBeta: Double = 5) {
        precondition(sourceRate > 0 && targetRate > 0, "sample rates must be positive")
        self.sourceRate = sourceRate
        self.targetRate = targetRate
        let divisor = Self.gcd(sourceRate, targetRate)
        up = targetRate / divisor
        down = sourceRate / divisor
        let maxRate = max(up, down)
        halfLength = 10 * maxRate
        let gain = Double(targetRate / divisor)
        let taps = Self.lowPass(count: 20 * maxRate + 1, cutoff: 1 / Double(maxRate), kaiserBeta: kaiserBeta)
            .map { $0 * gain }
        var phases = [[Double]](repeating: [], count: targetRate / divisor)
        for (index, tap) in taps.enumerated() { phases[index % phases.count].append(tap) }
        self.phases = phases
    }

    /// Output length for `count` input samples.
    public func outputCount(for count: Int) -> Int { (count * up + down - 1) / down }

    /// Resamples `samples`; returns them unchanged when the rates match.
    public func callAsFunction(_ samples: [Float]) -> [Float] {
        if up == down { return samples }
        let outputs = outputCount(for: samples.count)
        var result = [Float](repeating: 0, count: outputs)
        let up = self.up, down = self.down, half = halfLength, count = samples.count
        samples.withUnsafeBufferPointer { input in
            result.withUnsafeMutableBufferPointer { output in
                let out = UncheckedPointer(output.baseAddress!)
                let x = input.baseAddress!
                Parallel.forRanges(outputs, minimumPerWorker: 4096) { range in
                    for k in range {
                        // t = half + k·down; source i contributes tap h[t − i·up], i.e. phase t mod up.
                        let t = half + k * down
                        let phase = t % up
                        let newest = t / up  // the i whose tap index is the phase itself (j = 0)
                        phases[phase].withUnsafeBufferPointer { bank in
                            // tap j pairs with source newest − j; keep 0 ≤ newest − j < count.
                            let firstTap = max(0, newest - (count - 1))
                            let lastTap = min(bank.count - 1, newest)
                            var sum = 0.0
                            if firstTap <= lastTap {
                                for j in firstTap...lastTap { sum += bank[j] * Double(x[newest - j]) }
                            }
                            out.pointer[k] = Float(sum)
                        }
                    }
                }
            }
        }
        return result
    }

    /// Kaiser-windowed sinc low-pass (`scipy.signal.firwin(count, cutoff, window=("kaiser", β))`):
    /// cutoff relative to Nyquist, unit gain at DC.
    public static func lowPass(count: Int, cutoff: Double, kaiserBeta: Double) -> [Double] {
        let centre = Double(count - 1) / 2
        let norm = besselI0(kaiserBeta)
        var taps = (0..<count).map { index -> Double in
            let m = Double(index) - centre
            let x = cutoff * m
            let sinc = x == 0 ? 1 : sin(Double.pi * x) / (Double.pi * x)
            let ratio = count > 1 ? 2 * Double(index) / Double(count - 1) - 1 : 0
            let window = besselI0(kaiserBeta * (1 - ratio * ratio).squareRoot()) / norm
            return cutoff * sinc * window
        }
        let sum = taps.reduce(0, +)
        for i in taps.indices { taps[i] /= sum }
        return taps
    }

    /// Modified Bessel function of the first kind, order 0 (power series; converges fast for β ≤ 20).
    static func besselI0(_ x: Double) -> Double {
        var sum = 1.0, term = 1.0
        let quarterSquare = x * x / 4
        for k in 1..<200 {
            term *= quarterSquare / Double(k * k)
            sum += term
            if term < sum * 1e-17 { break }
        }
        return sum
    }

    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}
