import Foundation

/// A network as the tracker installs it: the operator list of a TFLite graph with its constants split
/// out. Float constants (weights, biases, PReLU slopes) live in a safetensors file under the tensor's
/// name; integer constants (paddings, axes, permutations, slice bounds) are stored here. Written by
/// `TFLiteConversion`, read by `GraphRunner`.
public struct TrackerGraph: Codable, Sendable, Equatable {
    /// What a tensor is.
    public enum Kind: String, Codable, Sendable {
        /// A graph input, filled by the caller.
        case input
        /// Computed by an operator.
        case activation
        /// A float constant in the weights file.
        case weight
        /// An integer constant, `ints` below.
        case integer
    }

    public struct TensorInfo: Codable, Sendable, Equatable {
        public var shape: [Int]
        public var kind: Kind
        /// The values of an `integer` tensor.
        public var ints: [Int]?

        public init(shape: [Int], kind: Kind, ints: [Int]? = nil) {
            self.shape = shape
            self.kind = kind
            self.ints = ints
        }
    }

    /// One operator: its TFLite name (`CONV_2D`), the tensors it reads and writes (by name; "" for an
    /// omitted optional input such as a missing bias) and its options by schema field name.
    public struct Operator: Codable, Sendable, Equatable {
        public var op: String
        public var inputs: [String]
        public var outputs: [String]
        public var options: [String: Int]

        public init(op: String, inputs: [String], outputs: [String], options: [String: Int] = [:]) {
            self.op = op
            self.inputs = inputs
            self.outputs = outputs
            self.options = options
        }
    }

    public var inputs: [String]
    public var outputs: [String]
    public var tensors: [String: TensorInfo]
    public var operators: [Operator]

    public init(inputs: [String], outputs: [String], tensors: [String: TensorInfo], operators: [Operator]) {
        self.inputs = inputs
        self.outputs = outputs
        self.tensors = tensors
        self.operators = operators
    }

    /// Shape of the tensor `name` (the graph was validated when loaded, so every name is present).
    func shape(_ name: String) -> [Int] { tensors[name]?.shape ?? [] }
}
