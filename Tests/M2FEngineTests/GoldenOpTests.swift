import M2FEngine
import M2FTestSupport
import Testing

/// Op-level golden tests against PyTorch fixtures (Tests/Fixtures/engine/RECIPE.md).
/// Tolerances: forward ≤ 1e-4 and gradients ≤ 1e-3, each relative to max(1, reference scale).
@Suite("Golden ops against PyTorch")
struct GoldenOpTests {
    let forwardTolerance: Float = 1e-4
    let gradientTolerance: Float = 1e-3

    /// Runs `function` on the fixture's float inputs, compares the output and all input gradients.
    func check(_ name: String, floatInputs: [String], _ function: (Fixture, [Tensor]) throws -> Tensor) throws {
        let fixture = try Fixture(name)
        let inputs = try floatInputs.map { try fixture.input($0).requiringGrad() }
        let output = try function(fixture, inputs)
        let forwardError = Closeness.relativeError(output, try fixture.output)
        #expect(forwardError <= forwardTolerance, "\(name) forward error \(forwardError)")
        (output * (try fixture.gradOutput)).sum().backward()
        for (inputName, input) in zip(floatInputs, inputs) {
            let gradient = try #require(input.grad, "\(name): no gradient for \(inputName)")
            let error = Closeness.relativeError(gradient, try fixture.gradInput(inputName))
            #expect(error <= gradientTolerance, "\(name) gradient of \(inputName) error \(error)")
        }
    }

    @Test func softmax() throws { try check("softmax", floatInputs: ["x"]) { $1[0].softmax() } }
    @Test func logSoftmax() throws { try check("log_softmax", floatInputs: ["x"]) { $1[0].logSoftmax() } }
    @Test func geluErf() throws { try check("gelu_erf", floatInputs: ["x"]) { $1[0].gelu() } }
    @Test func geluTanh() throws { try check("gelu_tanh", floatInputs: ["x"]) { $1[0].gelu(approximation: .tanh) } }
    @Test func silu() throws { try check("silu", floatInputs: ["x"]) { $1[0].silu() } }

    @Test func layerNorm() throws {
        try check("layer_norm_op", floatInputs: ["x", "weight", "bias"]) { _, t in
            t[0].layerNorm(weight: t[1], bias: t[2], epsilon: 1e-5)
        }
    }

    @Test(arguments: ["interpolate_linear_up", "interpolate_linear_down"])
    func interpolateLinear(name: String) throws {
        try check(name, floatInputs: ["x"]) { fixture, t in
            t[0].interpolatedLinear(axis: 2, length: fixture.int("out_length"))
        }
    }

    @Test func embedding() throws {
        try check("embedding", floatInputs: ["weight"]) { fixture, t in
            let ids = try fixture.indices("indices")
            return Tensor.embedding(t[0], ids: ids, idsShape: try fixture.input("indices").shape)
        }
    }

    @Test func conv1d() throws {
        try check("conv1d", floatInputs: ["x", "weight", "bias"]) { fixture, t in
            t[0].conv1d(weight: t[1], bias: t[2], stride: fixture.int("stride"), padding: fixture.int("padding"))
        }
    }

    @Test func attentionCausal() throws {
        try check("sdpa_causal", floatInputs: ["q", "k", "v"]) { _, t in
            Tensor.scaledDotProductAttention(query: t[0], key: t[1], value: t[2], mask: AttentionMask(causal: true))
        }
    }

    @Test func attentionKeyPadding() throws {
        try check("sdpa_padding", floatInputs: ["q", "k", "v"]) { fixture, t in
            let mask = AttentionMask(keyPadding: try fixture.input("mask"))
            return Tensor.scaledDotProductAttention(query: t[0], key: t[1], value: t[2], mask: mask)
        }
    }

    @Test func attentionAdditiveBias() throws {
        try check("sdpa_bias", floatInputs: ["q", "k", "v", "mask"]) { _, t in
            let mask = AttentionMask(additiveBias: t[3])
            return Tensor.scaledDotProductAttention(query: t[0], key: t[1], value: t[2], mask: mask)
        }
    }
}
