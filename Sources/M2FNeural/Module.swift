import M2FEngine

/// A layer or model: a tree of sublayers and parameters, each under a declared checkpoint key.
///
/// Conforming types are classes that keep their parameters and sublayers as stored properties and list
/// them by key, in PyTorch's naming, so a PyTorch `state_dict` loads directly:
///
/// ```swift
/// public var ownParameters: [(key: String, parameter: Parameter)] { [("weight", weight), ("bias", bias)] }
/// public var children: [(key: String, module: any Module)] { [("q_proj", queryProjection)] }
/// ```
///
/// `namedParameters()` joins the keys with dots (`layers.0.self_attn.q_proj.weight`);
/// `loadParameters(_:source:)` loads strictly by those paths.
public protocol Module: AnyObject {
    /// Parameters held directly by this module, by key (`weight`, `bias`), in checkpoint order.
    var ownParameters: [(key: String, parameter: Parameter)] { get }
    /// Direct sublayers by key (`self_attn`, `layers.0`). Parameter-free children (dropout) may be listed
    /// so that `train(_:)` reaches them; they add no keys.
    var children: [(key: String, module: any Module)] { get }
    /// Whether the module is in training mode (dropout active). Set a whole tree with `train(_:)`.
    var isTraining: Bool { get set }
}

extension Module {
    public var ownParameters: [(key: String, parameter: Parameter)] { [] }
    public var children: [(key: String, module: any Module)] { [] }

    /// Every parameter in the tree with its dotted checkpoint path, depth first in declaration order.
    public func namedParameters() -> [(key: String, parameter: Parameter)] {
        var result = ownParameters
        for (childKey, child) in children {
            for (key, parameter) in child.namedParameters() { result.append((childKey + "." + key, parameter)) }
        }
        return result
    }

    /// Every parameter in the tree, in `namedParameters()` order.
    public func parameters() -> [Parameter] { namedParameters().map(\.parameter) }

    /// Total number of learnable scalars.
    public var parameterCount: Int { parameters().reduce(0) { $0 + $1.count } }

    /// The current values by dotted key, for saving. These are live views: an optimiser step changes
    /// them; use `Parameter.snapshot()` for a copy.
    public func parameterTensors() -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for (key, parameter) in namedParameters() { result[key] = parameter.value.detached() }
        return result
    }

    /// Copies `tensors` into the parameters, by dotted key, strictly: every parameter needs a tensor of
    /// its exact shape and every tensor must belong to a parameter. Nothing is written unless all match.
    /// - Parameter source: the checkpoint's name or file path, for error messages.
    /// - Throws: `EngineError.missingKeys`, `.unusedKeys` or `.parameterShapeMismatch` (naming the dotted
    ///   key and both shapes).
    public func loadParameters(_ tensors: [String: Tensor], source: String) throws {
        let named = namedParameters()
        let missing = named.map(\.key).filter { tensors[$0] == nil }
        if !missing.isEmpty { throw EngineError.missingKeys(path: source, keys: missing) }
        let known = Set(named.map(\.key))
        let unused = tensors.keys.filter { !known.contains($0) }.sorted()
        if !unused.isEmpty { throw EngineError.unusedKeys(path: source, keys: unused) }
        for (key, parameter) in named where tensors[key]!.shape != parameter.shape {
            throw EngineError.parameterShapeMismatch(
                path: source, key: key, expected: parameter.shape, actual: tensors[key]!.shape)
        }
        for (key, parameter) in named { parameter.assign(tensors[key]!) }
    }

    /// Forgets the gradients of every parameter in the tree.
    public func zeroGrad() {
        for parameter in parameters() { parameter.zeroGrad() }
    }

    /// Sets training mode (dropout active) on this module and all of its descendants.
    public func train(_ training: Bool = true) {
        isTraining = training
        for (_, child) in children { child.train(training) }
    }

    /// Inference mode for the whole tree: same as `train(false)`.
    public func eval() { train(false) }
}
