import Foundation

/// The order a graph runs in and where its tensors live: an activation (PReLU or ReLU) is fused into the
/// convolution or addition that feeds it when nothing else reads that intermediate, and activations share
/// buffers once their last reader has run, so a run touches a few cache-sized buffers instead of one
/// fresh buffer per tensor (the landmark network's 220 operators would otherwise write 44 MB per frame).
struct GraphPlan {
    /// One step: an operator, the residual addition and the activation fused into it, if any.
    struct Unit {
        let op: TrackerGraph.Operator
        /// An ADD of this convolution's output and `residual`, folded into the convolution's store.
        var addition: TrackerGraph.Operator? = nil
        let activation: TrackerGraph.Operator?
        /// The other operand of `addition`.
        var residual: String? { addition.map { $0.inputs[0] == op.outputs[0] ? $0.inputs[1] : $0.inputs[0] } }
        /// The tensor this step writes (the last fused operator's output).
        var output: String { activation?.outputs[0] ?? addition?.outputs[0] ?? op.outputs[0] }
        /// Every tensor the step reads.
        var reads: [String] { op.inputs + (residual.map { [$0] } ?? []) + (activation?.inputs.dropFirst() ?? []) }
    }

    let units: [Unit]
    /// Which shared buffer each activation tensor uses (inputs and outputs of the graph have their own).
    let slots: [String: Int]
    /// Floats per shared buffer.
    let slotSizes: [Int]

    static let fusable: Set<String> = ["CONV_2D", "DEPTHWISE_CONV_2D", "ADD"]

    init(graph: TrackerGraph) {
        var readers: [String: Int] = [:]
        for op in graph.operators { for name in op.inputs where !name.isEmpty { readers[name, default: 0] += 1 } }
        let outputs = Set(graph.outputs)
        var producer: [String: Int] = [:]
        for (index, op) in graph.operators.enumerated() { for name in op.outputs { producer[name] = index } }
        // Residual additions to fold into the convolution feeding them (a ResNet block's last 1×1
        // convolution + ADD): the convolution's output has no other reader, and the other operand of the
        // ADD already exists when the convolution runs.
        var additions: [Int: TrackerGraph.Operator] = [:]
        var owner: [Int: Int] = [:]  // fused ADD index → the convolution's index
        var skipped: Set<Int> = []
        for (index, op) in graph.operators.enumerated() where op.op == "ADD" && op.inputs.count == 2 && op.outputs.count == 1 {
            guard (op.options["fused_activation_function"] ?? 0) == 0, graph.shape(op.inputs[0]) == graph.shape(op.inputs[1]),
                  graph.shape(op.inputs[0]) == graph.shape(op.outputs[0]) else { continue }
            for (source, other) in [(op.inputs[0], op.inputs[1]), (op.inputs[1], op.inputs[0])] {
                guard source != other, let from = producer[source], readers[source] == 1, !outputs.contains(source),
                      additions[from] == nil, graph.operators[from].op == "CONV_2D", graph.operators[from].outputs.count == 1,
                      (graph.operators[from].options["fused_activation_function"] ?? 0) == 0,
                      producer[other].map({ $0 < from }) ?? (graph.tensors[other] != nil) else { continue }
                additions[from] = op
                owner[index] = from
                skipped.insert(index)
                break
            }
        }
        // The activation ops to fold into their producers (or the convolution that absorbed their ADD).
        var fused: [Int: TrackerGraph.Operator] = [:]
        for (index, op) in graph.operators.enumerated() where op.op == "PRELU" || op.op == "RELU" {
            guard let source = op.inputs.first, let produced = producer[source], readers[source] == 1, !outputs.contains(source)
            else { continue }
            let from = owner[produced] ?? produced
            guard fused[from] == nil else { continue }
            let feeder = graph.operators[from]
            guard GraphPlan.fusable.contains(feeder.op), (feeder.options["fused_activation_function"] ?? 0) == 0,
                  feeder.outputs.count == 1 else { continue }
            fused[from] = op
            skipped.insert(index)
        }
        units = graph.operators.enumerated().compactMap { index, op in
            skipped.contains(index) ? nil : Unit(op: op, addition: additions[index], activation: fused[index])
        }

        // Last reader of every tensor, by unit index.
        var lastRead: [String: Int] = [:]
        for (index, unit) in units.enumerated() {
            for name in unit.reads where !name.isEmpty { lastRead[name] = index }
        }
        var slots: [String: Int] = [:], sizes: [Int] = [], free: [Int] = []
        for (index, unit) in units.enumerated() {
            let name = unit.output
            if graph.tensors[name]?.kind == .activation, !outputs.contains(name), slots[name] == nil {
                let size = max(1, graph.shape(name).reduce(1, *))
                // The smallest free buffer that fits, else the largest free one grown, else a new one.
                let fitting = free.filter { sizes[$0] >= size }.min { sizes[$0] < sizes[$1] }
                let slot: Int
                if let fitting {
                    slot = fitting
                } else if let largest = free.max(by: { sizes[$0] < sizes[$1] }) {
                    slot = largest
                    sizes[slot] = size
                } else {
                    slot = sizes.count
                    sizes.append(size)
                }
                free.removeAll { $0 == slot }
                slots[name] = slot
            }
            // Release what this step read for the last time (after its output was placed: no aliasing).
            var released = Set(unit.reads.filter { lastRead[$0] == index })
            if lastRead[name] == nil { released.insert(name) }  // written but never read
            for tensor in released { if let slot = slots[tensor], !free.contains(slot) { free.append(slot) } }
        }
        self.slots = slots
        slotSizes = sizes
    }
}
