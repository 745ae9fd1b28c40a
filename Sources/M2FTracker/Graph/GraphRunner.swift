import Foundation
import M2FEngine

/// Runs one installed `TrackerGraph` on the CPU: every tensor gets a buffer once at load, and a run is
/// the operators' prepared steps in graph order (no allocation, no autograd tape).
///
/// Loading is strict: every float constant the graph names must be in the weights file with the
/// graph's shape, the file must hold nothing else, and every operator must be one the runner implements.
/// Not thread-safe on its own: the networks wrap it in a lock.
final class GraphRunner {
    /// The graph file, for errors.
    let path: String
    let graph: TrackerGraph
    /// Buffers by tensor name: inputs, activations and weights (weights copied out of the file);
    /// activations share buffers as `GraphPlan` assigns them.
    private(set) var buffers: [String: UnsafeMutablePointer<Float>] = [:]
    /// Every buffer this runner allocated (each once), freed with it.
    private var owned: [UnsafeMutablePointer<Float>] = []
    private var steps: [() -> Void] = []
    /// Scratch for im2col, grown to the largest convolution while the steps are prepared.
    let scratch = Scratch()

    init(graphPath: String, weightsPath: String) throws {
        path = graphPath
        guard let data = FileManager.default.contents(atPath: graphPath) else {
            throw TrackerError.malformedModel(path: graphPath, problem: "cannot read the graph file")
        }
        do { graph = try JSONDecoder().decode(TrackerGraph.self, from: data) } catch {
            throw TrackerError.malformedModel(path: graphPath, problem: "not a tracker graph (\(error.localizedDescription))")
        }
        let file: SafeTensorsFile
        do { file = try SafeTensorsFile(path: weightsPath) } catch {
            throw TrackerError.weightMismatch(path: weightsPath, problem: error.localizedDescription)
        }
        let plan = GraphPlan(graph: graph)
        try allocate(weights: file, weightsPath: weightsPath, plan: plan)
        for unit in plan.units { steps.append(try GraphSteps.step(for: unit, runner: self)) }
    }

    deinit {
        for buffer in owned { buffer.deallocate() }
    }

    /// Checks names and shapes against the weights file and gives every tensor its buffer.
    private func allocate(weights file: SafeTensorsFile, weightsPath: String, plan: GraphPlan) throws {
        let shared = plan.slotSizes.map { size in
            let buffer = UnsafeMutablePointer<Float>.allocate(capacity: size)
            buffer.initialize(repeating: 0, count: size)
            return buffer
        }
        owned += shared
        let expected = graph.tensors.filter { $0.value.kind == .weight }
        for name in file.names where expected[name] == nil {
            throw TrackerError.weightMismatch(path: weightsPath, problem: "tensor '\(name)' is not used by the graph \(path)")
        }
        for (name, info) in graph.tensors {
            guard info.shape.allSatisfy({ $0 >= 0 }), let count = Optional(info.shape.reduce(1, *)), count < 1 << 28 else {
                throw TrackerError.malformedModel(path: path, problem: "tensor '\(name)' has shape \(info.shape)")
            }
            switch info.kind {
            case .integer:
                guard info.ints?.count == count else {
                    throw TrackerError.malformedModel(path: path, problem: "integer tensor '\(name)' has \(info.ints?.count ?? 0) values for shape \(info.shape)")
                }
            case .weight:
                guard let entry = file.entries[name] else {
                    throw TrackerError.weightMismatch(path: weightsPath, problem: "tensor '\(name)' (shape \(info.shape)) is missing")
                }
                guard entry.shape == info.shape else {
                    throw TrackerError.weightMismatch(path: weightsPath, problem: "tensor '\(name)' has shape \(entry.shape), the graph expects \(info.shape)")
                }
                let values = try file.tensor(named: name).toArray()
                let buffer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
                buffer.initialize(from: values, count: count)
                buffers[name] = buffer
                owned.append(buffer)
            case .input, .activation:
                if let slot = plan.slots[name] {
                    buffers[name] = shared[slot]
                } else if info.kind == .input || graph.outputs.contains(name) || plan.units.contains(where: { $0.output == name }) {
                    let buffer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
                    buffer.initialize(repeating: 0, count: max(count, 1))
                    buffers[name] = buffer
                    owned.append(buffer)
                }  // else: an intermediate folded into a fused step, never stored
            }
        }
        for name in graph.inputs + graph.outputs where graph.tensors[name] == nil {
            throw TrackerError.malformedModel(path: path, problem: "graph input or output '\(name)' is not a tensor")
        }
    }

    /// The buffer of tensor `name` used as an operand of `op` (throws when the graph names no such float tensor).
    func buffer(_ name: String, of op: TrackerGraph.Operator) throws -> UnsafeMutablePointer<Float> {
        guard let buffer = buffers[name] else {
            throw TrackerError.malformedModel(path: path, problem: "\(op.op) reads or writes '\(name)', which is not a float tensor of the graph")
        }
        return buffer
    }

    /// A buffer of `count` floats owned by the runner (prepared weights such as transposed kernels).
    func ownedBuffer(copying values: [Float]) -> UnsafeMutablePointer<Float> {
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: max(values.count, 1))
        buffer.initialize(from: values, count: values.count)
        owned.append(buffer)
        return buffer
    }

    /// The values of integer constant `name`.
    func integers(_ name: String, of op: TrackerGraph.Operator) throws -> [Int] {
        guard let values = graph.tensors[name]?.ints else {
            throw TrackerError.malformedModel(path: path, problem: "\(op.op) expects integer constant '\(name)'")
        }
        return values
    }

    /// Copies `inputs` (one flat array per graph input, in order) in, runs every step and returns the
    /// graph's outputs, flat, in order. Sizes were checked by the caller.
    func run(_ inputs: [[Float]]) -> [[Float]] {
        precondition(inputs.count == graph.inputs.count, "one array per graph input")
        for (name, values) in zip(graph.inputs, inputs) {
            precondition(values.count == graph.shape(name).reduce(1, *), "input '\(name)' size")
            buffers[name]!.update(from: values, count: values.count)
        }
        for step in steps { step() }
        return graph.outputs.map { name in
            Array(UnsafeBufferPointer(start: buffers[name]!, count: graph.shape(name).reduce(1, *)))
        }
    }
}

/// A scratch buffer that steps share (they run one at a time); steps read `pointer` when they run.
final class Scratch {
    private(set) var pointer = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private var capacity = 1

    /// Grows the buffer to at least `count` floats (only while steps are being prepared).
    func reserve(_ count: Int) {
        guard count > capacity else { return }
        pointer.deallocate()
        pointer = .allocate(capacity: count)
        capacity = count
    }

    deinit { pointer.deallocate() }
}
