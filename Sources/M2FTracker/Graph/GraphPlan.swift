import Foundation

/// The order a graph runs in and where its tensors live: an activation (PReLU or ReLU) is fused into the
/// convolution or addition that feeds it when nothing else reads that intermediate, and activations share
/// buffers once their last reader has run, so a run touches a few cache-sized buffers instead of one
/// fresh buffer per tensor (the landmark network's 220 operators would otherwise write 44 MB per frame).
struct GraphPlan {
    /// One step: an operator and the activation fused into it, if any.
    struct Unit {
        let op: TrackerGraph.Operator
        let activation: TrackerGraph.Operator?
        /// The tensor this step writes (the activation's output when one is fused).
        var output: String { activation?.outputs[0] ?? op.outputs[0] }
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
        // The activation ops to fold into their producers, by producer index.
        var fused: [Int: TrackerGraph.Operator] = [:]
        var skipped: Set<Int> = []
        for (index, op) in graph.operators.enumerated() where op.op == "PRELU" || op.op == "RELU" {
            guard let source = op.inputs.first, let from = producer[source], readers[source] == 1, !outputs.contains(source),
                  fused[from] == nil else { continue }
            let feeder = graph.operators[from]
            guard GraphPlan.fusable.contains(feeder.op), (feeder.options["fused_activation_function"] ?? 0) == 0,
                  feeder.outputs.count == 1 else { continue }
            fused[from] = op
            skipped.insert(index)
        }
        units = graph.operators.enumerated().compactMap { index, op in
            skipped.contains(index) ? nil : Unit(op: op, activation: fused[index])
        }

        // Last reader of every tensor, by unit index.
        var lastRead: [String: Int] = [:]
        for (index, unit) in units.enumerated() {
            for name in unit.op.inputs + (unit.activation?.inputs.dropFirst() ?? []) where !name.isEmpty { lastRead[name] = index }
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
            var released = Set(unit.op.inputs.filter { lastRead[$0] == index })
            if lastRead[name] == nil { released.insert(name) }  // written but never read
            for tensor in released { if let slot = slots[tensor], !free.contains(slot) { free.append(slot) } }
        }
        self.slots = slots
        slotSizes = sizes
    }
}
