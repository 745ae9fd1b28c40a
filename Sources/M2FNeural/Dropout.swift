import M2FEngine

/// Inverted dropout with its own seeded generator: active only in training mode.
///
/// Each instance draws from a `RandomGenerator` seeded at construction, so a training run is
/// reproducible from the seed of the model's initialisation. Has no parameters.
public final class Dropout: Module {
    /// Probability of zeroing an element, in [0, 1).
    public let probability: Float
    public var isTraining = false
    private var generator: RandomGenerator

    public init(probability: Float, seed: UInt64) {
        precondition(probability >= 0 && probability < 1, "dropout probability \(probability) not in [0, 1)")
        self.probability = probability
        self.generator = RandomGenerator(seed: seed)
    }

    /// Any shape in, same shape out; the identity in eval mode or when `probability` is 0.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        guard isTraining, probability > 0 else { return x }
        return x.dropout(probability: probability, generator: &generator)
    }
}
