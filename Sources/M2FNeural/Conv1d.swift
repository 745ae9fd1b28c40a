import Foundation
import M2FEngine

/// Hyper-parameters of `Conv1d`.
public struct Conv1dConfiguration: Codable, Sendable, Equatable {
    public var inputChannels: Int
    public var outputChannels: Int
    public var kernelSize: Int
    /// Step between output positions. Default 1.
    public var stride: Int
    /// Zeros added at each end of the time axis. Default 0.
    public var padding: Int
    /// Whether there is a bias. Default true.
    public var bias: Bool

    public init(inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0, bias: Bool = true) {
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.bias = bias
    }

    /// Output length for an input of `length` samples: (T + 2·padding − K) / stride + 1.
    public func outputLength(for length: Int) -> Int { (length + 2 * padding - kernelSize) / stride + 1 }
}

/// 1-D convolution over channels-first input, PyTorch's `nn.Conv1d`.
public final class Conv1d: Module {
    public let configuration: Conv1dConfiguration
    /// `<prefix>.weight` [Cout, Cin, K]
    public let weight: Parameter
    /// `<prefix>.bias` [Cout], when `configuration.bias`
    public let bias: Parameter?
    public var isTraining = false

    /// PyTorch's default initialisation: uniform in ±1/√(Cin·K).
    public init(_ configuration: Conv1dConfiguration, generator: inout RandomGenerator) {
        self.configuration = configuration
        let c = configuration
        let bound = 1 / Foundation.sqrt(Float(c.inputChannels * c.kernelSize))
        weight = Parameter(owning: .randomUniform([c.outputChannels, c.inputChannels, c.kernelSize],
                                                  lower: -bound, upper: bound, generator: &generator))
        bias = c.bias ? Parameter(owning: .randomUniform([c.outputChannels], lower: -bound, upper: bound, generator: &generator)) : nil
    }

    public var ownParameters: [(key: String, parameter: Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    /// [B, Cin, T] → [B, Cout, T'] with T' = `configuration.outputLength(for: T)`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.conv1d(weight: weight.value, bias: bias?.value, stride: configuration.stride, padding: configuration.padding)
    }
}
