import M2FEngine

/// Hyper-parameters of `LayerNorm`.
public struct LayerNormConfiguration: Codable, Sendable, Equatable {
    /// Size of the normalised (last) axis.
    public var size: Int
    /// Added to the variance. Default 1e-5 (PyTorch's).
    public var epsilon: Float
    /// Whether there are a learnable weight and bias. Default true.
    public var affine: Bool

    public init(size: Int, epsilon: Float = 1e-5, affine: Bool = true) {
        self.size = size
        self.epsilon = epsilon
        self.affine = affine
    }
}

/// Layer normalisation over the last axis, PyTorch's `nn.LayerNorm` (biased variance).
public final class LayerNorm: Module {
    public let configuration: LayerNormConfiguration
    /// `<prefix>.weight` [C], starts at 1 (when affine)
    public let weight: Parameter?
    /// `<prefix>.bias` [C], starts at 0 (when affine)
    public let bias: Parameter?
    public var isTraining = false

    public init(_ configuration: LayerNormConfiguration) {
        self.configuration = configuration
        weight = configuration.affine ? Parameter(owning: .ones([configuration.size])) : nil
        bias = configuration.affine ? Parameter(owning: .zeros([configuration.size])) : nil
    }

    public convenience init(size: Int, epsilon: Float = 1e-5) {
        self.init(LayerNormConfiguration(size: size, epsilon: epsilon))
    }

    public var ownParameters: [(key: String, parameter: Parameter)] {
        guard let weight, let bias else { return [] }
        return [("weight", weight), ("bias", bias)]
    }

    /// [..., C] → [..., C].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.layerNorm(weight: weight?.value, bias: bias?.value, epsilon: configuration.epsilon)
    }
}
