import Foundation
import M2FEncoders
import M2FEngine
import M2FGNPFA
import M2FTracker

/// A photo's expression as a GNPFA code through the face tracker: photo → MediaPipe Face Landmarker
/// (IMAGE mode) → 52 ARKit weights (eyeLook* from the irises, as `m2f track`) → GNPFA's ARKit encoder.
/// The one way an image becomes a style (docs/ARCHITECTURE.md, "Image style").
package final class PhotoExpressionTracker {
    let coding: any ExpressionCoding
    let store: ModelStore
    /// Loaded on first use: most runs have no image.
    private var tracker: FaceTracker?

    package init(coding: any ExpressionCoding, store: ModelStore) {
        self.coding = coding
        self.store = store
    }

    /// The 52 ARKit weights (canonical order) of the face in the image at `url`.
    /// - Throws: `PipelineError.imageUnreadable` naming the file: not an image, no face, tracker not installed.
    package func weights(imageAt url: URL) throws -> [Float] {
        let path = url.path
        do {
            if tracker == nil { tracker = try FaceTracker(store: store, mode: .image) }
        } catch {
            throw PipelineError.imageUnreadable(image: path, problem: "the face tracker is not installed (\(error.localizedDescription)); run `m2f models fetch`")
        }
        let frames: VideoFrames
        do { frames = try VideoFrames(path: path) } catch { throw PipelineError.imageUnreadable(image: path, problem: error.localizedDescription) }
        defer { frames.close() }
        guard let image = try? frames.next() else { throw PipelineError.imageUnreadable(image: path, problem: "no picture in the file") }
        tracker!.reset()
        let tracked = try tracker!.process(image)
        guard tracked.found else {
            throw PipelineError.imageUnreadable(image: path, problem: "no face found in it (the tracker's detector saw none)")
        }
        return TakeAssembly().assemble([tracked], fps: 30, modelNames: tracker!.blendshapeNames, source: url.lastPathComponent).weights
    }

    /// The expression code (Z values) of the face in the image at `url`.
    package func expressionCode(imageAt url: URL) throws -> [Float] {
        let weights = try weights(imageAt: url)
        return withoutGrad { coding.encode(weights: Tensor(weights, shape: [1, weights.count])) }.toArray()
    }
}
