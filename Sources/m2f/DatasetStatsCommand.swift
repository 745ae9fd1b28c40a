import ArgumentParser
import Foundation
import M2FDataset

/// `m2f dataset stats`: hours, coverage, ranges, teacher checks, PNG plots.
struct DatasetStatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Hours by emotion/voice/split, phoneme coverage, blendshape ranges and teacher checks; PNG plots in DIR/plots.",
        discussion: """
            Teacher checks: lips closed (inner-lip gap on the default head below the closed threshold) in some frame of \
            every p/b/m segment (±1 frame); vowel openness (shifted by the teacher's visual lead) vs. lip gap and jawOpen (Pearson r); blinks per minute; \
            values outside [0, 1].
            """)

    @Argument(help: "Dataset directory.")
    var directory: String

    @Flag(help: "Print JSON on stdout instead of the summary.")
    var json = false

    @Option(help: "Directory for the PNG plots (default: DIR/plots).")
    var plots: String?

    func run() throws {
        let dataset = try DatasetReader(directory: URL(fileURLWithPath: directory))
        let bar = ProgressBar(label: "stats")
        let stats = try DatasetStatistics.compute(dataset) { done, total in
            bar.update(done: Double(done), total: Double(total), unit: "clips")
        }
        bar.finish()
        let written = try stats.writePlots(to: plots.map { URL(fileURLWithPath: $0) } ?? dataset.layout.plotsDirectory)
        if json {
            FileHandle.standardOutput.write(stats.json())
            print()
        } else {
            print(stats.text())
            print("plots: " + written.map(\.path).joined(separator: ", "))
        }
    }
}
