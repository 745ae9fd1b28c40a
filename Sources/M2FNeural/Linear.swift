import Foundation
import M2FEngine

/// Hyper-parameters of `Linear`.
public struct LinearConfiguration: Codable, Sendable, Equatable {
    /// Input features (the last axis of the input).
    public var inputSize: Int
    /// Output features.
    public var outputSize: Int
    /// Whether there is a bias. Default true.
    public var bias: Bool

    public init(inputSize: Int, outputSize: Int, bias: Bool = true) {
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.bias = bias
    }
}

/// y = x·Wᵀ + b, PyTorch's `nn.Linear` (weight laid out [out, in]).
public final class Linear: Module {
    public let configuration: LinearConfiguration
    /// `<prefix>.weight` [Cout, Cin]
    public let weight: Parameter
    /// `<prefix>.bias` [Cout], when `configuration.bias`
    public let bias: Parameter?
    public var isTraining = false

    /// PyTorch's default initialisation: weight and bias uniform in ±1/√Cin.
    public init(_ configuration: LinearConfiguration, generator: inout RandomGenerator) {
        self.configuration = configuration
        let bound = 1 / Foundation.sqrt(Float(configuration.inputSize))
        weight = Parameter(owning: .randomUniform([configuration.outputSize, configuration.inputSize],
                                                  lower: -bound, upper: bound, generator: &generator))
        bias = configuration.bias
            ? Parameter(owning: .randomUniform([configuration.outputSize], lower: -bound, upper: bound, generator: &generator))
            : nil
    }

    public convenience init(inputSize: Int, outputSize: Int, bias: Bool = true, generator: inout RandomGenerator) {
        self.init(LinearConfiguration(inputSize: inputSize, outputSize: outputSize, bias: bias), generator: &generator)
    }

    public var ownParameters: [(key: String, parameter: Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    /// [..., Cin] → [..., Cout] (any number of leading axes, e.g. [B, T, Cin]).
    public func callAsFunction(_ x: Tensor) -> Tensor {
        Tensor.linear(x, weight: weight.value, bias: bias?.value)
    }
}
