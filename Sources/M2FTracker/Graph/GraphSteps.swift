import Foundation
import M2FEngine

/// Prepares one runnable step per graph operator: operands resolved to buffers, shapes and window
/// geometry checked once, so a run only calls kernels.
enum GraphSteps {
    typealias Step = () -> Void

    static func step(for unit: GraphPlan.Unit, runner: GraphRunner) throws -> Step {
        let op = unit.op
        let graph = runner.graph
        func fail(_ problem: String) -> TrackerError {
            .malformedModel(path: runner.path, problem: "\(op.op) → \(op.outputs.first ?? "?"): \(problem)")
        }
        guard op.outputs.count == 1 else { throw fail("\(op.outputs.count) outputs, 1 expected") }
        let output = try runner.buffer(unit.output, of: op)
        let outputShape = graph.shape(op.outputs[0])
        guard graph.shape(unit.output) == outputShape else { throw fail("fused activation changes the shape") }
        let count = outputShape.reduce(1, *)
        func input(_ i: Int) throws -> UnsafeMutablePointer<Float> {
            guard i < op.inputs.count else { throw fail("missing input \(i)") }
            return try runner.buffer(op.inputs[i], of: op)
        }
        func shape(_ i: Int) -> [Int] { i < op.inputs.count ? graph.shape(op.inputs[i]) : [] }
        let activation = try Activation(code: op.options["fused_activation_function"] ?? 0, fail: fail)
        // The PReLU or ReLU folded into this step (see `GraphPlan`), applied as each output is stored.
        let epilogue: OutputActivation
        if let fused = unit.activation, fused.op == "PRELU" {
            let channels = outputShape.last ?? 1
            guard fused.inputs.count == 2, graph.shape(fused.inputs[1]).reduce(1, *) == channels else {
                throw fail("fused PReLU slopes \(graph.shape(fused.inputs.last ?? "")) for \(channels) channels")
            }
            epilogue = .prelu(UnsafePointer(try runner.buffer(fused.inputs[1], of: fused)))
        } else {
            epilogue = unit.activation == nil ? .none : .relu
        }
        let channelCount = outputShape.last ?? 1

        switch op.op {
        case "CONV_2D", "DEPTHWISE_CONV_2D", "MAX_POOL_2D":
            let inputShape = shape(0)
            guard inputShape.count == 4, inputShape[0] == 1, outputShape.count == 4 else {
                throw fail("needs batch-1 NHWC tensors, got \(inputShape) → \(outputShape)")
            }
            guard (op.options["dilation_w_factor"] ?? 1) == 1, (op.options["dilation_h_factor"] ?? 1) == 1 else {
                throw fail("dilated windows are not supported")
            }
            let kernelHeight: Int, kernelWidth: Int
            if op.op == "MAX_POOL_2D" {
                kernelHeight = op.options["filter_height"] ?? 1; kernelWidth = op.options["filter_width"] ?? 1
            } else {
                let w = shape(1)
                guard w.count == 4 else { throw fail("weight shape \(w)") }
                kernelHeight = w[1]; kernelWidth = w[2]
            }
            let geometry = WindowGeometry(inputHeight: inputShape[1], inputWidth: inputShape[2], kernelHeight: kernelHeight,
                                          kernelWidth: kernelWidth, strideY: op.options["stride_h"] ?? 1,
                                          strideX: op.options["stride_w"] ?? 1, same: (op.options["padding"] ?? 0) == 0)
            guard geometry.outputHeight == outputShape[1], geometry.outputWidth == outputShape[2] else {
                throw fail("window geometry gives \(geometry.outputHeight)×\(geometry.outputWidth), the graph says \(outputShape)")
            }
            let source = try input(0), channels = inputShape[3], outputChannels = outputShape[3]
            switch op.op {
            case "MAX_POOL_2D":
                guard channels == outputChannels else { throw fail("pooling changes channels") }
                return {
                    ImageKernels.maxPool(source, channels: channels, geometry: geometry, output: output)
                    activation.apply(output, count: count)
                }
            case "CONV_2D":
                let w = shape(1)
                guard w[0] == outputChannels, w[3] == channels else { throw fail("weight \(w) for \(channels) → \(outputChannels) channels") }
                let weight = try input(1)
                let bias = op.inputs.count > 2 && !op.inputs[2].isEmpty ? try input(2) : nil
                if bias != nil, shape(2) != [outputChannels] { throw fail("bias shape \(shape(2))") }
                var residual: UnsafePointer<Float>? = nil
                if let name = unit.residual {
                    guard graph.shape(name) == outputShape else { throw fail("residual \(graph.shape(name)) for \(outputShape)") }
                    residual = UnsafePointer(try runner.buffer(name, of: unit.addition!))
                }
                guard activation.code <= 1 || (unit.activation == nil && residual == nil) else { throw fail("two activations") }
                // The weight transposed once to [KH·KW·I, O]; ReLU from the op's own field, else the fused PReLU/ReLU.
                let depth = kernelHeight * kernelWidth * channels
                let transposed = runner.ownedBuffer(copying: FusedImageKernels.transposedWeight(weight, outputChannels: outputChannels, depth: depth))
                let fusedEpilogue: FusedImageKernels.Epilogue = activation.code == 1 ? .relu : epilogue.fused
                let rows = geometry.outputHeight * geometry.outputWidth
                let scratch = runner.scratch
                if !geometry.isPointwise { scratch.reserve(rows * depth) }
                return {
                    var a = UnsafePointer(source)
                    if !geometry.isPointwise {
                        ImageKernels.im2col(source, channels: channels, geometry: geometry, into: scratch.pointer)
                        a = UnsafePointer(scratch.pointer)
                    }
                    FusedImageKernels.convolveRows(a, rows: rows, depth: depth, weightT: transposed, bias: bias, outputChannels: outputChannels,
                                                   residual: residual, epilogue: fusedEpilogue, output: output)
                    if activation.code > 1 { activation.apply(output, count: count) }
                }
            default:
                let w = shape(1)
                guard w[0] == 1, w[3] == channels, outputChannels == channels else {
                    throw fail("depthwise weight \(w) for \(channels) → \(outputChannels) channels (multiplier 1 only)")
                }
                let weight = try input(1)
                let bias = op.inputs.count > 2 && !op.inputs[2].isEmpty ? try input(2) : nil
                guard activation.code <= 1 || unit.activation == nil else { throw fail("two activations") }
                let fusedEpilogue: FusedImageKernels.Epilogue = activation.code == 1 ? .relu : epilogue.fused
                return {
                    FusedImageKernels.depthwise(source, channels: channels, geometry: geometry, weight: weight, bias: bias,
                                                epilogue: fusedEpilogue, output: output)
                    if activation.code > 1 { activation.apply(output, count: count) }
                }
            }
        case "PRELU":
            let source = try input(0), alpha = try input(1)
            let channels = outputShape.last ?? 1
            guard shape(1).reduce(1, *) == channels, shape(0) == outputShape else { throw fail("slopes \(shape(1)) for \(outputShape)") }
            return {
                if source != output { output.update(from: source, count: count) }
                ImageKernels.prelu(output, count: count, alpha: alpha, channels: channels)
            }
        case "RELU", "LOGISTIC", "NEG", "SQRT", "RSQRT":
            let source = try input(0)
            guard shape(0).reduce(1, *) == count else { throw fail("input \(shape(0)) output \(outputShape)") }
            let function = UnaryFunction(rawValue: op.op)!
            return { TensorKernels.unary(function, source, output, count: count) }
        case "ADD", "SUB", "MUL", "DIV", "SQUARED_DIFFERENCE":
            let function = BinaryFunction(rawValue: op.op)!
            let plan = try BroadcastPlan(shape(0), shape(1), output: outputShape, fail: fail)
            let a = try input(0), b = try input(1)
            return {
                TensorKernels.binary(function, a, b, output, plan: plan)
                activation.apply(output, count: count)
                TrackerKernels.activate(output, pixels: count / channelCount, channels: channelCount, activation: epilogue)
            }
        case "RESHAPE":
            let source = try input(0)
            guard shape(0).reduce(1, *) == count else { throw fail("reshape of \(shape(0)) to \(outputShape)") }
            return { output.update(from: source, count: count) }
        case "CONCATENATION":
            let rank = outputShape.count
            var axis = op.options["axis"] ?? 0
            if axis < 0 { axis += rank }
            guard axis >= 0, axis < rank else { throw fail("axis \(axis) for rank \(rank)") }
            let outer = outputShape[..<axis].reduce(1, *)
            var parts: [(UnsafeMutablePointer<Float>, Int)] = []
            for i in op.inputs.indices {
                let s = shape(i)
                guard s.count == rank, s[..<axis] == outputShape[..<axis], s[(axis + 1)...] == outputShape[(axis + 1)...] else {
                    throw fail("input \(s) does not fit \(outputShape) along axis \(axis)")
                }
                parts.append((try input(i), s[axis...].reduce(1, *)))
            }
            guard parts.reduce(0, { $0 + $1.1 }) * outer == count else { throw fail("inputs do not fill the output") }
            return {
                TensorKernels.concatenate(parts.map { (UnsafePointer($0.0), $0.1) }, outer: outer, into: output)
                activation.apply(output, count: count)
            }
        case "PAD":
            let paddings = try runner.integers(op.inputs[1], of: op)
            let s = shape(0)
            guard paddings.count == 2 * s.count, s.count <= 4,
                  zip(s.indices, s).allSatisfy({ $1 + paddings[2 * $0] + paddings[2 * $0 + 1] == outputShape[$0] }),
                  paddings.allSatisfy({ $0 >= 0 }) else { throw fail("paddings \(paddings) for \(s) → \(outputShape)") }
            let source = try input(0)
            return { TensorKernels.pad(source, shape: s, before: stride(from: 0, to: paddings.count, by: 2).map { paddings[$0] }, into: output, outputShape: outputShape) }
        case "TRANSPOSE":
            let permutation = try runner.integers(op.inputs[1], of: op)
            let s = shape(0)
            guard s.count <= 4, permutation.sorted() == Array(0..<s.count), permutation.map({ s[$0] }) == outputShape else {
                throw fail("permutation \(permutation) of \(s)")
            }
            let source = try input(0)
            return { TensorKernels.transpose(source, shape: s, permutation: permutation, into: output) }
        case "MEAN", "SUM":
            let s = shape(0)
            let axes = try runner.integers(op.inputs[1], of: op).map { $0 < 0 ? $0 + s.count : $0 }
            guard s.count <= 4, axes.allSatisfy({ $0 >= 0 && $0 < s.count }) else { throw fail("axes \(axes) of \(s)") }
            let reducedCount = s.enumerated().reduce(1) { axes.contains($1.offset) ? $0 * $1.element : $0 }
            guard reducedCount > 0, count * reducedCount == s.reduce(1, *) else { throw fail("reduce \(s) over \(axes) to \(outputShape)") }
            let source = try input(0), mean = op.op == "MEAN"
            return { TensorKernels.reduceSum(source, shape: s, axes: axes, into: output, count: count, scale: mean ? 1 / Float(reducedCount) : 1) }
        case "STRIDED_SLICE":
            let s = shape(0)
            let slice = try SlicePlan(shape: s, begin: try runner.integers(op.inputs[1], of: op), end: try runner.integers(op.inputs[2], of: op),
                                      strides: try runner.integers(op.inputs[3], of: op), options: op.options, fail: fail)
            guard slice.count == count else { throw fail("slice has \(slice.count) values, the output \(count)") }
            let source = try input(0)
            return { TensorKernels.slice(source, plan: slice, into: output) }
        default:
            throw TrackerError.unsupportedOperator(path: runner.path, name: op.op)
        }
    }
}
