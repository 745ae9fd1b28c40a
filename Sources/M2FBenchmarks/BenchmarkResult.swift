import Foundation

/// One benchmark's figures, printed as one JSON line: `{"bench": …, "impl": "swift", "median_ms": …, "gflops": …}`.
public struct BenchmarkResult: Codable, Sendable {
    public let bench: String
    public let impl: String
    public let median_ms: Double
    public let min_ms: Double
    public let iterations: Int
    /// Billions of floating-point operations per second (matmul FLOPs only; see bench/README.md); nil when not meaningful.
    public let gflops: Double?

    public var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }
}

/// Times a closure: warm-up runs, then the median of `iterations` timed runs.
public enum BenchmarkTimer {
    public static func measure(
        _ name: String, flops: Double? = nil, warmup: Int = 2, iterations: Int = 10, _ body: () -> Void
    ) -> BenchmarkResult {
        for _ in 0..<warmup { body() }
        var samples: [Double] = []
        for _ in 0..<iterations {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        samples.sort()
        let median = samples.count % 2 == 1
            ? samples[samples.count / 2]
            : (samples[samples.count / 2 - 1] + samples[samples.count / 2]) / 2
        return BenchmarkResult(
            bench: name, impl: "swift", median_ms: median, min_ms: samples[0], iterations: iterations,
            gflops: flops.map { $0 / (median * 1e6) })
    }
}
