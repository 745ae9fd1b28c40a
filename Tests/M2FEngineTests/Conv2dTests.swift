import M2FEngine
import M2FTestSupport
import Testing

/// conv2d against PyTorch (Tests/Fixtures/conv2d/RECIPE.md) and against finite differences.
/// Tolerances: forward ≤ 1e-4 and gradients ≤ 1e-3 relative to max(1, reference scale) for the golden
/// cases; 2e-3 of the gradient's scale for central differences (ε = 1e-2, Float32).
@Suite("conv2d")
struct Conv2dTests {
    let forwardTolerance: Float = 1e-4
    let gradientTolerance: Float = 1e-3

    @Test(arguments: ["k3_s1_p1", "k3_s2_p1", "k4_s2_p0_nobias", "k1_s1_p0"])
    func goldenAgainstPyTorch(name: String) throws {
        let fixture = try Fixture(name, group: "conv2d")
        let x = try fixture.input("x").requiringGrad()
        let parameters = try fixture.parameters()
        let weight = try #require(parameters["weight"]).requiringGrad()
        let bias = parameters["bias"]?.requiringGrad()
        #expect((bias != nil) == (fixture.int("bias") == 1))
        let out = x.conv2d(weight: weight, bias: bias, stride: fixture.int("stride"), padding: fixture.int("padding"))
        let expected = try fixture.output
        #expect(out.shape == expected.shape)
        let forwardError = Closeness.relativeError(out, expected)
        #expect(forwardError <= forwardTolerance, "\(name) forward error \(forwardError)")
        (out * (try fixture.gradOutput)).sum().backward()
        var checks: [(String, Tensor?, Tensor)] = [("x", x.grad, try fixture.gradInput("x")),
                                                   ("weight", weight.grad, try fixture.tensor("grad.param.weight"))]
        if let bias { checks.append(("bias", bias.grad, try fixture.tensor("grad.param.bias"))) }
        for (label, actual, reference) in checks {
            let gradient = try #require(actual, "\(name): no gradient for \(label)")
            let error = Closeness.relativeError(gradient, reference)
            #expect(error <= gradientTolerance, "\(name) gradient of \(label) error \(error)")
        }
    }

    /// conv → SiLU → strided conv → global mean, as the image encoder uses them.
    @Test func goldenStack() throws {
        let fixture = try Fixture("stack", group: "conv2d")
        let p = try fixture.parameters()
        let x = try fixture.input("x").requiringGrad()
        let w1 = try #require(p["conv1.weight"]).requiringGrad(), b1 = try #require(p["conv1.bias"]).requiringGrad()
        let w2 = try #require(p["conv2.weight"]).requiringGrad(), b2 = try #require(p["conv2.bias"]).requiringGrad()
        let h = x.conv2d(weight: w1, bias: b1, stride: 2, padding: 1).silu().conv2d(weight: w2, bias: b2, stride: 2, padding: 1)
        let out = h.reshaped([h.shape[0], h.shape[1], -1]).mean(axis: 2)
        #expect(Closeness.relativeError(out, try fixture.output) <= forwardTolerance)
        (out * (try fixture.gradOutput)).sum().backward()
        for (label, leaf) in [("x", x), ("conv1.weight", w1), ("conv1.bias", b1), ("conv2.weight", w2), ("conv2.bias", b2)] {
            let reference = label == "x" ? try fixture.gradInput("x") : try fixture.tensor("grad.param.\(label)")
            let error = Closeness.relativeError(try #require(leaf.grad), reference)
            #expect(error <= gradientTolerance, "stack gradient of \(label) error \(error)")
        }
    }

    func random(_ shape: [Int], seed: UInt64) -> Tensor {
        var generator = RandomGenerator(seed: seed)
        return Tensor.randomNormal(shape, generator: &generator)
    }

    @Test(arguments: [(1, 1), (2, 1), (2, 0), (3, 2)])
    func finiteDifferences(stride: Int, padding: Int) {
        let inputs = [random([2, 2, 6, 5], seed: 31), random([3, 2, 3, 3], seed: 32), random([3], seed: 33)]
        let error = GradientCheck.relativeError(inputs: inputs) {
            $0[0].conv2d(weight: $0[1], bias: $0[2], stride: stride, padding: padding)
        }
        #expect(error <= 2e-3, "conv2d stride \(stride) padding \(padding): gradient error \(error)")
    }

    /// Direct-loop reference: out[b][o][i][j] = bias[o] + Σ x[b][c][i·s + kh − p][j·s + kw − p]·w[o][c][kh][kw].
    func directConvolution(_ x: [Float], _ xShape: [Int], _ w: [Float], _ wShape: [Int], _ bias: [Float],
                           stride: Int, padding: Int) -> (values: [Float], shape: [Int]) {
        let (batch, cin, height, width) = (xShape[0], xShape[1], xShape[2], xShape[3])
        let (cout, kh, kw) = (wShape[0], wShape[2], wShape[3])
        let oh = (height + 2 * padding - kh) / stride + 1, ow = (width + 2 * padding - kw) / stride + 1
        var out = [Float](repeating: 0, count: batch * cout * oh * ow)
        for b in 0..<batch { for o in 0..<cout { for i in 0..<oh { for j in 0..<ow {
            var sum = bias[o]
            for c in 0..<cin { for u in 0..<kh { for v in 0..<kw {
                let y = i * stride + u - padding, xx = j * stride + v - padding
                guard y >= 0 && y < height && xx >= 0 && xx < width else { continue }
                sum += x[((b * cin + c) * height + y) * width + xx] * w[((o * cin + c) * kh + u) * kw + v]
            } } }
            out[((b * cout + o) * oh + i) * ow + j] = sum
        } } } }
        return (out, [batch, cout, oh, ow])
    }

    /// Small channel counts, odd sizes, stride 2 (the image encoder's shapes scaled down, and windows that
    /// fall short of the edge or give a 1×1 output): forward against the direct loop, backward against
    /// central differences. A write past the im2col/col2im buffers would corrupt these small heap blocks.
    @Test(arguments: [([3, 1, 5, 5], [2, 1, 3, 3], 2, 1), ([2, 3, 7, 3], [4, 3, 3, 3], 2, 1),
                      ([1, 2, 3, 3], [3, 2, 3, 3], 2, 0), ([2, 4, 4, 4], [8, 4, 3, 3], 2, 1),
                      ([2, 3, 9, 6], [1, 3, 2, 2], 3, 1)])
    func smallOddStrided(inputShape: [Int], weightShape: [Int], stride: Int, padding: Int) {
        let x = random(inputShape, seed: 41), w = random(weightShape, seed: 42), bias = random([weightShape[0]], seed: 43)
        let reference = directConvolution(x.toArray(), inputShape, w.toArray(), weightShape, bias.toArray(),
                                          stride: stride, padding: padding)
        let out = x.conv2d(weight: w, bias: bias, stride: stride, padding: padding)
        #expect(out.shape == reference.shape)
        let forwardError = Closeness.relativeError(out, Tensor(reference.values, shape: reference.shape))
        #expect(forwardError <= forwardTolerance, "\(inputShape) * \(weightShape) s\(stride) p\(padding): forward error \(forwardError)")
        let error = GradientCheck.relativeError(inputs: [x, w, bias]) {
            $0[0].conv2d(weight: $0[1], bias: $0[2], stride: stride, padding: padding)
        }
        #expect(error <= 2e-3, "\(inputShape) * \(weightShape) s\(stride) p\(padding): gradient error \(error)")
    }

    /// A hand-computed case: a 1×1×3×3 image, a 2×2 kernel of ones, no padding, sums each 2×2 window.
    @Test func windowSums() {
        let x = Tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], shape: [1, 1, 3, 3])
        let out = x.conv2d(weight: .ones([1, 1, 2, 2]), bias: Tensor([0.5], shape: [1]))
        #expect(out.shape == [1, 1, 2, 2])
        #expect(out.toArray() == [12.5, 16.5, 24.5, 28.5])
    }
}
