import M2FEngine

/// Hyper-parameters of `MLP`.
public struct MLPConfiguration: Codable, Sendable, Equatable {
    /// Input and output width C.
    public var width: Int
    /// Hidden width. Default 4·C.
    public var hiddenSize: Int
    /// GELU formula. Default `.none` (exact erf, PyTorch's default).
    public var activation: GeluApproximation

    public init(width: Int, hiddenSize: Int? = nil, activation: GeluApproximation = .none) {
        self.width = width
        self.hiddenSize = hiddenSize ?? 4 * width
        self.activation = activation
    }
}

/// The transformer feed-forward network: fc2(GELU(fc1(x))).
public final class MLP: Module {
    public let configuration: MLPConfiguration
    /// `<prefix>.fc1.{weight [hidden, C], bias [hidden]}`
    public let fc1: Linear
    /// `<prefix>.fc2.{weight [C, hidden], bias [C]}`
    public let fc2: Linear
    public var isTraining = false

    public init(_ configuration: MLPConfiguration, generator: inout RandomGenerator) {
        self.configuration = configuration
        fc1 = Linear(inputSize: configuration.width, outputSize: configuration.hiddenSize, generator: &generator)
        fc2 = Linear(inputSize: configuration.hiddenSize, outputSize: configuration.width, generator: &generator)
    }

    public var children: [(key: String, module: any Module)] { [("fc1", fc1), ("fc2", fc2)] }

    /// [..., C] → [..., C].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        fc2(fc1(x).gelu(approximation: configuration.activation))
    }
}
