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

    @Test("cross-attention, rows past the kernel limit and recorded gradients take the separate products")
    func fallsBackWhereStackingCannotServe() {
        let (stacked, plain) = Self.pair()
        var generator = RandomGenerator(seed: 23)
        let x = Tensor.randomNormal([1, 5, 48], generator: &generator)
        let memory = Tensor.randomNormal([1, 9, 48], generator: &generator)
        let cross = withoutGrad { stacked(x, memory: memory) }, crossPlain = withoutGrad { plain(x, memory: memory) }
        #expect(zip(cross.toArray(), crossPlain.toArray()).allSatisfy { abs($0 - $1) <= 1e-5 })
        let long = Tensor.randomNormal([1, HalfLinearWeight.maximumKernelRows + 3, 48], generator: &generator)
        let longFast = withoutGrad { stacked(long) }, longPlain = withoutGrad { plain(long) }
        #expect(zip(longFast.toArray(), longPlain.toArray()).allSatisfy { abs($0 - $1) <= 1e-5 })
        // Recording: the query weight gets a gradient, which the stacked copy could not give it.
        stacked(x).sum().backward()
        #expect(stacked.queryProjection.weight.value.grad != nil)
    }
}
