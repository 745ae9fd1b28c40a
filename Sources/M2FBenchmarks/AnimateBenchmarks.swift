import Foundation
import M2FAudio
import M2FDataset
import M2FFace
import Media2Face

/// One `m2f bench animate` figure: the pipeline's stages for one clip, as a JSON line.
package struct AnimateBenchmarkResult: Codable, Sendable {
    package var bench: String
    package var impl = "swift"
    package var audio_seconds: Double
    package var steps: Int
    package var load_audio_s: Double
    package var speech_features_s: Double
    package var style_s: Double
    package var generation_s: Double
    package var assembly_s: Double
    /// Seconds from the audio file to the animation (exports not included).
    package var total_s: Double
    /// total_s / audio_seconds.
    package var rtf: Double
    /// Seconds per written format (csv, json, glb; mp4 only with --video).
    package var export_s: [String: Double]
    /// Mean |Δweight| and max |Δweight| against the 50-step result of the same seed (the steps trade-off).
    package var mean_abs_diff_vs_50_steps: Double?
    package var max_abs_diff_vs_50_steps: Double?
    /// Model loading (Whisper, GNPFA, diffusion), once.
    package var model_load_s: Double?

    package var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }
}

/// `m2f bench animate`: 60 s of speech through the whole pipeline with default settings (median of
/// three runs), then 10, 25 and 50 DDIM steps once each, compared with the 50-step result.
///
/// The speech is `Examples/hello.wav` repeated to the length (real TTS speech, so silence and
/// bilabials occur as in use), or a synthetic speech-like signal when the example is not found.
package enum AnimateBenchmarks {
    package static func run(quick: Bool = false, video: Bool = false, modelDirectory: String? = nil,
                           report: (AnimateBenchmarkResult) -> Void) async throws {
        let seconds = quick ? 10 : 60
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-animate-bench-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let wav = folder.appendingPathComponent("speech_\(seconds)s.wav")
        try WAVWriter.encode(try speech(seconds: seconds), sampleRate: 16_000).write(to: wav)

        let loadStart = Date()
        let pipeline = try await Media2FacePipeline.load(configuration: Media2FacePipelineConfiguration(modelDirectory: modelDirectory))
        let loadSeconds = Date().timeIntervalSince(loadStart)
        let exporter = AnimationExporter(videoSize: 256)
        let prefix = folder.appendingPathComponent("out").path
        let formats: [ExportFormat] = video ? [.csv, .json, .glb, .mp4] : [.csv, .json, .glb]

        // Warm-up on a short clip (first-touch allocations, caches).
        let warm = folder.appendingPathComponent("warm.wav")
        try WAVWriter.encode(try speech(seconds: 3), sampleRate: 16_000).write(to: warm)
        _ = try await pipeline.animate(AnimationRequest(audioPath: warm.path))

        func measure(_ name: String, steps: Int, runs: Int, exports: Bool) async throws -> (AnimateBenchmarkResult, FaceAnimation) {
            var results: [AnimationResult] = []
            for _ in 0..<runs { results.append(try await pipeline.animate(AnimationRequest(audioPath: wav.path, options: AnimationOptions(steps: steps)))) }
            let median = results.sorted { $0.timings.total < $1.timings.total }[runs / 2]
            var export: [String: Double] = [:]
            if exports {
                for file in try exporter.write(median.animation, formats: formats, prefix: prefix, audioPath: wav.path) {
                    export[file.format.rawValue] = file.seconds
                }
            }
            let t = median.timings
            return (AnimateBenchmarkResult(bench: name, audio_seconds: median.audioDuration, steps: steps, load_audio_s: t.loadAudio,
                                           speech_features_s: t.speechFeatures, style_s: t.styleConditions, generation_s: t.generation,
                                           assembly_s: t.assembly, total_s: t.total, rtf: median.realTimeFactor, export_s: export,
                                           model_load_s: nil), median.animation)
        }

        var (defaults, _) = try await measure("animate_\(seconds)s_default", steps: AnimationOptions().steps, runs: quick ? 1 : 3, exports: true)
        defaults.model_load_s = loadSeconds
        report(defaults)
        let (finest, reference) = try await measure("animate_\(seconds)s_steps50", steps: 50, runs: 1, exports: false)
        for steps in [10, 25] {
            var (result, animation) = try await measure("animate_\(seconds)s_steps\(steps)", steps: steps, runs: 1, exports: false)
            let differences = zip(animation.weights, reference.weights).map { Double(abs($0 - $1)) }
            result.mean_abs_diff_vs_50_steps = differences.reduce(0, +) / Double(max(differences.count, 1))
            result.max_abs_diff_vs_50_steps = differences.max()
            report(result)
        }
        var last = finest
        last.mean_abs_diff_vs_50_steps = 0
        last.max_abs_diff_vs_50_steps = 0
        report(last)
    }

    /// `seconds` of speech at 16 kHz: the example clip repeated, else the synthetic signal.
    static func speech(seconds: Int) throws -> [Float] {
        let count = seconds * 16_000
        guard let example = Media2FacePipelineConfiguration.locate("Examples/hello.wav"),
              let clip = try? AudioLoader().load(path: example.path), !clip.samples.isEmpty else {
            return SpeechBenchmarks.signal(seconds: seconds, sampleRate: 16_000)
        }
        var samples: [Float] = []
        samples.reserveCapacity(count)
        while samples.count < count { samples += clip.samples.prefix(count - samples.count) }
        return samples
    }
}

extension SpeechBenchmarks {
}
