import ArgumentParser
import M2FBenchmarks

/// `m2f bench …`: hot-path benchmarks printing one JSON object per line.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark hot paths; prints one JSON object per line.",
        subcommands: [EngineBench.self, SpeechBench.self, TextBench.self, AnimateBenchCommand.self]
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

        func run() throws {
            for result in try TextBenchmarks.run(iterations: quick ? 5 : 50) { print(result.jsonLine) }
        }
    }
}
