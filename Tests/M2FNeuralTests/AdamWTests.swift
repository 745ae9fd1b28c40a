import M2FEngine
import M2FNeural
import Testing

/// AdamW against `torch.optim.AdamW` (Tests/Fixtures/neural/optim.json, made by
/// scripts/fixtures/make_neural_fixtures.py) and a hand-computed first step.
@Suite struct AdamWTests {
    @Test func matchesPyTorchForThreeSteps() throws {
        let data = try Helpers.json("optim.json").object("adamw")
        let config = data.object("config")
        let betas = config.floats("betas")
        let initial = data.object("initial")
        let w = Parameter(Tensor(initial.floats("w"), shape: [2, 3]))
        let b = Parameter(Tensor(initial.floats("b"), shape: [3]))
        let optimizer = AdamW(
            namedParameters: [("weight", w), ("bias", b)],
            configuration: AdamWConfiguration(learningRate: Float(config["lr"] as! Double), beta1: betas[0], beta2: betas[1],
                                              epsilon: Float(config["eps"] as! Double), weightDecay: Float(config["weight_decay"] as! Double)),
            decayWhere: { $0 == "weight" })
        for (index, step) in (data["steps"] as! [[String: Any]]).enumerated() {
            w.setGradient(Tensor(step.floats("grad_w"), shape: [2, 3]))
            b.setGradient(Tensor(step.floats("grad_b"), shape: [3]))
            optimizer.step()
            for (actual, expected) in zip(w.value.toArray() + b.value.toArray(), step.floats("w") + step.floats("b")) {
                #expect(Swift.abs(actual - expected) < 2e-6, "step \(index + 1)")
            }
        }
        #expect(optimizer.stepCount(ofParameterAt: 0) == 3)
    }

    @Test func firstStepByHand() {
        // Step 1: m̂ = g, v̂ = g², so the update is lr·g/(|g| + ε) = lr·sign(g), after decay p·(1 − lr·λ).
        let p = Parameter(Tensor([1, -2], shape: [2]))
        let optimizer = AdamW(parameters: [p], configuration: AdamWConfiguration(learningRate: 0.1, weightDecay: 0.5))
        p.setGradient(Tensor([0.3, -4], shape: [2]))
        optimizer.step()
        let expected: [Float] = [1 * 0.95 - 0.1, -2 * 0.95 + 0.1]
        for (a, e) in zip(p.value.toArray(), expected) { #expect(Swift.abs(a - e) < 1e-6) }
    }

    @Test func skipsParametersWithoutGradientAndRecordsNoTape() {
        let a = Parameter(Tensor([1, 2], shape: [2]))
        let b = Parameter(Tensor([3], shape: [1]))
        let optimizer = AdamW(parameters: [a, b])
        (a.value * 2).sum().backward()
        optimizer.step()
        #expect(b.value.toArray() == [3])
        #expect(optimizer.stepCount(ofParameterAt: 1) == 0)
        #expect(a.value.toArray() != [1, 2])
        #expect(a.value.requiresGrad && a.value.grad != nil)
        optimizer.zeroGrad()
        #expect(a.grad == nil)
    }

    @Test func stateRoundTripResumesIdentically() throws {
        func make() -> (Parameter, AdamW) {
            let p = Parameter(Tensor([1, -2, 3], shape: [3]))
            return (p, AdamW(namedParameters: [("w", p)], configuration: AdamWConfiguration(learningRate: 0.1), decayWhere: { _ in true }))
        }
        let (a, optimizerA) = make()
        for gradient: [Float] in [[1, 2, 3], [-1, 0.5, 2]] {
            a.setGradient(Tensor(gradient, shape: [3]))
            optimizerA.step()
        }
        let state = optimizerA.stateTensors()
        #expect(Set(state.keys) == ["w.exp_avg", "w.exp_avg_sq", "w.step"])
        let (b, optimizerB) = make()
        b.assign(a.value)
        try optimizerB.loadState(state, source: "state")
        for (p, optimizer) in [(a, optimizerA), (b, optimizerB)] {
            p.setGradient(Tensor([0.3, 0.3, -1], shape: [3]))
            optimizer.step()
        }
        #expect(a.value.toArray() == b.value.toArray())
        #expect(optimizerB.stepCount(ofParameterAt: 0) == 3)

        var wrong = state
        wrong["w.exp_avg"] = .zeros([4])
        #expect(throws: EngineError.parameterShapeMismatch(path: "state", key: "w.exp_avg", expected: [3], actual: [4])) {
            try optimizerB.loadState(wrong, source: "state")
        }
    }
}
