import M2FEngine
import M2FNeural
import Testing

/// EMA shadows: the update rule, copy into the tracked model, strict copy into another model.
@Suite struct ExponentialMovingAverageTests {
    @Test func averagesAndCopies() throws {
        var g = RandomGenerator(seed: 1)
        let model = Linear(inputSize: 2, outputSize: 1, generator: &g)
        try model.loadParameters(["weight": Tensor([1, 2], shape: [1, 2]), "bias": Tensor([0], shape: [1])], source: "test")
        let ema = ExponentialMovingAverage(model, decay: 0.5)

        model.weight.assign(Tensor([3, 6], shape: [1, 2]))
        ema.update()                                        // 0.5·[1, 2] + 0.5·[3, 6] = [2, 4]
        model.weight.assign(Tensor([2, 0], shape: [1, 2]))
        ema.update()                                        // 0.5·[2, 4] + 0.5·[2, 0] = [2, 2]
        #expect(ema.updateCount == 2)
        #expect(ema.shadowTensors()["weight"]!.toArray() == [2, 2])
        #expect(model.weight.value.toArray() == [2, 0])

        let copy = Linear(inputSize: 2, outputSize: 1, generator: &g)
        try ema.copy(to: copy)
        #expect(copy.weight.value.toArray() == [2, 2])
        ema.copyToModel()
        #expect(model.weight.value.toArray() == [2, 2])
        #expect(model.weight.value.requiresGrad)

        let wrong = Linear(inputSize: 3, outputSize: 1, generator: &g)
        #expect(throws: EngineError.self) { try ema.copy(to: wrong) }
    }
}
