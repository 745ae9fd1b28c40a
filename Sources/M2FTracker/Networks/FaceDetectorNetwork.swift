import Foundation
import M2FEncoders

/// MediaPipe's short-range face detector (BlazeFace, 128×128): raw SSD outputs for 896 anchors.
/// Decoding the boxes against the anchors, the sigmoid and NMS are the caller's (see MediaPipe's
/// `face_detector_graph.cc`).
public final class FaceDetectorNetwork: Sendable {
    /// Input side in pixels (the input is `[1, 128, 128, 3]`, RGB, channels last).
    public static let inputSize = 128
    /// Anchors (16×16×2 at stride 8 plus 8×8×6 at stride 16).
    public static let anchorCount = 896
    /// Values per anchor: box centre offset x, y, width, height, then 6 keypoints (x, y) — in input pixels.
    public static let regressorWidth = 16
    /// The input range the network was trained on: pixel / 127.5 − 1.
    public static let inputRange: ClosedRange<Float> = -1...1

    /// Raw outputs of one run.
    public struct Output: Sendable {
        /// `[896, 16]` regressors, row-major.
        public var regressors: [Float]
        /// `[896]` score logits (MediaPipe clips them to ±100 and applies a sigmoid).
        public var scoreLogits: [Float]
    }

    private let network: TrackerNetwork

    /// Loads the installed detector from `directory` (the `face-landmarker` model folder).
    public init(directory: URL) throws {
        let side = Self.inputSize
        network = try TrackerNetwork(.detector, directory: directory, input: [1, side, side, 3],
                                     outputs: [[1, Self.anchorCount, Self.regressorWidth], [1, Self.anchorCount, 1]])
    }

    /// Loads the detector from the model cache.
    public convenience init(store: ModelStore = ModelStore()) throws {
        try self.init(directory: try FaceLandmarkerModel.directory(store: store))
    }

    /// Runs the network on `image`: 128·128·3 floats, row-major RGB, in `inputRange`.
    /// - Throws: `TrackerError.badInput` for an image of the wrong size.
    public func run(image: [Float]) throws -> Output {
        let outputs = try network.run(image, name: "face detector")
        return Output(regressors: outputs[0], scoreLogits: outputs[1])
    }
}
