import Foundation
import M2FEngine
import M2FNeural
import Testing

/// Tiny configurations: output shapes and the declared checkpoint keys (PyTorch's names).
@Suite struct ModuleKeysTests {
    @Test func linearKeysAndShapes() {
        var g = RandomGenerator(seed: 1)
        let layer = Linear(inputSize: 4, outputSize: 3, generator: &g)
        #expect(Helpers.keyShapes(layer) == ["weight": [3, 4], "bias": [3]])
        #expect(layer(Helpers.random([2, 5, 4], seed: 2)).shape == [2, 5, 3])
        let noBias = Linear(inputSize: 4, outputSize: 3, bias: false, generator: &g)
        #expect(noBias.namedParameters().map(\.key) == ["weight"])
        #expect(noBias(Helpers.random([4], seed: 3).reshaped([1, 4])).shape == [1, 3])
    }

    @Test func linearInitialisationIsBoundedAndSeeded() {
        var g1 = RandomGenerator(seed: 9)
        var g2 = RandomGenerator(seed: 9)
        let a = Linear(inputSize: 16, outputSize: 8, generator: &g1)
        let b = Linear(inputSize: 16, outputSize: 8, generator: &g2)
        #expect(a.weight.value.toArray() == b.weight.value.toArray())
        #expect(a.weight.value.toArray().allSatisfy { Swift.abs($0) <= 0.25 })
    }

    @Test func conv1dKeysAndShapes() {
        var g = RandomGenerator(seed: 1)
        let conv = Conv1d(Conv1dConfiguration(inputChannels: 3, outputChannels: 5, kernelSize: 3, stride: 2, padding: 1), generator: &g)
        #expect(Helpers.keyShapes(conv) == ["weight": [5, 3, 3], "bias": [5]])
        #expect(conv(Helpers.random([2, 3, 9], seed: 2)).shape == [2, 5, 5])
        #expect(conv.configuration.outputLength(for: 9) == 5)
    }

    @Test func layerNormAndEmbedding() {
        let norm = LayerNorm(size: 6)
        #expect(Helpers.keyShapes(norm) == ["weight": [6], "bias": [6]])
        let y = norm(Helpers.random([2, 3, 6], seed: 4))
        #expect(y.shape == [2, 3, 6])
        #expect(Swift.abs(y.mean(axis: -1).toArray().max()!) < 1e-5)
        #expect(LayerNorm(LayerNormConfiguration(size: 6, affine: false)).namedParameters().isEmpty)

        var g = RandomGenerator(seed: 1)
        let embedding = Embedding(count: 10, dimensions: 4, generator: &g)
        #expect(Helpers.keyShapes(embedding) == ["weight": [10, 4]])
        let e = embedding([1, 2, 3, 1, 0, 9], shape: [2, 3])
        #expect(e.shape == [2, 3, 4])
        #expect(Array(e.toArray()[0..<4]) == Array(embedding.weight.value.toArray()[4..<8]))
    }

    @Test func attentionKeysAndShapes() {
        var g = RandomGenerator(seed: 1)
        let attention = MultiHeadAttention(MultiHeadAttentionConfiguration(width: 8, numHeads: 2), generator: &g)
        let keys = attention.namedParameters().map(\.key)
        #expect(keys == ["q_proj.weight", "q_proj.bias", "k_proj.weight", "k_proj.bias",
                         "v_proj.weight", "v_proj.bias", "out_proj.weight", "out_proj.bias"])
        let x = Helpers.random([2, 5, 8], seed: 2)
        #expect(attention(x, mask: AttentionMask(causal: true)).shape == [2, 5, 8])
        let memory = Helpers.random([2, 3, 8], seed: 3)
        let padding = Tensor([0, 0, 1, 0, 0, 0], shape: [2, 3])
        #expect(attention(x, memory: memory, mask: AttentionMask(keyPadding: padding)).shape == [2, 5, 8])
    }

    @Test func causalAttentionIgnoresTheFuture() {
        var g = RandomGenerator(seed: 5)
        let attention = MultiHeadAttention(MultiHeadAttentionConfiguration(width: 8, numHeads: 2), generator: &g)
        let x = Helpers.random([1, 4, 8], seed: 6)
        let changed = Tensor.concatenate([x.sliced(axis: 1, 0..<3), Helpers.random([1, 1, 8], seed: 7)], axis: 1)
        let a = attention(x, mask: AttentionMask(causal: true)).sliced(axis: 1, 0..<3).toArray()
        let b = attention(changed, mask: AttentionMask(causal: true)).sliced(axis: 1, 0..<3).toArray()
        for (u, v) in zip(a, b) { #expect(Swift.abs(u - v) < 1e-6) }
    }

    @Test func encoderBlockAndStackKeys() {
        var g = RandomGenerator(seed: 1)
        let block = TransformerBlockConfiguration(width: 8, numHeads: 2, mlpHiddenSize: 16)
        let encoder = TransformerEncoder(TransformerStackConfiguration(block: block, numLayers: 2, finalNorm: true), generator: &g)
        let keys = Helpers.keyShapes(encoder)
        #expect(keys.count == 2 * 16 + 2)
        #expect(keys["layers.0.norm1.weight"] == [8])
        #expect(keys["layers.1.self_attn.q_proj.weight"] == [8, 8])
        #expect(keys["layers.1.norm2.bias"] == [8])
        #expect(keys["layers.0.mlp.fc1.weight"] == [16, 8])
        #expect(keys["layers.0.mlp.fc2.weight"] == [8, 16])
        #expect(keys["norm.weight"] == [8])
        #expect(encoder(Helpers.random([2, 3, 8], seed: 2)).shape == [2, 3, 8])
        #expect(encoder.parameterCount == keys.values.reduce(0) { $0 + $1.reduce(1, *) })
    }

    @Test func decoderBlockKeysInCheckpointOrder() {
        var g = RandomGenerator(seed: 1)
        let block = TransformerDecoderBlock(TransformerBlockConfiguration(width: 8, numHeads: 2, causal: true), generator: &g)
        let prefixes = block.namedParameters().map { $0.key.split(separator: ".").first.map(String.init)! }
        var order: [String] = []
        for p in prefixes where order.last != p { order.append(p) }
        #expect(order == ["norm1", "self_attn", "norm2", "cross_attn", "norm3", "mlp"])
        #expect(Helpers.keyShapes(block)["mlp.fc1.weight"] == [32, 8])
        let y = block(Helpers.random([2, 4, 8], seed: 2), memory: Helpers.random([2, 3, 8], seed: 3))
        #expect(y.shape == [2, 4, 8])

        let decoder = TransformerDecoder(TransformerStackConfiguration(block: block.configuration, numLayers: 2), generator: &g)
        #expect(Helpers.keyShapes(decoder)["layers.1.cross_attn.out_proj.bias"] == [8])
        #expect(decoder(Helpers.random([2, 4, 8], seed: 2), memory: Helpers.random([2, 3, 8], seed: 3)).shape == [2, 4, 8])
    }

    @Test func configurationsRoundTripThroughJSON() throws {
        let configuration = TransformerStackConfiguration(
            block: TransformerBlockConfiguration(width: 32, numHeads: 4, dropout: 0.1, causal: true), numLayers: 3)
        let data = try JSONEncoder().encode(configuration)
        #expect(try JSONDecoder().decode(TransformerStackConfiguration.self, from: data) == configuration)
    }
}
