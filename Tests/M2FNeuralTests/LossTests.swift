import Foundation
import M2FEngine
import M2FNeural
import M2FTestSupport
import Testing

/// Loss values and gradients against PyTorch (`losses.safetensors`; every reduction is the mean over all elements).
@Suite struct LossTests {
    private func check(_ name: String, inputs: (String, String), tolerance: Float = 1e-5,
                       _ loss: (Tensor, Tensor) -> Tensor) throws {
        let fixture = try Fixture("losses")
        let a = try fixture.input(inputs.0).requiringGrad()
        let b = try fixture.input(inputs.1).requiringGrad()
        let value = loss(a, b)
        #expect(value.shape == [])
        #expect(Closeness.relativeError(value, try fixture.tensor("out.\(name)")) < tolerance, "\(name)")
        value.backward()
        #expect(Closeness.relativeError(a.grad!, try fixture.tensor("grad.in.\(name).\(inputs.0)")) < tolerance, "\(name) grad \(inputs.0)")
        #expect(Closeness.relativeError(b.grad!, try fixture.tensor("grad.in.\(name).\(inputs.1)")) < tolerance, "\(name) grad \(inputs.1)")
    }

    @Test func meanSquaredError() throws { try check("mse", inputs: ("pred", "target")) { Loss.meanSquaredError($0, $1) } }
    @Test func l1() throws { try check("l1", inputs: ("pred", "target")) { Loss.l1($0, $1) } }
    @Test func smoothL1() throws { try check("smooth_l1", inputs: ("pred", "target")) { Loss.smoothL1($0, $1, beta: 1) } }
    @Test func gaussianKL() throws {
        try check("kl", inputs: ("mu", "logvar")) { Loss.gaussianKLDivergence(mean: $0, logVariance: $1) }
    }

    @Test func smoothL1BranchesByHand() {
        // d = 0.5 (quadratic: 0.5·0.25/2 = 0.0625), d = −3 (linear: 3 − 1 = 2); β = 2.
        let value = Loss.smoothL1(Tensor([0.5, -3], shape: [2]), Tensor.zeros([2]), beta: 2).item()
        #expect(Swift.abs(value - (0.0625 + 2) / 2) < 1e-6)
        #expect(Loss.smoothL1(Tensor([0.5, -3], shape: [2]), .zeros([2]), beta: 0).item() == 1.75)
    }

    @Test func klIsZeroForTheStandardNormal() {
        #expect(Loss.gaussianKLDivergence(mean: .zeros([3, 4]), logVariance: .zeros([3, 4])).item() == 0)
    }

    @Test func crossEntropyMatchesLogSoftmaxByHand() {
        let logits = Tensor([1, 2, 3, 0, 0, 0], shape: [2, 3]).requiringGrad()
        let loss = Loss.crossEntropy(logits: logits, targets: [2, 0])
        let first = -3 + Foundation.log(Foundation.exp(1.0) + Foundation.exp(2.0) + Foundation.exp(3.0))
        let expected = Float((first + Foundation.log(3.0)) / 2)
        #expect(Swift.abs(loss.item() - expected) < 1e-6)
        loss.backward()
        // d/dlogits = (softmax − onehot) / N
        #expect(Swift.abs(logits.grad![1, 0] - Float((1.0 / 3 - 1) / 2)) < 1e-6)
    }
}
