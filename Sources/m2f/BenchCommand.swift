import ArgumentParser
import M2FBenchmarks

/// `m2f bench …`: hot-path benchmarks printing one JSON object per line.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark hot paths; prints one JSON object per line.",
        subcommands: [EngineBench.self]
    )

    struct EngineBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "engine",
            abstract: "sgemm and transformer decoder blocks (forward, forward+backward) at widths 512 and 256.")

        @Flag(help: "Fewer iterations (a smoke run, not for quoting).")
        var quick = false

        func run() {
            EngineBenchmarks.run(quick: quick) { print($0.jsonLine) }
        }
    }
}
