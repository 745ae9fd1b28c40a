import ArgumentParser
import Foundation
import M2FBenchmarks
import M2FEncoders
import M2FEngine
import M2FSystem

/// `m2f bench …`: hot-path benchmarks printing one JSON object per line.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark hot paths; prints one JSON object per line.",
        subcommands: [EngineBench.self, SpeechBench.self, TextBench.self, AnimateBenchCommand.self, StreamBenchCommand.self, StreamSoakBenchCommand.self, TrackBench.self]
    )

    struct EngineBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "engine",
            abstract: "sgemm and transformer decoder blocks (forward, forward+backward) at widths 512 and 256.")

        @Flag(help: "Fewer iterations (a smoke run, not for quoting).")
        var quick = false

        @Option(help: ArgumentHelp("Only these groups, comma-separated: \(EngineBenchmarks.groups.joined(separator: ", ")).", valueName: "groups"))
        var only: String?

        func validate() throws {
            for name in only?.split(separator: ",").map(String.init) ?? [] where !EngineBenchmarks.groups.contains(where: { $0.hasPrefix(name) || name.hasPrefix($0) }) {
                throw ValidationError("--only: '\(name)' is not one of \(EngineBenchmarks.groups.joined(separator: ", "))")
            }
        }

        func run() {
            EngineBenchmarks.run(quick: quick, only: only?.split(separator: ",").map(String.init) ?? []) { print($0.jsonLine) }
        }
    }

    struct TrackBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "track",
            abstract: "Face tracker: frames per second of the three networks and of the whole per-frame path on a 720p video, beside MediaPipe (needs `m2f models fetch`).",
            discussion: """
              The video is the scripted demo rendered on the default head at 1280×720 (made in a temporary \
              folder) unless --video names one. With --reference PYTHON, bench/mediapipe_track.py times the \
              same networks (LiteRT) and the same video (MediaPipe's FaceLandmarker, video mode) in the same \
              run; its lines carry "impl": "litert" or "mediapipe". Every line carries the 1-minute load average.
              """)

        @Flag(help: "Fewer iterations (a smoke run, not for quoting).")
        var quick = false

        @Flag(help: "JSON lines (the only output format; accepted for symmetry with the issue's command line).")
        var json = false

        @Option(help: ArgumentHelp("Video for the whole-path bench (default: a 720p render of the default head).", valueName: "path"))
        var video: String?

        @Option(parsing: .unconditional, help: ArgumentHelp("Passes over the video (the first a warm-up when more than one).", valueName: "n"))
        var passes = 3

        @Option(help: ArgumentHelp("Python with `mediapipe` (and `ai-edge-litert`) for the reference lines; omitted: ours only.", valueName: "python"))
        var reference: String?

        @Option(help: ArgumentHelp("The reference script.", valueName: "path"))
        var referenceScript = "bench/mediapipe_track.py"

        func validate() throws {
            try OptionRange.check(passes, "--passes", 1...20)
            if let reference, !FileManager.default.isExecutableFile(atPath: reference) {
                throw ValidationError("--reference: \(reference) is not an executable Python")
            }
            if reference != nil, !FileManager.default.fileExists(atPath: referenceScript) {
                throw ValidationError("--reference-script: \(referenceScript) not found (run from the repository root or give its path)")
            }
        }

        func run() throws {
            func emit(_ result: BenchmarkResult) {
                var result = result
                result.loadavg_1m = StreamBenchmarks.loadAverage()
                print(result.jsonLine)
            }
            for result in try TrackerNetworkBenchmarks.run(iterations: quick ? 5 : 50) { emit(result) }
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-bench-track-\(ProcessInfo.processInfo.processIdentifier)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let path = try video ?? TrackerPathBenchmark.makeVideo(in: folder, seconds: quick ? 1 : 4)
            for result in try TrackerPathBenchmark.run(video: path, passes: quick ? 1 : passes) { emit(result) }
            if let reference {
                // Its JSON lines go straight to our stdout (ours flushed first), its notes to our stderr.
                fflush(nil)
                let status = try Subprocess(reference, [referenceScript, "--video", path, "--passes", String(quick ? 1 : passes)],
                                            output: .inherit, errors: .inherit).wait()
                if status != 0 { throw ValidationError("the reference script exited with status \(status)") }
            }
        }
    }

    struct SpeechBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "speech",
            abstract: "Log-mel and Whisper encoder for 30 s of audio; a 10-minute WAV (and MP3) end to end.")

        @Flag(help: "1-minute files and fewer iterations (a smoke run, not for quoting).")
        var quick = false

        func run() throws {
            try SpeechBenchmarks.run(quick: quick) { print($0.jsonLine) }
        }
    }

    struct TextBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "text",
            abstract: "MiniLM sentence encoder: one 16-token prompt and a batch of 64 (needs `m2f models fetch`).")

        @Flag(help: "Fewer iterations (a smoke run, not for quoting).")
        var quick = false

        @Option(help: ArgumentHelp("Weight precisions to measure side by side, comma-separated, the first the baseline: float32, float16.", valueName: "list"))
        var weights = "float32,float16"

        @Option(parsing: .unconditional, help: ArgumentHelp("Rounds that alternate the precisions.", valueName: "n"))
        var rounds = 5

        @Option(parsing: .unconditional, help: ArgumentHelp("Most rows the 16-bit kernel takes before BLAS on the widened weights (default \(HalfLinearWeight.maximumKernelRows)).", valueName: "rows"))
        var kernelRows: Int?

        @Option(parsing: .unconditional, help: ArgumentHelp("Panel ranges per worker thread in one 16-bit product (default \(HalfLinearWeight.partsPerWorker)).", valueName: "n"))
        var partsPerWorker: Int?

        @Flag(help: "Only the tokenizer and the single prompt, no batch of 64 (for profiling the prompt path).")
        var singleOnly = false

        func validate() throws {
            guard rounds > 0 else { throw ValidationError("--rounds must be at least 1") }
            for name in weights.split(separator: ",") where BertWeightPrecision(rawValue: String(name)) == nil {
                throw ValidationError("--weights: '\(name)' is not float32 or float16")
            }
            if let kernelRows, kernelRows < 0 { throw ValidationError("--kernel-rows must be ≥ 0") }
            if let partsPerWorker, partsPerWorker < 1 { throw ValidationError("--parts-per-worker must be ≥ 1") }
        }

        func run() throws {
            if let kernelRows { HalfLinearWeight.maximumKernelRows = kernelRows }
            if let partsPerWorker { HalfLinearWeight.partsPerWorker = partsPerWorker }
            let precisions = weights.split(separator: ",").compactMap { BertWeightPrecision(rawValue: String($0)) }
            for result in try TextBenchmarks.run(iterations: quick ? 10 : 50, rounds: quick ? 2 : rounds, precisions: precisions,
                                                            includeBatch: !singleOnly) {
                print(result.jsonLine)
            }
        }
    }
}
