import M2FEngine
import M2FNeural
import Testing

/// `MultiHeadAttention.storeWeightsInHalfPrecision()`: self-attention on few rows through one stacked
/// q·k·v product gives what the three separate products on the same rounded weights give.
@Suite("Stacked q·k·v projection")
struct StackedProjectionTests {
    /// Two attentions with the same initial weights: `stacked` stores them in 16 bits; `plain` only rounds
    /// its four weights the same way and keeps multiplying them one at a time in Float32.
    static func pair(width: Int = 48, heads: Int = 4, bias: Bool = true) -> (stacked: MultiHeadAttention, plain: MultiHeadAttention) {
        let configuration = MultiHeadAttentionConfiguration(width: width, numHeads: heads, bias: bias)
        var first = RandomGenerator(seed: 21), second = RandomGenerator(seed: 21)
        let stacked = MultiHeadAttention(configuration, generator: &first)
        let plain = MultiHeadAttention(configuration, generator: &second)
        stacked.storeWeightsInHalfPrecision()
        for projection in [plain.queryProjection, plain.keyProjection, plain.valueProjection, plain.outputProjection] {
            HalfLinearWeight.roundToHalfInPlace(projection.weight.value)
        }
        return (stacked, plain)
    }

    @Test("self-attention: stacked product = three products (≤ 1e-5 relative), with and without bias and padding")
    func matchesSeparateProducts() {
        for bias in [true, false] {
            let (stacked, plain) = Self.pair(bias: bias)
            #expect(stacked.stackedInputProjection != nil && stacked.queryProjection.halfWeight == nil)
            #expect(stacked.stackedInputProjection!.weight.outputSize == 3 * 48)
            var generator = RandomGenerator(seed: 22)
            let x = Tensor.randomNormal([2, 7, 48], generator: &generator)
            var padded = AttentionMask.none
            padded.keyPadding = Tensor([0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0], shape: [2, 7])
            for mask in [AttentionMask.none, padded, AttentionMask(causal: true)] {
                let fast = withoutGrad { stacked(x, mask: mask) }
                let reference = withoutGrad { plain(x, mask: mask) }
                #expect(fast.shape == [2, 7, 48])
                let error = zip(fast.toArray(), reference.toArray()).map { abs($0 - $1) }.max()!
                let scale = reference.toArray().map { abs($0) }.max()!
                #expect(error <= 1e-5 * scale, "bias \(bias): \(error) of \(scale)")
            }
        }
    }

    @Test("which path runs: the stack (a snapshot) on few rows without the tape; the live q, k, v for cross-attention, long inputs and recorded gradients")
    func choosesThePath() {
        let (stacked, plain) = Self.pair()
        var generator = RandomGenerator(seed: 23)
        let x = Tensor.randomNormal([1, 5, 48], generator: &generator)
        let memory = Tensor.randomNormal([1, 9, 48], generator: &generator)
        let long = Tensor.randomNormal([1, HalfLinearWeight.maximumKernelRows + 3, 48], generator: &generator)
        func differ(_ a: Tensor, _ b: Tensor) -> Float { zip(a.toArray(), b.toArray()).map { abs($0 - $1) }.max()! }
        let before = (short: withoutGrad { stacked(x) }, cross: withoutGrad { stacked(x, memory: memory) }, long: withoutGrad { stacked(long) })
        #expect(differ(before.cross, withoutGrad { plain(x, memory: memory) }) <= 1e-5)
        #expect(differ(before.long, withoutGrad { plain(long) }) <= 1e-5)
        // Change the live query weight after stacking: only the paths that read it move.
        stacked.queryProjection.weight.assign(stacked.queryProjection.weight.value * 2)
        #expect(differ(withoutGrad { stacked(x) }, before.short) == 0, "few rows, no tape: the stacked snapshot")
        #expect(differ(withoutGrad { stacked(x, memory: memory) }, before.cross) > 1e-3, "cross-attention: the live weights")
        #expect(differ(withoutGrad { stacked(long) }, before.long) > 1e-3, "past the kernel's rows: the live weights")
        #expect(differ(stacked(x), before.short) > 1e-3, "recording: the live weights")
        // Recording: the query weight gets a gradient, which the stacked copy could not give it.
        stacked(x).sum().backward()
        #expect(stacked.queryProjection.weight.value.grad != nil)
    }
}
