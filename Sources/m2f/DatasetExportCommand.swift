import ArgumentParser
import Foundation
import M2FDataset
import M2FFace
import M2FSystem

/// `m2f dataset export`: one clip as our JSON animation (or CSV/GLB by extension), labels in the metadata.
struct DatasetExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write one clip as an animation file (.json; .csv and .glb work too) with its labels in the metadata.")

    @Argument(help: "Dataset directory.")
    var directory: String

    @Option(help: "Clip id.")
    var clip: String

    @Option(name: .shortAndLong, help: "Output file (.json, .csv, .glb).")
    var output: String

    @Option(help: "Also write the clip's audio as a WAV file here.")
    var audio: String?

    func run() throws {
        try OutputName.check(output)
        if let audio { try OutputName.check(audio) }
        let dataset = try DatasetReader(directory: URL(fileURLWithPath: directory))
        let record = try dataset.record(id: clip)
        let animation = try dataset.animation(of: record)
        try AnimationFile.write(animation, to: URL(fileURLWithPath: output))
        if let audio {
            try WAVWriter.write(try dataset.arrays(of: record).audio.toArray(), sampleRate: dataset.info.sampleRate,
                                to: URL(fileURLWithPath: audio))
        }
        print("wrote \(output): \(record.id), \(animation.frameCount) frames at \(animation.fps) fps")
    }
}
