import Foundation
import M2FEngine

/// Turns a parsed `.tflite` model into the tracker's installed form: a `TrackerGraph` plus its float
/// constants as float32 tensors. float16 weights behind `DEQUANTIZE` operators are widened here once,
/// so the installed graph has no `DEQUANTIZE` left and the runner reads float32 only.
enum TFLiteConversion {
    struct Converted {
        var graph: TrackerGraph
        var weights: [String: Tensor]
    }

    static func convert(_ model: TFLiteModel, path: String) throws -> Converted {
        // Unique names: TFLite names are not guaranteed unique, so a repeated name gets `#index`.
        var names: [String] = []
        var seen: Set<String> = []
        for (index, tensor) in model.tensors.enumerated() {
            let name = seen.contains(tensor.name) || tensor.name.isEmpty ? "\(tensor.name)#\(index)" : tensor.name
            seen.insert(name)
            names.append(name)
        }
        var infos: [String: TrackerGraph.TensorInfo] = [:]
        var weights: [String: Tensor] = [:]
        func constant(_ index: Int) throws {
            let tensor = model.tensors[index], name = names[index]
            let count = tensor.shape.reduce(1, *)
            guard count >= 0, tensor.shape.allSatisfy({ $0 >= 0 }) else {
                throw TrackerError.malformedModel(path: path, problem: "tensor '\(name)' has shape \(tensor.shape)")
            }
            let bytes = Array(tensor.data)
            func need(_ width: Int) throws {
                guard bytes.count == count * width else {
                    throw TrackerError.malformedModel(path: path, problem: "tensor '\(name)' holds \(bytes.count) bytes for shape \(tensor.shape)")
                }
            }
            func word(_ i: Int, _ width: Int) -> UInt32 {
                (0..<width).reduce(UInt32(0)) { $0 | UInt32(bytes[i * width + $1]) << (8 * $1) }
            }
            switch TFLiteModel.ElementType(rawValue: tensor.type) {
            case .float32:
                try need(4)
                weights[name] = Tensor(shape: tensor.shape) { p, n in for i in 0..<n { p[i] = Float(bitPattern: word(i, 4)) } }
                infos[name] = .init(shape: tensor.shape, kind: .weight)
            case .float16:
                try need(2)
                weights[name] = Tensor(shape: tensor.shape) { p, n in
                    for i in 0..<n { p[i] = HalfPrecision.float(fromHalf: UInt16(word(i, 2))) }
                }
                infos[name] = .init(shape: tensor.shape, kind: .weight)
            case .int32:
                try need(4)
                infos[name] = .init(shape: tensor.shape, kind: .integer, ints: (0..<count).map { Int(Int32(bitPattern: word($0, 4))) })
            case nil:
                throw TrackerError.malformedModel(path: path, problem: "tensor '\(name)' has TensorType \(tensor.type) (float32, float16 or int32 expected)")
            }
        }
        for index in model.tensors.indices where !model.tensors[index].data.isEmpty { try constant(index) }
        for index in model.inputs { infos[names[index]] = .init(shape: model.tensors[index].shape, kind: .input) }

        var operators: [TrackerGraph.Operator] = []
        for op in model.operators {
            if op.name == "DEQUANTIZE" {
                // A float16 constant widened at run time: store the widened tensor under the output's name.
                guard op.inputs.count == 1, op.outputs.count == 1, let source = weights[names[op.inputs[0]]] else {
                    throw TrackerError.unsupportedOperator(path: path, name: "DEQUANTIZE of a non-constant tensor")
                }
                let output = names[op.outputs[0]]
                weights[output] = source
                infos[output] = .init(shape: model.tensors[op.outputs[0]].shape, kind: .weight)
                weights[names[op.inputs[0]]] = nil
                infos[names[op.inputs[0]]] = nil
                continue
            }
            for output in op.outputs where infos[names[output]] == nil {
                infos[names[output]] = .init(shape: model.tensors[output].shape, kind: .activation)
            }
            operators.append(.init(op: op.name, inputs: op.inputs.map { $0 < 0 ? "" : names[$0] },
                                   outputs: op.outputs.map { names[$0] }, options: op.options))
        }
        // Only what the operators read is kept (a strict load then finds nothing unused).
        let used = Set(operators.flatMap { $0.inputs + $0.outputs } + model.inputs.map { names[$0] } + model.outputs.map { names[$0] })
        infos = infos.filter { used.contains($0.key) }
        weights = weights.filter { used.contains($0.key) }
        let graph = TrackerGraph(inputs: model.inputs.map { names[$0] }, outputs: model.outputs.map { names[$0] },
                                 tensors: infos, operators: operators)
        return Converted(graph: graph, weights: weights)
    }
}
