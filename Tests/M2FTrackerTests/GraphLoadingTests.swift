import Foundation
import M2FEngine
@testable import M2FTracker
import Testing

/// Bad model files are clear errors naming the file and the tensor, never a crash: a truncated or foreign
/// `.tflite`, a weights file that disagrees with its graph, a graph with an unknown operator, wrong input sizes.
@Suite("Tracker graph loading is strict")
struct GraphLoadingTests {
    /// A copy of the installed detector (graph + weights) in a temporary folder, for tampering.
    static func copyOfDetector() throws -> URL {
        let installed = try InstalledTracker.directory()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tracker-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let network = FaceLandmarkerModel.Network.detector
        for file in [network.graphFile, network.weightsFile] {
            try FileManager.default.copyItem(at: installed.appendingPathComponent(file), to: folder.appendingPathComponent(file))
        }
        return folder
    }

    @Test("a truncated or foreign .tflite is a malformed-model error")
    func truncatedFlatBuffer() throws {
        for bytes in [[UInt8](), [UInt8](repeating: 7, count: 64), [24, 0, 0, 0] + Array("TFL3".utf8) + [UInt8](repeating: 0xFF, count: 40)] {
            #expect(throws: TrackerError.self) { try TFLiteModel(bytes: bytes, path: "bad.tflite") }
        }
    }

    @Test("a missing, mis-shaped or extra weight names the tensor")
    func weightMismatch() throws {
        let folder = try Self.copyOfDetector()
        defer { try? FileManager.default.removeItem(at: folder) }
        let weightsPath = folder.appendingPathComponent(FaceLandmarkerModel.Network.detector.weightsFile).path
        let original = try SafeTensorsFile(path: weightsPath).allTensors()
        let victim = original.keys.sorted()[0]
        let edits: [(String, ([String: Tensor]) -> [String: Tensor])] = [
            ("is missing", { var t = $0; t[victim] = nil; return t }),
            ("has shape", { var t = $0; t[victim] = Tensor([0], shape: [1]); return t }),
            ("is not used", { var t = $0; t["extra.weight"] = Tensor([0], shape: [1]); return t }),
        ]
        for (message, edit) in edits {
            try SafeTensors.write(edit(original), to: weightsPath)
            do {
                _ = try FaceDetectorNetwork(directory: folder)
                Issue.record("a tampered weights file (\(message)) was accepted")
            } catch let error as TrackerError {
                let text = error.localizedDescription
                #expect(text.contains(message) && text.contains(weightsPath), "\(text)")
            }
        }
        try SafeTensors.write(original, to: weightsPath)
        _ = try FaceDetectorNetwork(directory: folder)
    }

    @Test("an unknown operator or a broken graph file is refused with the file named")
    func brokenGraph() throws {
        let folder = try Self.copyOfDetector()
        defer { try? FileManager.default.removeItem(at: folder) }
        let graphURL = folder.appendingPathComponent(FaceLandmarkerModel.Network.detector.graphFile)
        var graph = try JSONDecoder().decode(TrackerGraph.self, from: Data(contentsOf: graphURL))
        graph.operators[0].op = "LSTM"
        try JSONEncoder().encode(graph).write(to: graphURL)
        #expect(throws: TrackerError.unsupportedOperator(path: graphURL.path, name: "LSTM")) { try FaceDetectorNetwork(directory: folder) }
        try Data("{\"inputs\": [".utf8).write(to: graphURL)
        #expect(throws: TrackerError.self) { try FaceDetectorNetwork(directory: folder) }
    }

    @Test("an input of the wrong size is a bad-input error, not a trap")
    func wrongInputSize() throws {
        let detector = try InstalledTracker.detector.get()
        #expect(throws: TrackerError.self) { try detector.run(image: [Float](repeating: 0, count: 10)) }
        let blendshapes = try InstalledTracker.blendshapes.get()
        #expect(throws: TrackerError.self) { try blendshapes.run(points: []) }
    }

    @Test("TensorFlow SAME and VALID window geometry")
    func windowGeometry() {
        let same = WindowGeometry(inputHeight: 64, inputWidth: 64, kernelHeight: 3, kernelWidth: 3, strideY: 2, strideX: 2, same: true)
        #expect(same.outputHeight == 32 && same.padTop == 0)  // the odd padding pixel goes after
        let same5 = WindowGeometry(inputHeight: 128, inputWidth: 128, kernelHeight: 5, kernelWidth: 5, strideY: 2, strideX: 2, same: true)
        #expect(same5.outputHeight == 64 && same5.padTop == 1)
        let valid = WindowGeometry(inputHeight: 128, inputWidth: 128, kernelHeight: 2, kernelWidth: 2, strideY: 2, strideX: 2, same: false)
        #expect(valid.outputHeight == 64 && valid.padTop == 0 && !valid.isPointwise)
    }
}
