import ArgumentParser
import Foundation
import M2FDataset
import M2FFace

/// `m2f dataset import-livelink`: Live Link Face takes (CSV + WAV or MOV audio) into a dataset.
struct DatasetImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-livelink",
        abstract: "Import Live Link Face takes (CSV with a .wav or .mov beside it) into a dataset, aligned by timecode.",
        discussion: """
            Audio: TAKE.wav next to TAKE.csv, else the audio track of TAKE.mov/.mp4 (ffmpeg). Alignment: the CSV's \
            first timecode against the audio's start timecode (sidecar "audioTimecodeStart", else the MOV's timecode \
            tag, else the same as the CSV). Labels: TAKE.json beside the CSV, else these flags. Bad rows are dropped \
            and reported; takes without audio are reported and skipped. See docs/DATASET.md.
            """)

    @Argument(help: "Live Link Face CSV files.")
    var takes: [String]

    @Option(name: .shortAndLong, help: "Dataset directory (created when absent).")
    var output: String

    @Option(help: "Emotion: \(Emotion.allCases.map(\.rawValue).joined(separator: ", ")).")
    var emotion: String?

    @Option(parsing: .unconditional, help: "Intensity 0…1.")
    var intensity: Double?

    @Option(help: "Free-text style description.")
    var description: String?

    @Option(help: "Performer id (the clip's voice field).")
    var performer: String?

    @Option(help: "Split: train, val or test.")
    var split: String?

    func validate() throws {
        if let emotion, Emotion(rawValue: emotion) == nil {
            throw ValidationError("--emotion must be one of \(Emotion.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let intensity, !(0...1).contains(intensity) { throw ValidationError("--intensity must lie in [0, 1]") }
        if let split, DatasetSplit(rawValue: split) == nil { throw ValidationError("--split must be train, val or test") }
    }

    func run() throws {
        let labels = TakeLabels(emotion: emotion.flatMap(Emotion.init(rawValue:)), intensity: intensity, description: description,
                                performer: performer, split: split.flatMap(DatasetSplit.init(rawValue:)))
        let reports = try LiveLinkImporter().importTakes(takes.map { URL(fileURLWithPath: $0) }, into: URL(fileURLWithPath: output),
                                                         labels: labels)
        var imported = 0
        for report in reports {
            for row in report.droppedRows.prefix(10) {
                FileHandle.standardError.write(Data("\(report.file):\(row.line): row dropped: \(row.problem)\n".utf8))
            }
            if report.droppedRows.count > 10 {
                FileHandle.standardError.write(Data("\(report.file): … \(report.droppedRows.count - 10) more rows dropped\n".utf8))
            }
            if let clip = report.clip {
                imported += 1
                print("\(report.file) → \(clip): " + String(format: "%.2f s, audio offset %+.3f s", report.duration, report.audioOffset)
                    + (report.droppedRows.isEmpty ? "" : ", \(report.droppedRows.count) bad rows dropped"))
            } else {
                FileHandle.standardError.write(Data("skipped \(report.error ?? "")\n".utf8))
            }
        }
        print("imported \(imported) of \(takes.count) takes into \(output)")
    }
}
