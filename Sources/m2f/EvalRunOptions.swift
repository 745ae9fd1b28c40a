import ArgumentParser
import Foundation
import M2FSystem
import Media2Face

/// What `eval human-speech` and `eval real-faces` share: sampling (steps, seed), the report's
/// destinations (--json, -o) and --quiet.
struct EvalRunOptions: ParsableArguments {
    @Flag(help: "Print the scores as one JSON object on stdout.")
    var json = false

    @Option(name: .shortAndLong, help: "Also write the JSON scores to this file.")
    var output: String?

    @Option(parsing: .unconditional, help: "DDIM steps.")
    var steps = SamplingOptions.defaultSteps

    @Option(parsing: .unconditional, help: "Seed.")
    var seed: UInt64 = 0

    @Flag(help: "No progress on stderr.")
    var quiet = false

    @OptionGroup var blinks: AddedBlinkOption

    func validate() throws {
        try OptionRange.check(steps, "--steps", 1...1000)
    }

    var animationOptions: AnimationOptions {
        blinks.applied(to: AnimationOptions(steps: steps, seed: seed))
    }

    /// Writes `report` pretty-printed to -o (atomically) and prints it as one JSON line with --json,
    /// else prints `table`.
    func emit<Report: Encodable>(_ report: Report, table: () -> String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        if let output { try AtomicFile.write(try encoder.encode(report), to: output) }
        if json {
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(table())
        }
    }
}
