import Foundation
import M2FEncoders

/// MediaPipe's blendshape model (an MLP-Mixer on 146 of the 478 landmarks) → 52 scores in 0…1.
public final class BlendshapeNetwork: Sendable {
    /// The landmarks the model reads, in its input order (`kLandmarksSubsetIdxs` of MediaPipe's
    /// `face_blendshapes_graph.cc`: lips, eyes, brows, nose and both irises).
    public static let landmarkSubset: [Int] = [
        0, 1, 4, 5, 6, 7, 8, 10, 13, 14, 17, 21, 33, 37, 39, 40, 46, 52, 53, 54, 55, 58, 61, 63, 65, 66, 67, 70, 78, 80,
        81, 82, 84, 87, 88, 91, 93, 95, 103, 105, 107, 109, 127, 132, 133, 136, 144, 145, 146, 148, 149, 150, 152, 153, 154, 155,
        157, 158, 159, 160, 161, 162, 163, 168, 172, 173, 176, 178, 181, 185, 191, 195, 197, 234, 246, 249, 251, 263, 267, 269,
        270, 276, 282, 283, 284, 285, 288, 291, 293, 295, 296, 297, 300, 308, 310, 311, 312, 314, 317, 318, 321, 323, 324, 332,
        334, 336, 338, 356, 361, 362, 365, 373, 374, 375, 377, 378, 379, 380, 381, 382, 384, 385, 386, 387, 388, 389, 390, 397,
        398, 400, 402, 405, 409, 415, 454, 466, 468, 469, 470, 471, 472, 473, 474, 475, 476, 477,
    ]

    /// The 52 outputs in the model's order: `_neutral`, then the ARKit names in alphabetical order without
    /// `tongueOut` (the model has none).
    public static let names: [String] = [
        "_neutral", "browDownLeft", "browDownRight", "browInnerUp", "browOuterUpLeft", "browOuterUpRight", "cheekPuff",
        "cheekSquintLeft", "cheekSquintRight", "eyeBlinkLeft", "eyeBlinkRight", "eyeLookDownLeft", "eyeLookDownRight",
        "eyeLookInLeft", "eyeLookInRight", "eyeLookOutLeft", "eyeLookOutRight", "eyeLookUpLeft", "eyeLookUpRight",
        "eyeSquintLeft", "eyeSquintRight", "eyeWideLeft", "eyeWideRight", "jawForward", "jawLeft", "jawOpen", "jawRight",
        "mouthClose", "mouthDimpleLeft", "mouthDimpleRight", "mouthFrownLeft", "mouthFrownRight", "mouthFunnel", "mouthLeft",
        "mouthLowerDownLeft", "mouthLowerDownRight", "mouthPressLeft", "mouthPressRight", "mouthPucker", "mouthRight",
        "mouthRollLower", "mouthRollUpper", "mouthShrugLower", "mouthShrugUpper", "mouthSmileLeft", "mouthSmileRight",
        "mouthStretchLeft", "mouthStretchRight", "mouthUpperUpLeft", "mouthUpperUpRight", "noseSneerLeft", "noseSneerRight",
    ]

    private let network: TrackerNetwork

    /// Loads the installed blendshape model from `directory` (the `face-landmarker` model folder).
    public init(directory: URL) throws {
        network = try TrackerNetwork(.blendshapes, directory: directory, input: [1, Self.landmarkSubset.count, 2],
                                     outputs: [[Self.names.count]])
    }

    /// Loads the blendshape model from the model cache.
    public convenience init(store: ModelStore = ModelStore()) throws {
        try self.init(directory: try FaceLandmarkerModel.directory(store: store))
    }

    /// Runs the model on `points`: the `landmarkSubset` landmarks' x, y (146·2 floats, row-major) in image
    /// pixels (MediaPipe passes normalized landmarks times the image size; the model centres and scales them itself).
    /// - Returns: 52 scores in `names` order.
    public func run(points: [Float]) throws -> [Float] {
        try network.run(points, name: "blendshape network")[0]
    }

    /// The model's input from 478 landmarks (`[478, 3]` or `[478, 2]` flat, x and y in image pixels).
    public static func points(fromLandmarks landmarks: [Float], stride: Int = 3) -> [Float] {
        precondition(stride >= 2 && landmarks.count >= FaceLandmarkNetwork.landmarkCount * stride, "478 landmarks expected")
        return landmarkSubset.flatMap { [landmarks[$0 * stride], landmarks[$0 * stride + 1]] }
    }
}
