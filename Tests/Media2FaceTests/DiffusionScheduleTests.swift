import M2FEngine
import M2FTestSupport
import Media2FaceTraining
import Testing
import Media2Face

/// The cosine schedule, q(xₜ | x₀), two-scale guidance + DDIM and the loss against the numpy/torch
/// reference (scripts/fixtures/make_diffusion_fixtures.py).
@Suite struct DiffusionScheduleTests {
    @Test func cosineScheduleMatchesReference() throws {
        let golden = try DiffusionTestHelpers.golden().object("schedule")
        let schedule = CosineNoiseSchedule(stepCount: 500)
        let betas = golden.doubles("betas"), cumulative = golden.doubles("alphas_cumulative")
        #expect(schedule.betas.count == 500)
        // Both are float64 computations of the same closed form: agreement to 1e-12 relative.
        for t in 0..<500 {
            #expect(Swift.abs(schedule.betas[t] - betas[t]) <= 1e-12 * max(1, betas[t]))
            #expect(Swift.abs(schedule.alphasCumulative[t] - cumulative[t]) <= 1e-12 * max(cumulative[t], 1e-300) + 1e-18)
        }
        #expect(schedule.alphasCumulative[0] > 0.9999 && schedule.alphasCumulative[499] < 1e-7)
    }

    @Test func addNoiseMatchesReference() throws {
        let golden = try DiffusionTestHelpers.golden().object("q_sample")
        let shape = golden.ints("shape")
        let x0 = Tensor(golden.floats("x0"), shape: shape), noise = Tensor(golden.floats("noise"), shape: shape)
        let result = CosineNoiseSchedule(stepCount: 500).addNoise(clean: x0, noise: noise, steps: golden.ints("steps"))
        #expect(Closeness.maxAbsoluteError(result, Tensor(golden.floats("x_t"), shape: shape)) <= 1e-6)
    }

    @Test func guidedDDIMStepMatchesReference() throws {
        let golden = try DiffusionTestHelpers.golden().object("guided_ddim")
        let shape = golden.ints("shape")
        func tensor(_ key: String) -> Tensor { Tensor(golden.floats(key), shape: shape) }
        let branches = DiffusionSampler.guidanceBranches(audioGuidance: Float(golden.number("audio_guidance")),
                                                         styleGuidance: Float(golden.number("style_guidance")), hasStyle: true)
        #expect(branches.map(\.weight) == [-3, 2.5, 1.5])
        let guided = DiffusionSampler.combine([tensor("f_uncond"), tensor("f_audio"), tensor("f_audio_style")], branches: branches)
        #expect(Closeness.maxAbsoluteError(guided, tensor("guided_x0")) <= 1e-5)
        let schedule = CosineNoiseSchedule(stepCount: 500)
        let previous = schedule.ddimStep(noisy: tensor("x_t"), predictedClean: guided, step: Int(golden.number("step")),
                                         previous: Int(golden.number("previous")))
        #expect(Closeness.relativeError(previous, tensor("x_prev")) <= 1e-5)
        let last = schedule.ddimStep(noisy: tensor("x_t"), predictedClean: guided, step: 0, previous: nil)
        #expect(last.toArray() == guided.toArray())
    }

    @Test func guidanceWithoutStyleMergesBranches() {
        let branches = DiffusionSampler.guidanceBranches(audioGuidance: 2.5, styleGuidance: 1.5, hasStyle: false)
        #expect(branches == [.init(audio: false, style: false, weight: -3), .init(audio: true, style: false, weight: 4)])
        let regression = DiffusionSampler.guidanceBranches(audioGuidance: 2.5, styleGuidance: 1.5, hasStyle: true, objective: .regression)
        #expect(regression == [.init(audio: true, style: true, weight: 1)])
        // sA + sP = 1: the unconditional branch has weight 0 and is not run.
        #expect(DiffusionSampler.guidanceBranches(audioGuidance: 0.5, styleGuidance: 0.5, hasStyle: true).count == 2)
    }

    @Test func samplingStepsMatchReference() throws {
        let golden = try DiffusionTestHelpers.golden().object("sampling_steps")
        let schedule = CosineNoiseSchedule(stepCount: 500)
        for count in [1, 10, 25, 50] {
            #expect(schedule.samplingSteps(count: count) == golden.ints("\(count)"))
        }
    }

    @Test func lossAndGradientMatchTorch() throws {
        let golden = try DiffusionTestHelpers.golden().object("loss")
        let shape = golden.ints("shape")
        let prediction = Tensor(golden.floats("prediction"), shape: shape).requiringGrad()
        let target = Tensor(golden.floats("target"), shape: shape)
        let mask = Tensor(golden.floats("mask"), shape: [shape[0], shape[1], 1])
        let loss = DiffusionLoss()(prediction: prediction, target: target, valid: mask)
        #expect(Swift.abs(loss.simple.item() - Float(golden.number("simple"))) <= 1e-5)
        #expect(Swift.abs(loss.velocity.item() - Float(golden.number("velocity"))) <= 1e-5)
        #expect(Swift.abs(loss.smoothness.item() - Float(golden.number("smoothness"))) <= 1e-5)
        #expect(Swift.abs(loss.total.item() - Float(golden.number("total"))) <= 1e-5)
        loss.total.backward()
        let gradient = try #require(prediction.grad)
        #expect(Closeness.maxAbsoluteError(gradient, Tensor(golden.floats("grad_prediction"), shape: shape)) <= 1e-6)
    }
}
