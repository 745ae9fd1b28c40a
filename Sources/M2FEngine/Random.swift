import Foundation

/// Seeded pseudo-random numbers (xoshiro256**, seeded through splitmix64): same seed, same stream,
/// on every platform.
public struct RandomGenerator: Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var s = seed
        func splitmix() -> UInt64 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitmix(), splitmix(), splitmix(), splitmix())
    }

    public mutating func nextUInt64() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotate(state.3, 45)
        return result
    }

    /// Uniform in [0, 1) with 24 bits of precision.
    public mutating func nextUniform() -> Float {
        Float(nextUInt64() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Standard normal (Box–Muller; one value per call, kept simple and reproducible).
    public mutating func nextNormal() -> Float {
        let u1 = Swift.max(nextUniform(), 1e-7)
        let u2 = nextUniform()
        return sqrtf(-2 * logf(u1)) * cosf(2 * Float.pi * u2)
    }

    /// Uniform integer in 0..<upperBound.
    public mutating func nextInt(below upperBound: Int) -> Int {
        precondition(upperBound > 0)
        return Int(nextUInt64() % UInt64(upperBound))
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

/// Whether `Tensor.randomNormal` / `randomUniform` draw values (see `withoutRandomInitialisation`).
public enum RandomInitialisation {
    @TaskLocal public static var drawsValues = true
}

/// Runs `body` with `Tensor.randomNormal` and `randomUniform` returning zeros without drawing: for
/// building a module whose every parameter a strict checkpoint load overwrites right after. Drawing
/// MiniLM's 11.7 M word-embedding values alone took ~0.3 s of each `m2f animate --text` start.
public func withoutRandomInitialisation<T>(_ body: () throws -> T) rethrows -> T {
    try RandomInitialisation.$drawsValues.withValue(false, operation: body)
}

extension Tensor {
    /// Normal(mean, std) samples from `generator` (zeros, drawing nothing, inside `withoutRandomInitialisation`).
    public static func randomNormal(_ shape: [Int], mean: Float = 0, std: Float = 1, generator: inout RandomGenerator) -> Tensor {
        guard RandomInitialisation.drawsValues else { return .zeros(shape) }
        var values = [Float](repeating: 0, count: shape.reduce(1, *))
        for i in values.indices { values[i] = mean + std * generator.nextNormal() }
        return Tensor(values, shape: shape)
    }

    /// Uniform samples in [lower, upper) (zeros, drawing nothing, inside `withoutRandomInitialisation`).
    public static func randomUniform(_ shape: [Int], lower: Float = 0, upper: Float = 1, generator: inout RandomGenerator) -> Tensor {
        guard RandomInitialisation.drawsValues else { return .zeros(shape) }
        var values = [Float](repeating: 0, count: shape.reduce(1, *))
        for i in values.indices { values[i] = lower + (upper - lower) * generator.nextUniform() }
        return Tensor(values, shape: shape)
    }

    /// Inverted dropout: zeroes each element with probability `probability` and scales the rest by
    /// 1/(1 − p). Returns `self` unchanged when p is 0.
    public func dropout(probability: Float, generator: inout RandomGenerator) -> Tensor {
        precondition(probability >= 0 && probability < 1, "dropout probability \(probability) not in [0, 1)")
        if probability == 0 { return self }
        let keep = 1 / (1 - probability)
        var mask = [Float](repeating: 0, count: count)
        for i in mask.indices { mask[i] = generator.nextUniform() >= probability ? keep : 0 }
        return self * Tensor(mask, shape: shape)
    }
}
