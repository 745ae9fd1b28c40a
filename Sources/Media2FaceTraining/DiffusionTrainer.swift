import Foundation
import M2FEngine
import M2FNeural
import Media2Face

/// Optimisation settings of a diffusion training run (saved in the checkpoint's state).
package struct DiffusionTrainingConfiguration: Codable, Sendable, Equatable {
    package var steps: Int
    package var batchSize: Int
    package var peakLearningRate: Float
    package var warmupSteps: Int
    package var weightDecay: Float
    package var gradientClip: Float
    /// EMA of the weights (the shipped model), started after `warmupSteps`.
    package var emaDecay: Float
    package var loss: DiffusionLoss
    package var dropout: ConditionDropout
    /// Std of Gaussian noise on the (unit-scale) Whisper features. Default 0.05.
    package var audioNoise: Float
    /// Validation loss and a checkpoint every this many steps.
    package var checkpointEvery: Int
    package var seed: UInt64
    /// Crops that reproduce stream hops (`StreamWindowBank`); nil: none (older checkpoints).
    package var streamWindows: StreamWindowTraining?

    package init(steps: Int = 4000, batchSize: Int = 16, peakLearningRate: Float = 5e-4, warmupSteps: Int = 200,
                weightDecay: Float = 0.01, gradientClip: Float = 1, emaDecay: Float = 0.998, loss: DiffusionLoss = DiffusionLoss(),
                dropout: ConditionDropout = ConditionDropout(), audioNoise: Float = 0.05, checkpointEvery: Int = 250, seed: UInt64 = 1,
                streamWindows: StreamWindowTraining? = nil) {
        self.steps = steps
        self.batchSize = batchSize
        self.peakLearningRate = peakLearningRate
        self.warmupSteps = warmupSteps
        self.weightDecay = weightDecay
        self.gradientClip = gradientClip
        self.emaDecay = emaDecay
        self.loss = loss
        self.dropout = dropout
        self.audioNoise = audioNoise
        self.checkpointEvery = checkpointEvery
        self.seed = seed
        self.streamWindows = streamWindows
    }
}

/// What the trainer reports after each step.
package struct DiffusionTrainingProgress: Sendable {
    package var step: Int
    package var totalSteps: Int
    package var loss: Float
    package var learningRate: Float
    /// The last validation loss (EMA weights), if one was computed.
    package var validationLoss: Float?
    package var secondsElapsed: Double
}

/// Trains a `Media2FaceDenoiser`: random crops, random condition drops, x₀ prediction with
/// simple + velocity + smoothness loss, AdamW with warmup + cosine decay, gradient clipping, EMA.
package final class DiffusionTrainer {
    package let denoiser: Media2FaceDenoiser
    package let configuration: DiffusionTrainingConfiguration
    package let normalization: FrameNormalization
    let schedule: CosineNoiseSchedule
    let optimizer: AdamW
    let learningRates: WarmupCosineSchedule
    let sampler: DiffusionBatchSampler
    let validation: [DiffusionBatch]
    package private(set) var ema: ExponentialMovingAverage?
    /// Optimiser steps done.
    package private(set) var step = 0
    package private(set) var lastValidationLoss: Float?

    /// - Parameters: training and validation clips (validation may be empty); the normalisation is fitted
    ///   on the training clips unless given (on resume).
    package init(denoiser: Media2FaceDenoiser, configuration: DiffusionTrainingConfiguration, training: [DiffusionTrainingClip],
                validation: [DiffusionTrainingClip], normalization: FrameNormalization? = nil) {
        self.denoiser = denoiser
        self.configuration = configuration
        let model = denoiser.configuration
        self.normalization = normalization ?? FrameNormalization.fit(training.map(\.frames))
        schedule = CosineNoiseSchedule(stepCount: model.diffusionSteps)
        optimizer = AdamW(namedParameters: denoiser.namedParameters(),
                          configuration: AdamWConfiguration(learningRate: configuration.peakLearningRate, weightDecay: configuration.weightDecay),
                          decayWhere: { !$0.hasSuffix("bias") && !$0.contains("norm") && !$0.contains("null") })
        learningRates = WarmupCosineSchedule(peakLearningRate: configuration.peakLearningRate, warmupSteps: min(configuration.warmupSteps, configuration.steps),
                                             totalSteps: configuration.steps, minimumLearningRate: configuration.peakLearningRate * 0.05)
        var sampler = DiffusionBatchSampler(clips: training, normalization: self.normalization, windowLength: model.windowLength,
                                            latentSize: model.latentSize, dropout: configuration.dropout, audioNoise: configuration.audioNoise)
        sampler.bilabialWeight = configuration.loss.bilabialWeight
        sampler.streamTraining = configuration.streamWindows
        self.sampler = sampler
        // A fixed validation set: up to 64 crops from the start of each clip, full conditions.
        if validation.isEmpty {
            self.validation = []
        } else {
            let validationSampler = DiffusionBatchSampler(clips: validation, normalization: self.normalization, windowLength: model.windowLength,
                                                          latentSize: model.latentSize, dropout: configuration.dropout, audioNoise: 0)
            let items = validation.indices.prefix(64).map { (clip: $0, start: 0, length: min(validation[$0].frameCount, model.windowLength)) }
            self.validation = stride(from: 0, to: items.count, by: configuration.batchSize).map { start in
                let chunk = Array(items[start..<min(start + configuration.batchSize, items.count)])
                return validationSampler.assemble(chunk, styles: chunk.map { validationSampler.fullStyle(validation[$0.clip]) },
                                                  keepAudio: Array(repeating: 1, count: chunk.count))
            }
        }
    }

    /// The loss of one batch at diffusion steps `steps` with noise from `generator` (regression: no noise).
    func loss(_ batch: DiffusionBatch, model: Media2FaceDenoiser, steps: [Int], generator: inout RandomGenerator) -> (total: Tensor, simple: Tensor, velocity: Tensor, smoothness: Tensor) {
        let regression = model.configuration.objective == .regression
        let noisy = regression ? Tensor.zeros(batch.clean.shape)
            : schedule.addNoise(clean: batch.clean, noise: Tensor.randomNormal(batch.clean.shape, generator: &generator), steps: steps)
        let condition = model.audioCondition(features: batch.audio, keepAudio: batch.keepAudio) + model.style(batch.style).unsqueezed(1)
        let prediction = model(noisy: noisy, stepEmbedding: model.stepEmbedding(regression ? steps.map { _ in schedule.stepCount - 1 } : steps),
                               condition: condition, padding: batch.padding)
        return configuration.loss(prediction: prediction, target: batch.clean, valid: batch.valid, emphasis: batch.emphasis)
    }

    /// One optimiser step on a fresh random batch; returns the loss.
    @discardableResult
    package func trainStep() -> Float {
        var generator = RandomGenerator(seed: configuration.seed &* 1_000_003 &+ UInt64(step))
        let batch = sampler.batch(size: configuration.batchSize, generator: &generator)
        let steps = (0..<configuration.batchSize).map { _ in generator.nextInt(below: schedule.stepCount) }
        denoiser.train()
        let loss = self.loss(batch, model: denoiser, steps: steps, generator: &generator)
        optimizer.zeroGrad()
        loss.total.backward()
        let norm = clipGradientNorm(denoiser.parameters(), maxNorm: configuration.gradientClip)
        let value = loss.total.item()
        if norm.isFinite && value.isFinite {
            optimizer.learningRate = learningRates.learningRate(at: step)
            optimizer.step()
        }
        optimizer.zeroGrad()
        step += 1
        if step == min(configuration.warmupSteps, configuration.steps) || (ema == nil && step > configuration.warmupSteps) {
            ema = ExponentialMovingAverage(denoiser, decay: configuration.emaDecay)
        } else {
            ema?.update()
        }
        return value
    }

    /// The mean validation loss (total) of `model` (default: the EMA weights, else the current ones)
    /// at 8 fixed diffusion steps spread over the schedule, with fixed noise. Nil without validation clips.
    package func validationLoss(model: Media2FaceDenoiser? = nil) -> Float? {
        guard !validation.isEmpty else { return nil }
        let evaluated = model ?? emaModel()
        evaluated.eval()
        var generator = RandomGenerator(seed: 12_345)
        var total = 0.0, count = 0
        withoutGrad {
            for batch in validation {
                for k in 0..<8 {
                    let t = (2 * k + 1) * schedule.stepCount / 16
                    total += Double(loss(batch, model: evaluated, steps: Array(repeating: t, count: batch.style.count), generator: &generator).total.item())
                    count += 1
                }
            }
        }
        lastValidationLoss = Float(total / Double(count))
        return lastValidationLoss
    }

    /// A copy of the denoiser holding the EMA weights (the current weights before the EMA starts).
    package func emaModel() -> Media2FaceDenoiser {
        let copy = Media2FaceDenoiser(denoiser.configuration)
        try! copy.loadParameters(ema?.shadowTensors() ?? denoiser.parameterTensors(), source: "training EMA")
        copy.eval()
        return copy
    }

    /// Runs until `configuration.steps`, calling `checkpoint` every `checkpointEvery` steps and at the end
    /// (after a validation pass), and `progress` after every step. Stops early (after a checkpoint) when
    /// `shouldStop` returns true.
    package func run(progress: (DiffusionTrainingProgress) -> Void, checkpoint: (DiffusionTrainer) throws -> Void,
                    shouldStop: () -> Bool = { false }) throws {
        let clock = ContinuousClock()
        let started = clock.now
        while step < configuration.steps {
            let value = trainStep()
            let done = step == configuration.steps || shouldStop()
            if step % configuration.checkpointEvery == 0 || done {
                _ = validationLoss()
                try checkpoint(self)
            }
            let elapsed = clock.now - started
            progress(DiffusionTrainingProgress(step: step, totalSteps: configuration.steps, loss: value,
                                               learningRate: optimizer.learningRate, validationLoss: lastValidationLoss,
                                               secondsElapsed: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18))
            if done { break }
        }
    }

    // MARK: resume

    /// Tensors to save for resuming: `model.*` (current weights), `ema.*`, `optimizer.*`, `normalization.*`.
    /// Copies, so later training steps do not change them.
    package func stateTensors() -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for (key, value) in denoiser.parameterTensors() { result["model." + key] = value }
        for (key, value) in ema?.shadowTensors() ?? [:] { result["ema." + key] = value }
        for (key, value) in optimizer.stateTensors() { result["optimizer." + key] = value }
        for (key, value) in normalization.tensors { result[key] = value }
        result["step"] = Tensor(scalar: Float(step))
        return result.mapValues { value in withoutGrad { value.detached() * 1 } }
    }

    /// Restores `stateTensors()` (strict by key).
    package func loadState(_ tensors: [String: Tensor], source: String) throws {
        func group(_ prefix: String) -> [String: Tensor] {
            Dictionary(uniqueKeysWithValues: tensors.filter { $0.key.hasPrefix(prefix) }.map { (String($0.key.dropFirst(prefix.count)), $0.value) })
        }
        let emaTensors = group("ema.")
        if !emaTensors.isEmpty {
            try denoiser.loadParameters(emaTensors, source: source + " (ema)")
            ema = ExponentialMovingAverage(denoiser, decay: configuration.emaDecay)
        }
        try denoiser.loadParameters(group("model."), source: source + " (model)")
        try optimizer.loadState(group("optimizer."), source: source + " (optimizer)")
        guard let saved = tensors["step"] else { throw EngineError.missingKeys(path: source, keys: ["step"]) }
        step = Int(saved.item())
    }

    /// The normalisation saved in a state file, for constructing a resumed trainer.
    package static func savedNormalization(_ tensors: [String: Tensor], source: String) throws -> FrameNormalization {
        guard let mean = tensors["normalization.mean"], let std = tensors["normalization.std"] else {
            throw EngineError.missingKeys(path: source, keys: ["normalization.mean", "normalization.std"])
        }
        return FrameNormalization(mean: mean, std: std)
    }
}
