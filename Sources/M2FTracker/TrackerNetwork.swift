import Foundation
import M2FEncoders
import Synchronization

/// One installed tracker network behind a lock: the graph runner keeps its buffers between runs, so
/// calls from several threads take turns.
final class TrackerNetwork: Sendable {
    let network: FaceLandmarkerModel.Network
    let inputShape: [Int]
    let outputShapes: [[Int]]
    private let runner: Mutex<GraphRunner>

    /// Loads `network` from an installed model folder, checking its input and output shapes.
    init(_ network: FaceLandmarkerModel.Network, directory: URL, input: [Int], outputs: [[Int]]) throws {
        let graphPath = directory.appendingPathComponent(network.graphFile).path
        let loaded = try GraphRunner(graphPath: graphPath, weightsPath: directory.appendingPathComponent(network.weightsFile).path)
        let graph = loaded.graph
        guard graph.inputs.count == 1, graph.shape(graph.inputs[0]) == input else {
            throw TrackerError.malformedModel(path: graphPath, problem: "input shapes \(graph.inputs.map(graph.shape)), expected \(input)")
        }
        guard graph.outputs.map(graph.shape) == outputs else {
            throw TrackerError.malformedModel(path: graphPath, problem: "output shapes \(graph.outputs.map(graph.shape)), expected \(outputs)")
        }
        self.network = network
        inputShape = input
        outputShapes = outputs
        runner = Mutex(loaded)
    }

    /// Runs the graph on `input` (flat, `inputShape`) and returns its outputs, flat, in graph order.
    func run(_ input: [Float], name: String) throws -> [[Float]] {
        let expected = inputShape.reduce(1, *)
        guard input.count == expected else {
            throw TrackerError.badInput(network: name, problem: "input has \(input.count) values, \(inputShape) = \(expected) expected")
        }
        return runner.withLock { $0.run([input]) }
    }
}
