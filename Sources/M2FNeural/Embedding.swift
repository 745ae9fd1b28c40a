import M2FEngine

/// Hyper-parameters of `Embedding`.
public struct EmbeddingConfiguration: Codable, Sendable, Equatable {
    /// Number of rows (vocabulary size V).
    public var count: Int
    /// Width of each row (C).
    public var dimensions: Int

    public init(count: Int, dimensions: Int) {
        self.count = count
        self.dimensions = dimensions
    }
}

/// A lookup table of learned vectors, PyTorch's `nn.Embedding`.
public final class Embedding: Module {
    public let configuration: EmbeddingConfiguration
    /// `<prefix>.weight` [V, C]
    public let weight: Parameter
    public var isTraining = false

    /// PyTorch's default initialisation: N(0, 1).
    public init(_ configuration: EmbeddingConfiguration, generator: inout RandomGenerator) {
        self.configuration = configuration
        weight = Parameter(owning: .randomNormal([configuration.count, configuration.dimensions], generator: &generator))
    }

    public convenience init(count: Int, dimensions: Int, generator: inout RandomGenerator) {
        self.init(EmbeddingConfiguration(count: count, dimensions: dimensions), generator: &generator)
    }

    public var ownParameters: [(key: String, parameter: Parameter)] { [("weight", weight)] }

    /// Ids in 0..<V laid out as `shape` (e.g. [B, T]) → `shape + [C]` (e.g. [B, T, C]).
    public func callAsFunction(_ ids: [Int], shape: [Int]) -> Tensor {
        Tensor.embedding(weight.value, ids: ids, idsShape: shape)
    }
}
