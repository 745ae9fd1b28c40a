import Synchronization

/// One entry of the autograd tape: how a tensor was made, and the gradient flowing into it.
///
/// Nodes are numbered in creation order, so the reverse of that order is a valid backward order (the
/// tape). Leaves (parameters, inputs that want gradients) keep their accumulated `grad`; inner nodes
/// drop theirs once used, to free memory.
public final class GradNode: @unchecked Sendable {
    /// Position on the tape.
    let sequence: Int
    /// Operation name, for debugging.
    public let name: String
    /// The nodes of the op's inputs, aligned with the gradients `backward` returns (nil: no gradient).
    let inputs: [GradNode?]
    /// Maps the gradient of the output to the gradients of the inputs; nil for leaves.
    let backward: ((Tensor) -> [Tensor?])?
    /// Accumulated gradient (kept for leaves after `Tensor.backward()`).
    public internal(set) var grad: Tensor?

    private static let counter = Atomic<Int>(0)

    init(name: String, inputs: [GradNode?], backward: ((Tensor) -> [Tensor?])?) {
        self.sequence = GradNode.counter.wrappingAdd(1, ordering: .relaxed).newValue
        self.name = name
        self.inputs = inputs
        self.backward = backward
    }

    var isLeaf: Bool { backward == nil }

    func accumulate(_ gradient: Tensor) {
        // Out of place: an op may hand the same gradient tensor to several inputs.
        grad = grad.map { $0 + gradient } ?? gradient
    }
}

/// Switches for the tape.
public enum Autograd {
    /// Whether ops record their backward. Off inside `withoutGrad` and while running backward.
    @TaskLocal public static var isRecording = true
}

/// Runs `body` in inference mode: nothing is recorded, nothing is kept for a backward pass.
@inlinable
public func withoutGrad<Result>(_ body: () throws -> Result) rethrows -> Result {
    try Autograd.$isRecording.withValue(false, operation: body)
}

extension Tensor {
    /// Whether gradients flow to this tensor.
    public var requiresGrad: Bool { node != nil }

    /// This tensor as a leaf that collects gradients (a parameter or an input under test).
    public func requiringGrad() -> Tensor {
        var leaf = self
        leaf.node = GradNode(name: "leaf", inputs: [], backward: nil)
        return leaf
    }

    /// The same values, cut off from the tape.
    public func detached() -> Tensor {
        var copy = self
        copy.node = nil
        return copy
    }

    /// The gradient accumulated into this tensor by `backward()`, if it is a leaf that received one.
    public var grad: Tensor? { node?.grad }

    /// Forgets the accumulated gradient.
    public func zeroGrad() { node?.grad = nil }

    /// Replaces the accumulated gradient of this leaf (gradient clipping, loading optimiser state).
    /// The gradient is stored as given; callers hand over a tensor they do not modify afterwards.
    public func setGrad(_ gradient: Tensor?) {
        precondition(node != nil, "setGrad on a tensor that does not require gradients")
        if let gradient { precondition(gradient.shape == shape, "gradient \(gradient.shape) for a tensor of shape \(shape)") }
        node?.grad = gradient?.detached()
    }

    /// Attaches `backward` to `result` when recording is on and some input needs gradients.
    /// `backward` maps the output gradient to one gradient per input (nil where not needed).
    public static func record(
        _ name: String, _ result: Tensor, inputs: [Tensor], backward: @escaping (Tensor) -> [Tensor?]
    ) -> Tensor {
        guard Autograd.isRecording, inputs.contains(where: { $0.node != nil }) else { return result }
        var output = result
        output.node = GradNode(name: name, inputs: inputs.map(\.node), backward: backward)
        return output
    }

    /// Reverse-mode differentiation from this tensor.
    /// - Parameter seed: the gradient of the final objective with respect to this tensor; ones when nil
    ///   (so for a scalar loss, plain `loss.backward()`).
    public func backward(_ seed: Tensor? = nil) {
        guard let root = node else {
            preconditionFailure("backward() on a tensor that does not require gradients")
        }
        let initial = seed ?? Tensor.ones(shape)
        precondition(initial.shape == shape, "backward seed shape \(initial.shape) differs from \(shape)")

        // Collect everything reachable, then walk the tape backwards.
        var seen = Set<ObjectIdentifier>()
        var stack = [root]
        var nodes: [GradNode] = []
        while let current = stack.popLast() {
            guard seen.insert(ObjectIdentifier(current)).inserted else { continue }
            nodes.append(current)
            for case let input? in current.inputs { stack.append(input) }
        }
        nodes.sort { $0.sequence > $1.sequence }

        root.accumulate(initial)
        withoutGrad {
            for current in nodes {
                guard let backward = current.backward, let gradient = current.grad else { continue }
                let inputGradients = backward(gradient)
                for (input, inputGradient) in zip(current.inputs, inputGradients) {
                    if let input, let inputGradient { input.accumulate(inputGradient) }
                }
                current.grad = nil
            }
        }
    }
}
