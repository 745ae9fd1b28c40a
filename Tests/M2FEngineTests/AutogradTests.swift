import Foundation
import M2FEngine
import M2FTestSupport
import Testing

@Suite("Autograd tape")
struct AutogradTests {
    @Test func gradientsAccumulateOverReuse() {
        let x = Tensor([1, 2, 3], shape: [3]).requiringGrad()
        // y = Σ (x·x + x) → dy/dx = 2x + 1
        (x * x + x).sum().backward()
        #expect(x.grad?.toArray() == [3, 5, 7])
        // A second backward adds to the stored gradient until zeroGrad.
        (x * 2).sum().backward()
        #expect(x.grad?.toArray() == [5, 7, 9])
        x.zeroGrad()
        #expect(x.grad == nil)
    }

    @Test func inferenceModeRecordsNothing() {
        let w = Tensor.ones([2, 2]).requiringGrad()
        let y = withoutGrad { w.matmul(w) + 1 }
        #expect(!y.requiresGrad)
        #expect(y.node == nil)
        let recorded = w.matmul(w)
        #expect(recorded.requiresGrad)
    }

    @Test func constantsDoNotNeedGradients() {
        let a = Tensor.ones([2])
        let b = Tensor.ones([2]).requiringGrad()
        let c = a * 3 + b
        #expect(c.requiresGrad)
        #expect(!(a * 3).requiresGrad)
        c.sum().backward()
        #expect(b.grad?.toArray() == [1, 1])
    }

    @Test func detachedStopsGradient() {
        let x = Tensor([2], shape: [1]).requiringGrad()
        (x * x.detached()).sum().backward()
        #expect(x.grad?.toArray() == [2])
    }
}

@Suite("Tensor basics")
struct TensorBasicsTests {
    @Test func viewsShareStorage() {
        let x = Tensor((0..<24).map(Float.init), shape: [2, 3, 4])
        let t = x.transposed(0, 2)
        #expect(t.shape == [4, 3, 2])
        #expect(!t.isContiguous)
        #expect(t[3, 2, 1] == x[1, 2, 3])
        #expect(t.storage === x.storage)
        let s = x.sliced(axis: 1, 1..<3)
        #expect(s[1, 0, 2] == x[1, 1, 2])
        #expect(x.reshaped([6, -1]).shape == [6, 4])
    }

    @Test func broadcastingFollowsNumPy() {
        let a = Tensor([1, 2, 3], shape: [3, 1])
        let b = Tensor([10, 20], shape: [2])
        #expect((a + b).shape == [3, 2])
        #expect((a + b).toArray() == [11, 21, 12, 22, 13, 23])
        #expect(Shape.broadcast([2, 3], [4]) == nil)
    }

    @Test func reductionsAndMatmulAreRight() {
        let x = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        #expect(x.sum(axis: 0).toArray() == [5, 7, 9])
        #expect(x.sum(axis: 1).toArray() == [6, 15])
        #expect(x.max(axis: 1).toArray() == [3, 6])
        #expect(x.mean().item() == 3.5)
        let y = x.matmul(x.transposed(0, 1))
        #expect(y.toArray() == [14, 32, 32, 77])
    }

    @Test func dataWithTheWrongCountIsAnErrorNamingBothShapes() {
        #expect(throws: EngineError.elementCountMismatch(shape: [2, 3], count: 5)) {
            try Tensor(validating: [1, 2, 3, 4, 5], shape: [2, 3])
        }
        let message = EngineError.shapeMismatch(context: "audio features", expected: [1, 384], actual: [1, 80]).localizedDescription
        #expect(message.contains("[1, 384]") && message.contains("[1, 80]"))
    }

    @Test func sameSeedSameNumbers() {
        var g1 = RandomGenerator(seed: 42)
        var g2 = RandomGenerator(seed: 42)
        var g3 = RandomGenerator(seed: 43)
        let a = Tensor.randomNormal([100], generator: &g1)
        let b = Tensor.randomNormal([100], generator: &g2)
        let c = Tensor.randomNormal([100], generator: &g3)
        #expect(a.toArray() == b.toArray())
        #expect(a.toArray() != c.toArray())
        let values = a.toArray()
        let mean = values.reduce(0, +) / 100
        #expect(Swift.abs(mean) < 0.3)
        let dropped = Tensor.ones([1000]).dropout(probability: 0.25, generator: &g1).toArray()
        let zeros = dropped.filter { $0 == 0 }.count
        #expect(zeros > 180 && zeros < 320)
        #expect(dropped.allSatisfy { $0 == 0 || Swift.abs($0 - 4.0 / 3.0) < 1e-6 })
    }

    @Test func fastMathIsAccurate() {
        let xs = stride(from: Float(-6), through: 6, by: 0.01).map { $0 }
        let x = Tensor(xs, shape: [xs.count])
        let exp = x.exp().toArray()
        let gelu = x.gelu().toArray()
        for (i, v) in xs.enumerated() {
            #expect(Swift.abs(exp[i] - Foundation.exp(v)) <= 3e-7 * Foundation.exp(v))
            let d = Double(v)
            let reference = Float(0.5 * d * (1 + Foundation.erf(d / 2.0.squareRoot())))
            #expect(Swift.abs(gelu[i] - reference) <= 2e-6)
        }
        #expect(Tensor([-.infinity, -100, 100], shape: [3]).exp().toArray() == [0, 0, .infinity])
    }
}
