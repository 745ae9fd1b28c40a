import Foundation
import M2FEncoders

/// MediaPipe's face mesh v2 (256×256 crop → 478 3D landmarks with irises) with its face-presence head.
public final class FaceLandmarkNetwork: Sendable {
    /// Input side in pixels (the input is `[1, 256, 256, 3]`, RGB, channels last).
    public static let inputSize = 256
    public static let landmarkCount = 478
    /// The input range the network was trained on: pixel / 255.
    public static let inputRange: ClosedRange<Float> = 0...1

    /// Raw outputs of one run.
    public struct Output: Sendable {
        /// `[478, 3]` row-major: x, y in crop pixels (0…256) and z in the same scale, relative to the face centre.
        public var landmarks: [Float]
        /// Face-presence logit (MediaPipe applies a sigmoid and compares with 0.5).
        public var presenceLogit: Float
        /// The graph's third output, already through a sigmoid (MediaPipe's face landmarker does not read it).
        public var auxiliaryScore: Float
    }

    private let network: TrackerNetwork

    /// Loads the installed landmark network from `directory` (the `face-landmarker` model folder).
    public init(directory: URL) throws {
        let side = Self.inputSize
        network = try TrackerNetwork(.landmarks, directory: directory, input: [1, side, side, 3],
                                     outputs: [[1, 1, 1, Self.landmarkCount * 3], [1, 1, 1, 1], [1, 1]])
    }

    /// Loads the landmark network from the model cache.
    public convenience init(store: ModelStore = ModelStore()) throws {
        try self.init(directory: try FaceLandmarkerModel.directory(store: store))
    }

    /// Runs the network on `image`: 256·256·3 floats, row-major RGB, in `inputRange`.
    /// - Throws: `TrackerError.badInput` for an image of the wrong size.
    public func run(image: [Float]) throws -> Output {
        let outputs = try network.run(image, name: "face landmark network")
        return Output(landmarks: outputs[0], presenceLogit: outputs[1][0], auxiliaryScore: outputs[2][0])
    }
}
