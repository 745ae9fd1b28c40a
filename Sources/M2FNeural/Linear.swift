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
    /// The weight packed in 16 bits for inference (see `storeWeightInHalfPrecision()`); nil: Float32 only.
    public private(set) var halfWeight: HalfLinearWeight?
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

    /// Rounds the weight to IEEE binary16 in place and keeps a packed 16-bit copy, which inference on
    /// few rows multiplies by (`Tensor.linear(_:weight:bias:)` with a `HalfLinearWeight`). The copy is a
    /// snapshot: call again after the weight changes (loading, an optimiser step).
    public func storeWeightInHalfPrecision() {
        halfWeight = HalfLinearWeight(roundingInPlace: weight.value)
    }

    /// [..., Cin] → [..., Cout] (any number of leading axes, e.g. [B, T, Cin]).
    public func callAsFunction(_ x: Tensor) -> Tensor {
        if let halfWeight { return Tensor.linear(x, weight: halfWeight, bias: bias?.value) }
        return Tensor.linear(x, weight: weight.value, bias: bias?.value)
    }

    /// `GELU(self(x))` (exact erf form). With a 16-bit weight on few rows the kernel applies GELU as it
    /// stores each output, sparing a pass over the [..., Cout] result; otherwise `self(x).gelu()`.
    public func gelu(_ x: Tensor) -> Tensor {
        if let halfWeight { return Tensor.linear(x, weight: halfWeight, bias: bias?.value, activation: .geluErf) }
        return self(x).gelu()
    }
}
