import Foundation
import M2FEngine
import Media2Face

/// One `m2f bench stream-soak` line: a long stream at real-time pace, checked for drift and memory growth.
package struct StreamSoakResult: Codable, Sendable {
    package var bench = "stream-soak"
    package var impl = "swift"
    package var audio_seconds: Double
    package var look_ahead_frames: Int
    package var hop_frames: Int
    /// Frames emitted and the offline frame count of the same audio (equal: nothing lost or added).
    package var frames: Int
    package var expected_frames: Int
    /// Largest |frame time − frame index / fps| (the frames' clock is the audio's).
    package var max_time_error_s: Double
    /// Latency (arrival of a frame's sample → its emission) p50 and p95 per minute of audio.
    package var latency_p50_ms_per_minute: [Double]
    package var latency_p95_ms_per_minute: [Double]
    /// Least-squares slope of latency against audio time: 0 when the stream keeps pace, positive when it falls behind.
    package var latency_slope_ms_per_minute: Double
    /// Resident memory (MB) sampled every `rss_every_s` seconds of wall time, and its least-squares slope
    /// after the first minute (warm-up: first touches of buffers).
    package var rss_mb: [Double]
    package var rss_every_s: Double
    package var rss_slope_mb_per_minute: Double
    package var cpu_s_per_audio_s: Double
    package var wall_s: Double
    package var threads: Int
    package var loadavg_1m: Double

    package var jsonLine: String { BenchmarkJSON.line(self) }
}

/// `m2f bench stream-soak`: `seconds` of speech (the clip repeated) pushed in 20 ms chunks at real-time
/// pace through one session; per-frame latency and the process's resident memory are recorded as it runs.
package enum StreamSoakBenchmark {
    package static func run(audioPath: String?, seconds: Int, configuration: StreamConfiguration, rssEvery: Double,
                           modelDirectory: String?) async throws -> StreamSoakResult {
        let clip = try StreamBenchmarkSpeech.load(path: audioPath, seconds: min(seconds, 60)).samples
        let count = seconds * 16_000
        var samples: [Float] = []
        samples.reserveCapacity(count)
        while samples.count < count { samples += clip.prefix(count - samples.count) }
        let pipeline = try await Media2FacePipeline.load(configuration: Media2FacePipelineConfiguration(modelDirectory: modelDirectory))
        let stream = try await pipeline.stream(configuration: configuration)
        let clock = ContinuousClock()
        let chunk = 320
        let cpuStart = StreamBenchmarks.cpuSeconds()
        let start = clock.now
        // Only what the checks need is kept per frame (time, index, emission), not the weights.
        let reader = Task { () throws -> [(index: Int, time: Double, emittedAt: ContinuousClock.Instant)] in
            var frames: [(index: Int, time: Double, emittedAt: ContinuousClock.Instant)] = []
            for try await frame in stream.frames { frames.append((frame.index, frame.time, frame.emittedAt)) }
            return frames
        }
        let sampler = Task { () -> [Double] in
            var rss: [Double] = []
            while !Task.isCancelled {
                rss.append(residentMegabytes())
                try? await Task.sleep(for: .seconds(rssEvery))
            }
            return rss
        }
        for first in stride(from: 0, to: samples.count, by: chunk) {
            let end = min(first + chunk, samples.count)
            try await clock.sleep(until: start + .microseconds(end * 1_000_000 / 16_000))
            try await stream.push(Array(samples[first..<end]))
        }
        try await stream.finish()
        let frames = try await reader.value
        sampler.cancel()
        let rss = await sampler.value + [residentMegabytes()]
        let wall = StreamBenchmarks.seconds(clock.now - start)
        let cpu = StreamBenchmarks.cpuSeconds() - cpuStart

        let fps = pipeline.fps
        let latencies = frames.map { frame -> Double in
            let sample = min(samples.count - 1, Int((frame.time * 16_000).rounded()))
            let arrival = start + .microseconds(min(samples.count, (sample / chunk + 1) * chunk) * 1_000_000 / 16_000)
            return StreamBenchmarks.seconds(frame.emittedAt - arrival) * 1000
        }
        let perMinute = stride(from: 0, to: frames.count, by: Int(60 * fps)).map { first in
            latencies[first..<min(frames.count, first + Int(60 * fps))].sorted()
        }
        func percentile(_ sorted: [Double], _ p: Double) -> Double { sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))] }
        let settled = Array(rss.dropFirst(Int((60 / rssEvery).rounded())))
        return StreamSoakResult(
            audio_seconds: Double(samples.count) / 16_000, look_ahead_frames: configuration.lookAheadFrames, hop_frames: configuration.hopFrames,
            frames: frames.count, expected_frames: Keyframe.frameCount(duration: Double(samples.count) / 16_000, fps: fps),
            max_time_error_s: frames.map { abs($0.time - Double($0.index) / fps) }.max() ?? 0,
            latency_p50_ms_per_minute: perMinute.map { percentile($0, 0.5) }, latency_p95_ms_per_minute: perMinute.map { percentile($0, 0.95) },
            latency_slope_ms_per_minute: slope(frames.map { $0.time / 60 }, latencies),
            rss_mb: rss, rss_every_s: rssEvery,
            rss_slope_mb_per_minute: slope(settled.indices.map { Double($0) * rssEvery / 60 }, settled),
            cpu_s_per_audio_s: cpu / (Double(samples.count) / 16_000), wall_s: wall, threads: Parallel.workerCount,
            loadavg_1m: StreamBenchmarks.loadAverage())
    }

    /// Least-squares slope of y against x (0 for fewer than two points).
    static func slope(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count)
        guard x.count > 1 else { return 0 }
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0
        for (a, b) in zip(x, y) { sxy += (a - mx) * (b - my); sxx += (a - mx) * (a - mx) }
        return sxx > 0 ? sxy / sxx : 0
    }

    /// The process's resident set in MB (/proc/self/statm; 0 where it is missing).
    static func residentMegabytes() -> Double {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }
}
