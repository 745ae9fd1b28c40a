import M2FEngine
import M2FNeural
import Testing

/// `clipGradientNorm` against `torch.nn.utils.clip_grad_norm_` (Tests/Fixtures/neural/optim.json).
@Suite struct GradientClippingTests {
    @Test func matchesPyTorch() throws {
        let data = try Helpers.json("optim.json").object("clip")
        let a = Parameter(.zeros([4, 5]))
        let b = Parameter(.zeros([7]))
        a.setGradient(Tensor(data.object("grad").floats("a"), shape: [4, 5]))
        b.setGradient(Tensor(data.object("grad").floats("b"), shape: [7]))
        let norm = clipGradientNorm([a, b], maxNorm: Float(data["max_norm"] as! Double))
        #expect(Swift.abs(norm - Float(data["norm"] as! Double)) < 1e-5)
        let clipped = data.object("clipped")
        for (actual, expected) in zip(a.grad!.toArray() + b.grad!.toArray(), clipped.floats("a") + clipped.floats("b")) {
            #expect(Swift.abs(actual - expected) < 1e-6)
        }
    }

    @Test func smallGradientsAreUntouchedAndMissingOnesIgnored() {
        let a = Parameter(.zeros([2]))
        let b = Parameter(.zeros([3]))
        a.setGradient(Tensor([3, 4], shape: [2]))
        #expect(clipGradientNorm([a, b], maxNorm: 10) == 5)
        #expect(a.grad!.toArray() == [3, 4])
        #expect(b.grad == nil)
        #expect(Swift.abs(clipGradientNorm([a, b], maxNorm: 1) - 5) < 1e-6)
        #expect(Swift.abs(a.grad!.toArray()[0] - 0.6) < 1e-5)
    }

    @Test func sharedGradientStorageIsNotScaledTwice() {
        // `x + y` hands the same gradient tensor to both inputs; clipping must copy, not scale in place.
        let x = Parameter(.zeros([2]))
        let y = Parameter(.zeros([2]))
        ((x.value + y.value) * Tensor([3, 4], shape: [2])).sum().backward()
        let norm = clipGradientNorm([x, y], maxNorm: 1)
        #expect(Swift.abs(norm - Float(50).squareRoot()) < 1e-5)
        let scale = 1 / Float(50).squareRoot()
        for g in x.grad!.toArray() + y.grad!.toArray() { #expect(g > 0) }
        #expect(Swift.abs(x.grad!.toArray()[1] - 4 * scale) < 1e-5)
        #expect(Swift.abs(y.grad!.toArray()[1] - 4 * scale) < 1e-5)
    }
}
