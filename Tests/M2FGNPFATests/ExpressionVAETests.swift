import Foundation
import GNPFATraining
import M2FEngine
import M2FNeural
import M2FTestSupport
import Testing
import M2FGNPFA

/// The expression VAE on a tiny configuration: keys, shapes, the decoder's range, one training step.
@Suite("Expression VAE")
struct ExpressionVAETests {
    func tiny(seed: UInt64 = 3) -> ExpressionVAE {
        var generator = RandomGenerator(seed: seed)
        return ExpressionVAE(ExpressionVAEConfiguration(latentSize: 4, hiddenSize: 8, hiddenLayers: 2), generator: &generator)
    }

    @Test func keysAndShapes() {
        let model = tiny()
        let shapes = Dictionary(uniqueKeysWithValues: model.namedParameters().map { ($0.key, $0.parameter.shape) })
        #expect(shapes == [
            "encoder.layers.0.weight": [8, 52], "encoder.layers.0.bias": [8],
            "encoder.layers.1.weight": [8, 8], "encoder.layers.1.bias": [8],
            "encoder.layers.2.weight": [8, 8], "encoder.layers.2.bias": [8],
            "decoder.layers.0.weight": [8, 4], "decoder.layers.0.bias": [8],
            "decoder.layers.1.weight": [8, 8], "decoder.layers.1.bias": [8],
            "decoder.layers.2.weight": [52, 8], "decoder.layers.2.bias": [52],
        ])
        var sampler = ExpressionSampler(seed: 1)
        let (mean, logVariance) = model.encode(sampler.batch(5))
        #expect(mean.shape == [5, 4] && logVariance.shape == [5, 4])
        #expect(model.decode(mean).shape == [5, 52])
    }

    /// Even far outside the training range, decoded weights stay inside [0, 1].
    @Test func decoderStaysInRange() {
        let model = tiny()
        var generator = RandomGenerator(seed: 9)
        let far = Tensor.randomNormal([64, 4], std: 100, generator: &generator)
        let out = withoutGrad { model.decode(far).toArray() }
        #expect(out.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    /// The KL weight rises linearly from 0 and then holds.
    @Test func klAnnealing() {
        var options = VAETrainingOptions()
        options.steps = 100
        options.klWeight = 1e-3
        options.klAnnealFraction = 0.5
        let objective = VAEObjective(model: tiny(), options: options)
        #expect(objective.klWeight(at: 0) == 0)
        #expect(Swift.abs(objective.klWeight(at: 25) - 5e-4) < 1e-9)
        #expect(objective.klWeight(at: 50) == 1e-3 && objective.klWeight(at: 99) == 1e-3)
    }

    /// The lip-closure term is reported and adds to the loss only when its weight is positive.
    @Test func closureTermAddsToTheLoss() {
        var options = VAETrainingOptions()
        options.batchSize = 64
        var plain = VAEObjective(model: tiny(), options: options)
        options.lipClosureWeight = 0.01
        var withClosure = VAEObjective(model: tiny(), options: options)
        let a = plain.loss(step: 10), b = withClosure.loss(step: 10)
        #expect(a.parts["closure"] == nil)
        let closure = b.parts["closure"] ?? 0
        #expect(closure > 0)
        #expect(Swift.abs(b.loss.item() - (a.loss.item() + 0.01 * closure)) < 1e-5 * max(1, b.loss.item()))
    }

    /// A few steps lower the loss on a fixed batch, and a checkpoint restores model and optimiser exactly.
    @Test func trainingStepsAndCheckpoint() throws {
        let model = tiny()
        var options = VAETrainingOptions()
        options.steps = 30
        options.batchSize = 32
        var objective = VAEObjective(model: model, options: options)
        let optimizer = AdamW(namedParameters: model.namedParameters(), configuration: AdamWConfiguration(learningRate: 1e-2), decayWhere: { _ in true })
        var losses: [Float] = []
        let loop = TrainingLoop(stage: "vae", totalSteps: 30, learningRate: 1e-2, warmupSteps: 0, checkpointEvery: 1000)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gnpfa-ckpt-\(UUID().uuidString).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try loop.run(module: model, optimizer: optimizer, lossAtStep: { objective.loss(step: $0) },
                     progress: { losses.append($0.loss) },
                     checkpoint: { try TrainingCheckpoint.save(module: model, optimizer: optimizer, step: $0, to: path) })
        #expect(losses.count == 30)
        #expect(losses.suffix(5).reduce(0, +) < losses.prefix(5).reduce(0, +))
        let restored = tiny(seed: 77)
        let restoredOptimizer = AdamW(namedParameters: restored.namedParameters(), decayWhere: { _ in true })
        #expect(try TrainingCheckpoint.load(module: restored, optimizer: restoredOptimizer, from: path) == 30)
        for (a, b) in zip(model.namedParameters(), restored.namedParameters()) {
            #expect(a.key == b.key && a.parameter.value.toArray() == b.parameter.value.toArray())
        }
        #expect(restoredOptimizer.stepCount(ofParameterAt: 0) == 30)
    }
}
