import M2FEngine
import M2FTestSupport
import Testing

/// Every differentiable op against central finite differences.
/// Tolerance: 2e-3 of the gradient's scale (Float32 central differences with ε = 1e-2).
@Suite("Finite-difference gradients")
struct GradientCheckTests {
    let tolerance: Float = 2e-3

    func random(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
        var generator = RandomGenerator(seed: seed)
        return Tensor.randomNormal(shape, std: scale, generator: &generator)
    }

    func expectGradient(_ name: String, _ inputs: [Tensor], epsilon: Float = 1e-2, _ f: @escaping ([Tensor]) -> Tensor) {
        let error = GradientCheck.relativeError(inputs: inputs, epsilon: epsilon, f)
        #expect(error <= tolerance, "\(name): gradient error \(error)")
    }

    @Test func arithmeticWithBroadcasting() {
        let a = random([3, 4], seed: 1), b = random([4], seed: 2), c = random([3, 1], seed: 3)
        expectGradient("add", [a, b]) { $0[0] + $0[1] }
        expectGradient("sub", [a, c]) { $0[0] - $0[1] }
        expectGradient("mul", [a, b]) { $0[0] * $0[1] }
        expectGradient("div", [a, c.abs() + 1]) { $0[0] / $0[1] }
        expectGradient("scalar ops", [a]) { (2 - $0[0] * 3 + 1) / 4 }
        expectGradient("maximum", [a, b]) { Tensor.maximum($0[0], $0[1]) }
    }

    @Test func unaryFunctions() {
        let x = random([2, 5], seed: 4)
        expectGradient("exp", [x]) { $0[0].exp() }
        expectGradient("log", [x.abs() + 0.5]) { $0[0].log() }
        expectGradient("sqrt", [x.abs() + 0.5]) { $0[0].sqrt() }
        expectGradient("tanh", [x]) { $0[0].tanh() }
        expectGradient("sigmoid", [x]) { $0[0].sigmoid() }
        expectGradient("relu", [x]) { $0[0].relu() }
        expectGradient("abs", [x]) { $0[0].abs() }
        expectGradient("silu", [x]) { $0[0].silu() }
        expectGradient("gelu", [x]) { $0[0].gelu() }
        expectGradient("gelu tanh", [x]) { $0[0].gelu(approximation: .tanh) }
        expectGradient("clamp", [x]) { $0[0].clamped(-0.5, 0.5) }
        expectGradient("square", [x]) { $0[0].square() }
    }

    @Test func reductions() {
        let x = random([2, 3, 4], seed: 5)
        expectGradient("sum axis 1", [x]) { $0[0].sum(axis: 1) }
        expectGradient("sum last keepDims", [x]) { $0[0].sum(axis: -1, keepDims: true) }
        expectGradient("sum all", [x]) { $0[0].sum() }
        expectGradient("mean", [x]) { $0[0].mean(axis: 0) }
        expectGradient("variance", [x]) { $0[0].variance(axis: 2) }
        expectGradient("max", [x]) { $0[0].max(axis: 1) }
    }

    @Test func viewsAndCopies() {
        let x = random([2, 3, 4], seed: 6)
        let y = random([2, 2, 4], seed: 7)
        expectGradient("reshape", [x]) { $0[0].reshaped([6, 4]) }
        expectGradient("transpose", [x]) { $0[0].transposed(0, 2).contiguous() }
        expectGradient("permute", [x]) { $0[0].permuted([1, 2, 0]) * 2 }
        expectGradient("expand", [random([1, 4], seed: 8)]) { $0[0].expanded(to: [3, 4]) * 1 }
        expectGradient("slice", [x]) { $0[0].sliced(axis: 1, 1..<3) }
        expectGradient("select", [x]) { $0[0].transposed(0, 2).selected(axis: 1, 2) * 3 }
        expectGradient("concatenate", [x, y]) { Tensor.concatenate([$0[0], $0[1]], axis: 1) }
        expectGradient("gather", [x]) { $0[0].gathered(axis: 2, indices: [3, 0, 3]) }
        expectGradient("squeeze/unsqueeze", [x]) { $0[0].unsqueezed(1).squeezed(1) }
    }

    @Test func matrixProducts() {
        let a = random([3, 4], seed: 9), b = random([4, 5], seed: 10)
        let batchA = random([2, 3, 4], seed: 11), batchB = random([2, 4, 5], seed: 12)
        expectGradient("matmul 2D", [a, b]) { $0[0].matmul($0[1]) }
        expectGradient("matmul batched", [batchA, batchB]) { $0[0].matmul($0[1]) }
        expectGradient("matmul broadcast rhs", [batchA, b]) { $0[0].matmul($0[1]) }
        expectGradient("matmul transposed views", [a, random([5, 4], seed: 13)]) { $0[0].matmul($0[1].transposed(0, 1)) }
        let w = random([5, 4], seed: 14), bias = random([5], seed: 15)
        expectGradient("linear", [batchA, w, bias]) { Tensor.linear($0[0], weight: $0[1], bias: $0[2]) }
        expectGradient("linear without bias", [batchA, w]) { Tensor.linear($0[0], weight: $0[1], bias: nil) }
    }

    @Test func fusedOps() {
        let x = random([3, 6], seed: 16)
        expectGradient("softmax", [x]) { $0[0].softmax() }
        expectGradient("logSoftmax", [x]) { $0[0].logSoftmax() }
        expectGradient("layerNorm", [x, random([6], seed: 17), random([6], seed: 18)]) {
            $0[0].layerNorm(weight: $0[1], bias: $0[2])
        }
        expectGradient("layerNorm plain", [x]) { $0[0].layerNorm(weight: nil, bias: nil) }
        expectGradient("conv1d", [random([2, 3, 9], seed: 19), random([4, 3, 3], seed: 20), random([4], seed: 21)]) {
            $0[0].conv1d(weight: $0[1], bias: $0[2], stride: 2, padding: 1)
        }
        expectGradient("interpolate", [random([2, 5, 3], seed: 22)]) { $0[0].interpolatedLinear(axis: 1, length: 8) }
        expectGradient("embedding", [random([5, 3], seed: 23)]) { Tensor.embedding($0[0], ids: [1, 4, 1, 0], idsShape: [2, 2]) }
    }

    @Test func attention() {
        let q = random([1, 2, 3, 4], seed: 24), k = random([1, 2, 5, 4], seed: 25), v = random([1, 2, 5, 4], seed: 26)
        expectGradient("attention", [q, k, v]) { Tensor.scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2]) }
        let padding = Tensor([0, 0, 0, 1, 1], shape: [1, 5])
        expectGradient("attention padded", [q, k, v]) {
            Tensor.scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2], mask: AttentionMask(keyPadding: padding))
        }
        let square = random([1, 2, 5, 4], seed: 27)
        expectGradient("attention causal + bias", [square, k, v, random([5, 5], seed: 28)]) {
            Tensor.scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2],
                                             mask: AttentionMask(causal: true, additiveBias: $0[3]))
        }
    }
}
