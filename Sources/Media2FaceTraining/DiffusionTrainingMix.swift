import Foundation
import M2FEngine
import M2FGNPFA
import Media2Face

/// Several M2F-D datasets read as one training set, each contributing a chosen share of the training
/// crops (e.g. a few minutes of imported real faces beside hours of synthetic speech).
package enum DiffusionTrainingMix {
    /// Loads every dataset and, when `shares` is given (one per dataset, any positive scale), weights
    /// each clip so that dataset k yields (in expectation) shares[k] / Σ shares of the crops; without shares, crops follow
    /// the frames, as for one dataset. Validation clips are pooled unweighted.
    /// - Throws: `DiffusionError.invalidTrainingData` naming the dataset for a share that does not fit,
    ///   or the loader's errors.
    package static func load(directories: [URL], shares: [Double]?, coding: any ExpressionCoding, fps: Double, windowLength: Int, limit: Int?,
                             skipUnfeaturized: Bool, progress: (Int, Int) -> Void = { _, _ in })
        throws -> (training: [DiffusionTrainingClip], validation: [DiffusionTrainingClip], skipped: Int, speechPolicy: String) {
        guard !directories.isEmpty else { throw DiffusionError.invalidTrainingData(path: ".", problem: "no --data dataset given") }
        if let shares {
            guard shares.count == directories.count else {
                throw DiffusionError.invalidTrainingData(path: directories[0].path,
                    problem: "--data-share has \(shares.count) values for \(directories.count) --data datasets; give one share per dataset")
            }
            if let bad = shares.firstIndex(where: { !($0 > 0) || !$0.isFinite }) {
                throw DiffusionError.invalidTrainingData(path: directories[bad].path, problem: "its --data-share \(shares[bad]) must be a positive number")
            }
        }
        var training: [DiffusionTrainingClip] = [], validation: [DiffusionTrainingClip] = []
        var skipped = 0
        var policies: [String] = []
        for (index, directory) in directories.enumerated() {
            let loaded = try DiffusionDatasetLoader.load(directory: directory, coding: coding, fps: fps, limit: limit,
                                                         skipUnfeaturized: skipUnfeaturized, progress: progress)
            var clips = loaded.training
            if let shares {
                // Per-clip weight so the dataset's usable frames (what the sampler counts), times the weight,
                // add up to its share.
                let frames = clips.reduce(0.0) { $0 + Double(min($1.frameCount, windowLength)) }
                let weight = shares[index] / shares.reduce(0, +) / max(frames, 1)
                for i in clips.indices { clips[i].samplingWeight = weight }
            }
            training += clips
            validation += loaded.validation
            skipped += loaded.skipped
            policies.append(loaded.speechPolicy)
        }
        // One model, one way of encoding speech: mixing "needed" and "pad" features would train on both.
        guard Set(policies).count == 1 else {
            throw DiffusionError.invalidTrainingData(path: directories.map(\.path).joined(separator: ", "),
                problem: "the datasets were featurized with different speech-feature policies (\(policies.joined(separator: ", "))); featurize them the same way")
        }
        return (training, validation, skipped, policies[0])
    }
}
