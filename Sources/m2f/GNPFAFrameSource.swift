import Foundation
import GNPFATraining
import M2FDataset
import M2FGNPFA

/// The recorded expression frames `--data` names for `m2f train gnpfa` and `m2f eval gnpfa`: an M2F-D
/// dataset (its train split for training, `heldOut` split held out) or a folder of animation files.
enum GNPFAFrameSource {
    static func frames(_ directory: URL, heldOut split: DatasetSplit, quiet: Bool) throws -> ExpressionFrames {
        guard DatasetReader.isDataset(directory) else { return try ExpressionFrames.load(directory: directory) }
        let reader = try DatasetReader(directory: directory)
        let bar = ProgressBar(label: "frames", enabled: !quiet)
        let trained = reader.clips(in: .train).count
        let clipCount = trained + reader.clips(in: split).count
        let training = try reader.expressionFrames(in: .train) { done, _ in bar.update(done: Double(done), total: Double(clipCount), unit: "clips") }
        let heldOut = try reader.expressionFrames(in: split) { done, _ in bar.update(done: Double(trained + done), total: Double(clipCount), unit: "clips") }
        bar.finish()
        return ExpressionFrames(training: training, heldOut: heldOut, fileCount: clipCount)
    }
}
