import Foundation

/// One benchmark's figures, printed as one JSON line: `{"bench": …, "impl": "swift", "median_ms": …, "gflops": …}`.
package struct BenchmarkResult: Codable, Sendable {
    package let bench: String
    package var impl: String
    package let median_ms: Double
    package let min_ms: Double
    package let iterations: Int
    /// Billions of floating-point operations per second (matmul FLOPs only; see bench/README.md); nil when not meaningful.
    package let gflops: Double?
    /// Weight precision of the model measured (`m2f bench text`), when it varies; omitted otherwise.
    package var weights: String? = nil
    /// This median over the baseline's median measured in the same run (interleaved rounds); omitted otherwise.
    package var ratio: Double? = nil
    /// Frames per second (1000 / median_ms) for per-frame benches (`m2f bench track`); omitted otherwise.
    package var fps: Double? = nil
    /// The 1-minute load average when the bench finished (`m2f bench track`: the machine is shared); omitted otherwise.
    package var loadavg_1m: Double? = nil

    package var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }
}

/// Times a closure: warm-up runs, then the median of `iterations` timed runs.
package enum BenchmarkTimer {
    package static func measure(
        _ name: String, flops: Double? = nil, warmup: Int = 2, iterations: Int = 10, _ body: () -> Void
    ) -> BenchmarkResult {
        for _ in 0..<warmup { body() }
        var samples: [Double] = []
        for _ in 0..<iterations {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return result(name, samples: samples, flops: flops)
    }

    /// The result line of timed `samples` (milliseconds).
    package static func result(_ name: String, samples: [Double], flops: Double? = nil) -> BenchmarkResult {
        let median = median(samples)
        return BenchmarkResult(
            bench: name, impl: "swift", median_ms: median, min_ms: samples.min() ?? 0, iterations: samples.count,
            gflops: flops.map { $0 / (median * 1e6) })
    }

    /// The median of `samples` (the mean of the middle two for an even count).
    package static func median(_ samples: [Double]) -> Double {
        precondition(!samples.isEmpty, "median of no samples")
        let sorted = samples.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
