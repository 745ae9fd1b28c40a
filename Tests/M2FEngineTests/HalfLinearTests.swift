import M2FEngine
import M2FTestSupport
import Testing

/// The 16-bit-weight linear kernel (`HalfLinearWeight`) against a plain Float32/Float64 reference:
/// random matrices, odd sizes (panels that do not fill 16 lanes, row tiles that do not fill 6),
/// every M from 1 to 70, both the SIMD and the portable path.
@Suite("16-bit linear kernel")
struct HalfLinearTests {
    /// x [M, K] · Wᵀ + b in Float64, and Σ |x||w| + |b| per output (the scale of its rounding error).
    static func reference(_ x: [Float], _ w: [Float], _ b: [Float], m: Int, n: Int, k: Int) -> (values: [Double], scale: [Double]) {
        var values = [Double](repeating: 0, count: m * n), scale = values
        for row in 0..<m {
            for j in 0..<n {
                var sum = Double(b[j]), magnitude = abs(Double(b[j]))
                for i in 0..<k {
                    sum += Double(x[row * k + i]) * Double(w[j * k + i])
                    magnitude += abs(Double(x[row * k + i]) * Double(w[j * k + i]))
                }
                values[row * n + j] = sum
                scale[row * n + j] = magnitude
            }
        }
        return (values, scale)
    }

    /// Largest |actual − expected| / (scale + 1e-30) over all outputs.
    static func worstRelative(_ actual: [Float], _ expected: (values: [Double], scale: [Double])) -> Double {
        zip(actual, zip(expected.values, expected.scale)).map { abs(Double($0) - $1.0) / ($1.1 + 1e-30) }.max() ?? 0
    }

    static let shapes: [(n: Int, k: Int)] = [(1, 1), (17, 33), (45, 385), (64, 16), (7, 1)]

    @Test("matches Float64 on the rounded weights (≤ 1e-5 of Σ|x·w|) for M = 1…70, both kernels", arguments: HalfLinearWeight.Kernel.allCases)
    func matchesReference(kernel: HalfLinearWeight.Kernel) {
        var generator = RandomGenerator(seed: 4)
        for (n, k) in Self.shapes {
            let original = Tensor.randomNormal([n, k], std: 0.2, generator: &generator)
            let originalValues = original.toArray()
            let weight = HalfLinearWeight(roundingInPlace: original)
            let rounded = weight.widened.toArray()
            let bias = Tensor.randomNormal([n], generator: &generator)
            for m in 1...70 {
                let x = Tensor.randomNormal([m, k], generator: &generator)
                let out = weight.product(x, bias: bias, kernel: kernel)
                #expect(out.shape == [m, n])
                let values = out.toArray()
                // Against the weights it stores: only Float32 summation error.
                let exact = Self.reference(x.toArray(), rounded, bias.toArray(), m: m, n: n, k: k)
                let error = Self.worstRelative(values, exact)
                #expect(error <= 1e-5, "M \(m) N \(n) K \(k) \(kernel): \(error)")
                // Against the Float32 weights before rounding: binary16 keeps 11 bits (relative error ≤ 2⁻¹¹).
                let unrounded = Self.reference(x.toArray(), originalValues, bias.toArray(), m: m, n: n, k: k)
                let roundingError = Self.worstRelative(values, unrounded)
                #expect(roundingError <= 1.0 / 2048 + 1e-5, "M \(m) N \(n) K \(k) \(kernel) vs Float32 weights: \(roundingError)")
            }
        }
    }

    @Test("GELU in the kernel's store equals Tensor.gelu() of the product (≤ 2e-6 + 1e-6 · |y|), both kernels",
          arguments: HalfLinearWeight.Kernel.allCases)
    func fusedGelu(kernel: HalfLinearWeight.Kernel) {
        var generator = RandomGenerator(seed: 9)
        for (n, k) in Self.shapes {
            // std 2 spreads the pre-activations over GELU's whole curve: far negative (→ 0), the bend, far positive (→ x).
            let weight = HalfLinearWeight(roundingInPlace: Tensor.randomNormal([n, k], std: 2, generator: &generator))
            let bias = Tensor.randomNormal([n], std: 3, generator: &generator)
            for m in [1, 5, 6, 7, 16, 23] {
                let x = Tensor.randomNormal([m, k], generator: &generator)
                let affine = weight.product(x, bias: bias, kernel: kernel)
                let fused = weight.product(x, bias: bias, activation: .geluErf, kernel: kernel).toArray()
                let expected = affine.gelu().toArray()
                for (index, (actual, wanted)) in zip(fused, expected).enumerated() {
                    #expect(abs(actual - wanted) <= 2e-6 + 1e-6 * abs(wanted), "M \(m) N \(n) K \(k) \(kernel) [\(index)]: \(actual) vs \(wanted)")
                }
            }
        }
        // Saturation, zero and NaN: a one-input layer with weight 1 passes x straight to GELU.
        let identity = HalfLinearWeight(roundingInPlace: Tensor.ones([1, 1]))
        let inputs: [Float] = [-1000, -90, -10, -1, 0, 1, 10, 90, 1000, .nan]
        let out = identity.product(Tensor(inputs, shape: [inputs.count, 1]), bias: nil, activation: .geluErf, kernel: kernel).toArray()
        #expect(Array(out[0..<4]) == [0, 0, 0, out[3]] && abs(out[3] + 0.158655) < 1e-5)
        #expect(out[4] == 0 && abs(out[5] - 0.841345) < 1e-5)
        #expect(Array(out[6..<9]) == [10, 90, 1000])
        #expect(out[9].isNaN)
    }

    @Test("Tensor.linear with GELU: fused on few rows, BLAS + gelu() past maximumKernelRows and while recording")
    func linearWithGelu() {
        var generator = RandomGenerator(seed: 10)
        let weight = HalfLinearWeight(roundingInPlace: Tensor.randomNormal([40, 24], std: 0.3, generator: &generator))
        let bias = Tensor.randomNormal([40], generator: &generator)
        for m in [3, HalfLinearWeight.maximumKernelRows + 4] {
            let x = Tensor.randomNormal([m, 24], generator: &generator)
            let viaLinear = withoutGrad { Tensor.linear(x, weight: weight, bias: bias, activation: .geluErf) }
            let unfused = Tensor.linear(x, weight: weight.widened, bias: bias).gelu()
            #expect(Closeness.relativeError(viaLinear, unfused) < 1e-5, "M \(m)")
        }
        let x = Tensor.randomNormal([2, 24], generator: &generator).requiringGrad()
        let y = Tensor.linear(x, weight: weight, bias: bias, activation: .geluErf)
        #expect(y.requiresGrad)
    }

    @Test("the stored weights are the binary16 rounding of the originals, and zero stays zero")
    func roundsInPlace() {
        var generator = RandomGenerator(seed: 5)
        let values = Tensor.randomNormal([19, 23], generator: &generator).toArray()
        let weight = HalfLinearWeight(roundingInPlace: Tensor(values, shape: [19, 23]))
        let expected = values.map { HalfPrecision.float(fromHalf: HalfPrecision.half(from: $0)) }
        #expect(weight.widened.toArray() == expected)
        #expect(weight.packedBytes == 2 * 16 * 2 * 23)  // two panels of 16 lanes, the second padded
        let zero = HalfLinearWeight(roundingInPlace: Tensor.zeros([3, 5]))
        #expect(zero.product(Tensor.ones([2, 5]), bias: nil).toArray() == [Float](repeating: 0, count: 6))
    }

    @Test("bulk rounding (F16C where present) equals HalfPrecision on edge values: ties, subnormals, overflow, ±0, ±∞, NaN")
    func bulkRoundingMatchesScalar() {
        let edges: [Float] = [1 + 1.0 / 2048, 1 + 3.0 / 2048, 65504, 65519, 65520, 1e9, 6.1035156e-5, 1e-5, 5.9604645e-8,
                              2.9802322e-8, 2.9802326e-8, 1e-9, 0, -0.0, .infinity, -.infinity, -3.14159, .nan]
        // Odd lengths reach the SIMD kernel's tail.
        for count in [1, 7, 8, 9, edges.count] {
            let values = Array(edges.prefix(count))
            let tensor = Tensor(values, shape: [values.count])
            HalfLinearWeight.roundToHalfInPlace(tensor)
            for (rounded, original) in zip(tensor.toArray(), values) {
                let expected = HalfPrecision.float(fromHalf: HalfPrecision.half(from: original))
                #expect(rounded == expected || (rounded.isNaN && expected.isNaN), "\(original) → \(rounded), scalar \(expected)")
                #expect(rounded.sign == expected.sign || expected.isNaN)
            }
        }
    }

    @Test("strided and batched inputs: [B, T, K] and a transposed view give the rows' products")
    func viewsAndLeadingAxes() {
        var generator = RandomGenerator(seed: 6)
        let weight = HalfLinearWeight(roundingInPlace: Tensor.randomNormal([20, 12], generator: &generator))
        let x = Tensor.randomNormal([3, 5, 12], generator: &generator)
        let batched = weight.product(x, bias: nil)
        #expect(batched.shape == [3, 5, 20])
        let flat = weight.product(x.reshaped([15, 12]), bias: nil)
        #expect(batched.toArray() == flat.toArray())
        let stored = Tensor.randomNormal([12, 7], generator: &generator)  // its transpose is a strided [7, 12] view
        let viewed = weight.product(stored.transposed(0, 1), bias: nil)
        let copied = weight.product(stored.transposed(0, 1).contiguous(), bias: nil)
        #expect(viewed.toArray() == copied.toArray())
        let vector = weight.product(x.reshaped([15, 12]).sliced(axis: 0, 3..<4).reshaped([12]), bias: nil)
        #expect(vector.shape == [20])
        #expect(vector.toArray() == Array(flat.toArray()[60..<80]))
    }

    @Test("Tensor.linear: the kernel for few rows, BLAS on the widened weights past maximumKernelRows, the same numbers")
    func linearPicksAPath() {
        var generator = RandomGenerator(seed: 7)
        let weight = HalfLinearWeight(roundingInPlace: Tensor.randomNormal([33, 40], std: 0.2, generator: &generator))
        let bias = Tensor.randomNormal([33], generator: &generator)
        for m in [1, 16, HalfLinearWeight.maximumKernelRows, HalfLinearWeight.maximumKernelRows + 1, 300] {
            let x = Tensor.randomNormal([m, 40], generator: &generator)
            let viaLinear = withoutGrad { Tensor.linear(x, weight: weight, bias: bias) }
            let viaBLAS = Tensor.linear(x, weight: weight.widened, bias: bias)
            #expect(Closeness.relativeError(viaLinear, viaBLAS) < 1e-5, "M \(m)")
        }
    }

    @Test("while the tape records, gradients flow through the widened weights")
    func gradientsWhileRecording() {
        var generator = RandomGenerator(seed: 8)
        let weight = HalfLinearWeight(roundingInPlace: Tensor.randomNormal([6, 4], generator: &generator))
        let x = Tensor.randomNormal([3, 4], generator: &generator).requiringGrad()
        let y = Tensor.linear(x, weight: weight, bias: nil)
        #expect(y.requiresGrad)
        y.sum().backward()
        // d Σ(x Wᵀ) / dx = column sums of W, for every row.
        let w = weight.widened.toArray()
        let columnSums = (0..<4).map { i in (0..<6).reduce(Float(0)) { $0 + w[$1 * 4 + i] } }
        let grad = x.grad!.toArray()
        for row in 0..<3 { for i in 0..<4 { #expect(abs(grad[row * 4 + i] - columnSums[i]) < 1e-5) } }
    }
}
