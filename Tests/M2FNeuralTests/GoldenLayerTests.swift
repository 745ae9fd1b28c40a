import M2FEngine
import M2FNeural
import M2FTestSupport
import Testing

/// Forward outputs and gradients of whole modules against PyTorch (Tests/Fixtures/engine, RECIPE.md):
/// each fixture's `param.*` state_dict loads strictly into the Swift module, which proves the keys.
@Suite struct GoldenLayerTests {
    /// Runs `forward` on the fixture's float inputs (as leaves), backpropagates `grad_out`, and checks the
    /// output, every input gradient and every parameter gradient.
    private func check(_ fixture: Fixture, module: any Module, inputs: [String], tolerance: Float = 1e-5,
                       _ forward: ([String: Tensor]) -> Tensor) throws {
        try module.loadParameters(fixture.parameters(), source: fixture.name)
        var leaves: [String: Tensor] = [:]
        for name in inputs { leaves[name] = try fixture.input(name).requiringGrad() }
        let out = forward(leaves)
        #expect(Closeness.relativeError(out, try fixture.output) < tolerance, "\(fixture.name): out")
        out.backward(try fixture.gradOutput)
        for name in inputs {
            #expect(Closeness.relativeError(leaves[name]!.grad!, try fixture.gradInput(name)) < tolerance, "\(fixture.name): grad.in.\(name)")
        }
        for (key, parameter) in module.namedParameters() {
            let expected = try fixture.tensor("grad.param.\(key)")
            #expect(Closeness.relativeError(parameter.grad!, expected) < tolerance, "\(fixture.name): grad.param.\(key)")
        }
    }

    @Test func linear() throws {
        var g = RandomGenerator(seed: 0)
        let layer = Linear(inputSize: 16, outputSize: 32, generator: &g)
        try check(Fixture("linear"), module: layer, inputs: ["x"]) { layer($0["x"]!) }
    }

    @Test func layerNorm() throws {
        let layer = LayerNorm(size: 16, epsilon: 1e-5)
        try check(Fixture("layernorm"), module: layer, inputs: ["x"]) { layer($0["x"]!) }
    }

    @Test func causalSelfAttention() throws {
        var g = RandomGenerator(seed: 0)
        let attention = MultiHeadAttention(MultiHeadAttentionConfiguration(width: 32, numHeads: 4), generator: &g)
        try check(Fixture("self_attention_causal"), module: attention, inputs: ["x"]) {
            attention($0["x"]!, mask: AttentionMask(causal: true))
        }
    }

    @Test func crossAttentionWithKeyPadding() throws {
        let fixture = try Fixture("cross_attention_padding")
        var g = RandomGenerator(seed: 0)
        let attention = MultiHeadAttention(MultiHeadAttentionConfiguration(width: 32, numHeads: 4), generator: &g)
        let padding = try fixture.input("key_padding_mask")
        try check(fixture, module: attention, inputs: ["x", "memory"]) {
            attention($0["x"]!, memory: $0["memory"]!, mask: AttentionMask(keyPadding: padding))
        }
    }

    @Test func decoderBlock() throws {
        var g = RandomGenerator(seed: 0)
        let block = TransformerDecoderBlock(TransformerBlockConfiguration(width: 32, numHeads: 4), generator: &g)
        try check(Fixture("decoder_block"), module: block, inputs: ["x", "memory"]) {
            block($0["x"]!, memory: $0["memory"]!)
        }
    }

    @Test func convStack() throws {
        /// Whisper-like front end: conv1 (k3, p1) → GELU → conv2 (k3, s2, p1) → GELU.
        final class ConvStack: Module {
            /// `conv1.{weight [16, 8, 3], bias [16]}`
            let conv1: Conv1d
            /// `conv2.{weight [16, 16, 3], bias [16]}`
            let conv2: Conv1d
            var isTraining = false
            init(generator: inout RandomGenerator) {
                conv1 = Conv1d(Conv1dConfiguration(inputChannels: 8, outputChannels: 16, kernelSize: 3, padding: 1), generator: &generator)
                conv2 = Conv1d(Conv1dConfiguration(inputChannels: 16, outputChannels: 16, kernelSize: 3, stride: 2, padding: 1), generator: &generator)
            }
            var children: [(key: String, module: any Module)] { [("conv1", conv1), ("conv2", conv2)] }
            /// [B, 8, T] → [B, 16, (T − 1) / 2 + 1]
            func callAsFunction(_ x: Tensor) -> Tensor { conv2(conv1(x).gelu()).gelu() }
        }
        var g = RandomGenerator(seed: 0)
        let stack = ConvStack(generator: &g)
        try check(Fixture("conv1d_stack"), module: stack, inputs: ["x"]) { stack($0["x"]!) }
    }

    @Test func embedding() throws {
        let fixture = try Fixture("embedding")
        var g = RandomGenerator(seed: 0)
        let layer = Embedding(count: 11, dimensions: 16, generator: &g)
        try layer.loadParameters(["weight": try fixture.input("weight")], source: fixture.name)
        let out = layer(try fixture.indices("indices"), shape: [2, 7])
        #expect(Closeness.relativeError(out, try fixture.output) < 1e-6)
        out.backward(try fixture.gradOutput)
        #expect(Closeness.relativeError(layer.weight.grad!, try fixture.gradInput("weight")) < 1e-5)
    }
}
