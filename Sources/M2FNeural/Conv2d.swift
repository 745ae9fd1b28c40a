import Foundation
import M2FEngine

/// Hyper-parameters of `Conv2d` (square kernels, equal stride and padding on both axes).
public struct Conv2dConfiguration: Codable, Sendable, Equatable {
    public var inputChannels: Int
    public var outputChannels: Int
    public var kernelSize: Int
    /// Step between output positions on both axes. Default 1.
    public var stride: Int
    /// Zeros added on all four sides. Default 0.
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

    /// Output size along an axis of `size` pixels: (size + 2·padding − K) / stride + 1.
    public func outputSize(for size: Int) -> Int { (size + 2 * padding - kernelSize) / stride + 1 }
}

/// 2-D convolution over NCHW input, PyTorch's `nn.Conv2d`.
public final class Conv2d: Module {
    public let configuration: Conv2dConfiguration
    /// `<prefix>.weight` [Cout, Cin, K, K]
    public let weight: Parameter
    /// `<prefix>.bias` [Cout], when `configuration.bias`
    public let bias: Parameter?
    public var isTraining = false

    /// PyTorch's default initialisation: uniform in ±1/√(Cin·K²).
    public init(_ configuration: Conv2dConfiguration, generator: inout RandomGenerator) {
        self.configuration = configuration
        let c = configuration
        let bound = 1 / Foundation.sqrt(Float(c.inputChannels * c.kernelSize * c.kernelSize))
        weight = Parameter(owning: .randomUniform([c.outputChannels, c.inputChannels, c.kernelSize, c.kernelSize],
                                                  lower: -bound, upper: bound, generator: &generator))
        bias = c.bias ? Parameter(owning: .randomUniform([c.outputChannels], lower: -bound, upper: bound, generator: &generator)) : nil
    }

    public var ownParameters: [(key: String, parameter: Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    /// [B, Cin, H, W] → [B, Cout, H', W'] with H' = `configuration.outputSize(for: H)`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.conv2d(weight: weight.value, bias: bias?.value, stride: configuration.stride, padding: configuration.padding)
    }
}
