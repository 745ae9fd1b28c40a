import Foundation
import M2FAudio
import M2FDataset
import M2FEval
import Media2Face

/// The speech `m2f bench stream` feeds: a file, or a folder of clips (`scripts/fetch_human_speech.sh`'s
/// LibriVox recordings) joined end to end with their phone alignments moved along, so that lip closure
/// on bilabials can be measured.
struct StreamBenchmarkSpeech {
    var samples: [Float]
    /// Phones over the joined audio; nil where a clip has no alignment.
    var phones: [TimedPhone]?
    var source: String

    static func load(path: String?, seconds: Int) throws -> StreamBenchmarkSpeech {
        guard let path else { return StreamBenchmarkSpeech(samples: try AnimateBenchmarks.speech(seconds: seconds), phones: nil, source: "speech") }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
            return StreamBenchmarkSpeech(samples: try AudioLoader().load(path: path).samples, phones: nil, source: path)
        }
        var samples: [Float] = [], phones: [TimedPhone]? = []
        for clip in try RecordedSpeechClip.load(directory: URL(fileURLWithPath: path)) {
            let offset = Double(samples.count) / 16_000
            if let clipPhones = clip.phones {
                phones? += clipPhones.map { TimedPhone(phone: $0.phone, start: $0.start + offset, end: $0.end + offset) }
            } else {
                phones = nil
            }
            samples += clip.samples
        }
        return StreamBenchmarkSpeech(samples: samples, phones: phones, source: path)
    }
}

extension StreamBenchmarks {
    struct RealTimeRun {
        var frames: [StreamFrame]
        var latencies: [Double]
        var cpuSeconds: Double
        var statistics: StreamStatistics
    }

    /// Feeds `samples` in 20 ms chunks, each pushed when its last sample would have been heard (or all
    /// at once when `paced` is false, for quality alone); a frame's latency runs from the arrival of the
    /// chunk holding its sample to its emission.
    static func realTime(pipeline: Media2FacePipeline, samples: [Float], options: AnimationOptions,
                         configuration: StreamConfiguration, paced: Bool = true) async throws -> RealTimeRun {
        let stream = try await pipeline.stream(options: options, configuration: configuration)
        let chunk = 320
        let clock = ContinuousClock()
        let cpuStart = cpuSeconds()
        let start = clock.now
        let reader = Task { () throws -> [StreamFrame] in
            var frames: [StreamFrame] = []
            for try await frame in stream.frames { frames.append(frame) }
            return frames
        }
        for first in stride(from: 0, to: samples.count, by: chunk) {
            let end = min(first + chunk, samples.count)
            if paced { try await clock.sleep(until: start + .microseconds(end * 1_000_000 / 16_000)) }
            try await stream.push(Array(samples[first..<end]))
        }
        try await stream.finish()
        let frames = try await reader.value
        let cpu = cpuSeconds() - cpuStart
        let latencies = frames.map { frame -> Double in
            let sample = min(samples.count - 1, Int((frame.time * 16_000).rounded()))
            let arrival = start + .microseconds(min(samples.count, (sample / chunk + 1) * chunk) * 1_000_000 / 16_000)
            return seconds(frame.emittedAt - arrival)
        }
        return RealTimeRun(frames: frames, latencies: latencies, cpuSeconds: cpu, statistics: await stream.statistics)
    }

    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }

    /// Process CPU seconds (user + system) so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// The 1-minute load average (-1 where /proc/loadavg is missing).
    package static func loadAverage() -> Double {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)).flatMap { $0.split(separator: " ").first.flatMap { Double($0) } } ?? -1
    }
}
