import M2FEngine
import M2FNeural

/// Linear layers with SiLU between them (none after the last): the trunk of every GNPFA encoder and
/// decoder.
///
/// Keys: `<prefix>.layers.<i>.{weight, bias}` for i in 0..<sizes.count − 1.
package final class FeedForwardStack: Module {
    /// `<prefix>.layers.<i>`: sizes[i] → sizes[i + 1]
    package let layers: [Linear]
    package var isTraining = false

    /// - Parameter sizes: widths from input to output, at least two (one layer).
    package init(sizes: [Int], generator: inout RandomGenerator) {
        precondition(sizes.count >= 2 && sizes.allSatisfy { $0 > 0 }, "FeedForwardStack needs ≥ 2 positive sizes, got \(sizes)")
        var made: [Linear] = []
        for i in 0..<(sizes.count - 1) {
            made.append(Linear(inputSize: sizes[i], outputSize: sizes[i + 1], generator: &generator))
        }
        layers = made
    }

    package var children: [(key: String, module: any Module)] {
        layers.enumerated().map { ("layers.\($0.offset)", $0.element) }
    }

    /// [N, sizes.first] → [N, sizes.last].
    package func callAsFunction(_ x: Tensor) -> Tensor {
        var h = x
        for (i, layer) in layers.enumerated() {
            h = layer(h)
            if i < layers.count - 1 { h = h.silu() }
        }
        return h
    }
}
