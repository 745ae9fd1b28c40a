import Foundation
import M2FFace
import M2FGNPFA

/// Recorded expression frames for training: the 52 weights of every frame of every animation file
/// (.json, .csv) under a folder, split by file into training and held-out sets.
package struct ExpressionFrames: Sendable {
    /// Training frames, F × 52 flat, frame-major.
    package var training: [Float]
    /// Held-out frames (every `heldOutEvery`-th file, in sorted path order), F × 52 flat.
    package var heldOut: [Float]
    /// Files read.
    package var fileCount: Int

    package var trainingCount: Int { training.count / ARKitWeightCount }
    package var heldOutCount: Int { heldOut.count / ARKitWeightCount }

    package init(training: [Float] = [], heldOut: [Float] = [], fileCount: Int = 0) {
        (self.training, self.heldOut, self.fileCount) = (training, heldOut, fileCount)
    }

    /// Reads every animation file below `directory` (recursively, sorted by path), keeping every
    /// `stride`-th frame (consecutive frames at 30–60 fps are near duplicates).
    /// - Throws: `GNPFAError.noTrainingData` when nothing readable is there; `FaceError` for a bad file.
    package static func load(directory: URL, stride: Int = 3, heldOutEvery: Int = 10) throws -> ExpressionFrames {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else {
            throw GNPFAError.noTrainingData(path: directory.path)
        }
        var files: [URL] = []
        for case let url as URL in walker where ["json", "csv"].contains(url.pathExtension.lowercased()) {
            // Manifests and configs are JSON too: only files that parse as animations count.
            if url.lastPathComponent.hasPrefix(".") { continue }
            files.append(url)
        }
        files.sort { $0.path < $1.path }
        var frames = ExpressionFrames()
        for (index, url) in files.enumerated() {
            guard let animation = try? AnimationFile.read(url) else { continue }
            var kept: [Float] = []
            for frame in Swift.stride(from: 0, to: animation.frameCount, by: max(1, stride)) {
                kept += animation.frame(frame).map { min(max($0, 0), 1) }
            }
            if index % heldOutEvery == heldOutEvery - 1 { frames.heldOut += kept } else { frames.training += kept }
            frames.fileCount += 1
        }
        if frames.fileCount == 0 { throw GNPFAError.noTrainingData(path: directory.path) }
        return frames
    }
}
