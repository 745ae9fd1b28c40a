import Foundation
import M2FAudio
import M2FEval
import M2FEngine
import M2FFace
import Media2Face

/// One `m2f bench stream` line: a stream fed in real time at one look-ahead, against the offline result.
package struct StreamBenchmarkResult: Codable, Sendable {
    package var bench = "stream"
    package var impl = "swift"
    package var audio_seconds: Double
    package var look_ahead_frames: Int
    package var look_ahead_ms: Double
    package var hop_frames: Int
    package var context_frames: Int
    /// DDIM steps per hop, and the offline animation's (the default options').
    package var steps: Int
    package var offline_steps: Int
    package var cross_fade_frames: Int
    package var feature_window_s: Double
    package var frames: Int
    /// Wall time from the arrival of a frame's audio sample to the frame's emission, over all frames.
    package var latency_p50_ms: Double
    package var latency_p95_ms: Double
    package var latency_p99_ms: Double
    package var latency_max_ms: Double
    /// Process CPU seconds (user + system) per second of audio while streaming.
    package var cpu_s_per_audio_s: Double
    package var features_s_per_audio_s: Double
    package var generation_s_per_audio_s: Double
    /// Per hop (mean): Whisper on the feature window, the DDIM loop, the GNPFA decode; and the slowest hop.
    package var features_ms_per_hop: Double
    package var sampling_ms_per_hop: Double
    package var decoding_ms_per_hop: Double
    package var longest_hop_ms: Double
    /// Whether audio was fed at real-time pace (latency and CPU figures mean something only then).
    package var paced: Bool
    /// Pearson correlation of the lip gap (mm, the eval's mouth opening) with the offline animation's.
    package var mouth_opening_correlation: Double
    /// The same correlation between the offline animations of seed s and s + 1: how close two
    /// offline runs are, the scale for the figure above.
    package var offline_other_seed_mouth_correlation: Double
    /// Of the frames whose lips the offline animation closes (gap < 1.5 mm), the share the stream closes too.
    package var lip_closure_agreement: Double
    /// Lip closure on bilabials (the eval's measure: share of p/b/m segments with a gap < 1.5 mm) of the
    /// stream and of the offline animation, over `bilabial_segments` segments; nil without phone timings
    /// (`--audio data/human-speech` has them).
    package var lip_closure_rate_stream: Double?
    package var lip_closure_rate_offline: Double?
    package var bilabial_segments: Int
    /// Median frame-to-frame speed where a hop begins over the median elsewhere (1 = no seam).
    package var hop_seam_speed_ratio: Double
    /// Engine threads and the machine's 1-minute load average when the run ended.
    package var threads: Int
    package var loadavg_1m: Double

    package var jsonLine: String { BenchmarkJSON.line(self) }
}

/// One feature-drift line: rolling Whisper windows against the offline features of the same audio.
package struct FeatureDriftResult: Codable, Sendable {
    package var bench = "stream-feature-drift"
    package var window_s: Double
    package var look_ahead_frames: Int
    /// Whether the window's encoder positions continue the clip's (what a stream does) or start at 0.
    package var aligned_positions: Bool
    /// ‖rolling − offline‖ / ‖offline‖ per frame: median and 95th percentile; mean cosine similarity.
    package var relative_error_median: Double
    package var relative_error_p95: Double
    package var cosine_mean: Double
    package var encode_ms_median: Double

    package var jsonLine: String { BenchmarkJSON.line(self) }
}

enum BenchmarkJSON {
    static func line<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try! encoder.encode(value), as: UTF8.self)
    }
}

/// `m2f bench stream`: latency, cost and closeness to offline of the streaming session.
package enum StreamBenchmarks {
    package static func run(audioPath: String?, seconds: Int, lookAheads: [Int], hop: Int, context: Int, featureWindow: Double, stepsPerHop: Int?, crossFade: Int,
                           driftWindows: [Double], modelDirectory: String?, paced: Bool = true,
                           reportStream: (StreamBenchmarkResult) -> Void, reportDrift: (FeatureDriftResult) -> Void,
                           reportOffline: (AnimateBenchmarkResult) -> Void) async throws {
        let speech = try StreamBenchmarkSpeech.load(path: audioPath, seconds: seconds)
        let samples = speech.samples
        let pipeline = try await Media2FacePipeline.load(configuration: Media2FacePipelineConfiguration(modelDirectory: modelDirectory))
        let options = AnimationOptions()
        let steps = stepsPerHop ?? options.steps

        // The offline animation of the same audio (`m2f bench animate`'s measurement, in this run).
        let offline = try await pipeline.animate(samples: samples, source: speech.source, request: AnimationRequest(audioPath: "speech", options: options))
        var otherSeed = options
        otherSeed.seed &+= 1
        let offlineOther = try await pipeline.animate(samples: samples, source: speech.source, request: AnimationRequest(audioPath: "speech", options: otherSeed))
        let t = offline.timings
        reportOffline(AnimateBenchmarkResult(bench: "stream-offline-reference", audio_seconds: offline.audioDuration, steps: options.steps,
                                             load_audio_s: 0, speech_features_s: t.speechFeatures, style_s: t.styleConditions,
                                             generation_s: t.generation, assembly_s: t.assembly, total_s: t.total,
                                             rtf: offline.realTimeFactor, export_s: [:], model_load_s: pipeline.loadSeconds))

        for window in driftWindows {
            for lookAhead in lookAheads {
                for aligned in [true, false] {
                    reportDrift(await drift(pipeline: pipeline, samples: Array(samples.prefix(20 * 16_000)), window: window, lookAhead: lookAhead,
                                            hop: hop, aligned: aligned))
                }
            }
        }
        let geometry = try LipGeometry(rig: DefaultHead.shared)
        let offlineGaps = geometry.gapsMillimetres(of: offline.animation)
        let otherSeedCorrelation = pearson(offlineGaps, geometry.gapsMillimetres(of: offlineOther.animation))
        func closure(_ gaps: [Float]) -> LipSyncMetrics.ClosureCount? {
            speech.phones.map { LipSyncMetrics.closure(gaps: gaps.map { $0 / 1000 }, phones: $0, fps: pipeline.fps,
                                                       threshold: LipGeometry.closedThresholdMillimetres / 1000) }
        }
        let offlineClosure = closure(offlineGaps)
        for lookAhead in lookAheads {
            let configuration = StreamConfiguration(lookAheadFrames: lookAhead, hopFrames: hop, contextFrames: context, featureWindowSeconds: featureWindow,
                                                    stepsPerHop: steps, crossFadeFrames: crossFade)
            let run = try await realTime(pipeline: pipeline, samples: samples, options: options, configuration: configuration, paced: paced)
            let streamed = FaceAnimation(fps: pipeline.fps, weights: run.frames.flatMap(\.weights), headPose: run.frames.map(\.headPose))
            let gaps = geometry.gapsMillimetres(of: streamed)
            let count = min(gaps.count, offlineGaps.count)
            let closedOffline = (0..<count).filter { offlineGaps[$0] < LipGeometry.closedThresholdMillimetres }
            let agreement = closedOffline.isEmpty ? 1 : Double(closedOffline.filter { gaps[$0] < LipGeometry.closedThresholdMillimetres }.count) / Double(closedOffline.count)
            let audioSeconds = Double(samples.count) / 16_000
            let statistics = run.statistics, hops = Double(max(run.statistics.hops, 1))
            let streamClosure = closure(gaps)
            let sorted = run.latencies.sorted()
            func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))] * 1000 }
            reportStream(StreamBenchmarkResult(
                audio_seconds: audioSeconds, look_ahead_frames: lookAhead, look_ahead_ms: Double(lookAhead) / pipeline.fps * 1000,
                hop_frames: hop, context_frames: context, steps: steps, offline_steps: options.steps, cross_fade_frames: crossFade, feature_window_s: featureWindow, frames: run.frames.count,
                latency_p50_ms: percentile(0.5), latency_p95_ms: percentile(0.95), latency_p99_ms: percentile(0.99), latency_max_ms: percentile(1),
                cpu_s_per_audio_s: run.cpuSeconds / audioSeconds, features_s_per_audio_s: run.statistics.featureSeconds / audioSeconds,
                generation_s_per_audio_s: run.statistics.generationSeconds / audioSeconds,
                features_ms_per_hop: statistics.featureSeconds / hops * 1000,
                sampling_ms_per_hop: (statistics.generationSeconds - statistics.decodingSeconds) / hops * 1000,
                decoding_ms_per_hop: statistics.decodingSeconds / hops * 1000, longest_hop_ms: statistics.longestHopSeconds * 1000,
                paced: paced,
                mouth_opening_correlation: pearson(Array(gaps.prefix(count)), Array(offlineGaps.prefix(count))),
                offline_other_seed_mouth_correlation: otherSeedCorrelation,
                lip_closure_agreement: agreement, lip_closure_rate_stream: streamClosure?.rate, lip_closure_rate_offline: offlineClosure?.rate,
                bilabial_segments: offlineClosure?.total ?? 0, hop_seam_speed_ratio: seamRatio(streamed, hop: hop),
                threads: Parallel.workerCount, loadavg_1m: loadAverage()))
        }
    }

    /// Rolling-window features against offline ones, every `hop`-th frame of up to 20 s of audio.
    static func drift(pipeline: Media2FacePipeline, samples: [Float], window: Double, lookAhead: Int, hop: Int, aligned: Bool) async -> FeatureDriftResult {
        let fps = pipeline.fps
        let frameCount = Int(Double(samples.count) / 16_000 * fps)
        let offline = await pipeline.streamFeatures(samples: samples, featureOffset: 0, frames: 0..<frameCount)
        let c = offline.count / max(frameCount, 1)
        var errors: [Double] = [], cosines: [Double] = [], encodeMs: [Double] = []
        let windowSamples = Int(window * 16_000)
        for frame in stride(from: 0, to: frameCount - lookAhead, by: hop) {
            let end = min(samples.count, Int((Double(frame + lookAhead + 1) * 16_000 / fps).rounded()))
            let first = max(0, end - windowSamples) / 320 * 320
            let began = Date()
            let rolling = await pipeline.streamFeatures(samples: Array(samples[first..<end]), featureOffset: first / 320, frames: frame..<(frame + 1),
                                                             alignedPositions: aligned)
            encodeMs.append(Date().timeIntervalSince(began) * 1000)
            let reference = offline[(frame * c)..<((frame + 1) * c)]
            var difference = 0.0, norm = 0.0, dot = 0.0, rollingNorm = 0.0
            for (a, b) in zip(rolling, reference) {
                difference += Double((a - b) * (a - b)); norm += Double(b * b); dot += Double(a * b); rollingNorm += Double(a * a)
            }
            errors.append((difference / max(norm, 1e-12)).squareRoot())
            cosines.append(dot / max((norm * rollingNorm).squareRoot(), 1e-12))
        }
        errors.sort()
        return FeatureDriftResult(window_s: window, look_ahead_frames: lookAhead, aligned_positions: aligned, relative_error_median: BenchmarkTimer.median(errors),
                                  relative_error_p95: errors[Int(Double(errors.count - 1) * 0.95)],
                                  cosine_mean: cosines.reduce(0, +) / Double(cosines.count), encode_ms_median: BenchmarkTimer.median(encodeMs))
    }

    static func pearson(_ a: [Float], _ b: [Float]) -> Double {
        let n = Double(a.count)
        guard n > 1 else { return 0 }
        let ma = a.reduce(0.0) { $0 + Double($1) } / n, mb = b.reduce(0.0) { $0 + Double($1) } / n
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for (x, y) in zip(a, b) { let (da, db) = (Double(x) - ma, Double(y) - mb); sab += da * db; saa += da * da; sbb += db * db }
        return sab / max((saa * sbb).squareRoot(), 1e-12)
    }

    /// Median speed into hop-start frames over the median speed into the others.
    static func seamRatio(_ animation: FaceAnimation, hop: Int) -> Double {
        var atSeams: [Double] = [], elsewhere: [Double] = []
        for f in 1..<max(animation.frameCount, 1) {
            var squared: Float = 0
            for k in 0..<ARKit.count { let d = animation.weights[f * ARKit.count + k] - animation.weights[(f - 1) * ARKit.count + k]; squared += d * d }
            if f % hop == 0 { atSeams.append(Double(squared.squareRoot())) } else { elsewhere.append(Double(squared.squareRoot())) }
        }
        guard !atSeams.isEmpty, !elsewhere.isEmpty else { return 1 }
        return BenchmarkTimer.median(atSeams) / max(BenchmarkTimer.median(elsewhere), 1e-12)
    }
}
