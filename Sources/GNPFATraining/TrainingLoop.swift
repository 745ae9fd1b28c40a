import Foundation
import M2FEngine
import M2FGNPFA
import M2FNeural

/// Where a training run stands, reported after every step.
package struct TrainingProgress: Sendable {
    /// Which part is being trained (`vae`, `geometry`, `image`).
    package var stage: String
    /// Steps done so far (1-based after the first step).
    package var step: Int
    package var totalSteps: Int
    /// The total loss of the last step.
    package var loss: Float
    /// Named loss parts of the last step (reconstruction, KL, …).
    package var parts: [String: Float]
    /// Seconds since this run (or resume) began, and the estimated seconds left.
    package var elapsed: Double
    package var remaining: Double

    package init(stage: String, step: Int, totalSteps: Int, loss: Float, parts: [String: Float], elapsed: Double, remaining: Double) {
        (self.stage, self.step, self.totalSteps, self.loss, self.parts, self.elapsed, self.remaining) =
            (stage, step, totalSteps, loss, parts, elapsed, remaining)
    }
}

/// AdamW under a warmup-cosine schedule with gradient clipping, checkpoints and progress: the loop
/// every GNPFA part trains with.
package struct TrainingLoop {
    package var stage: String
    package var totalSteps: Int
    package var learningRate: Float
    package var warmupSteps: Int
    /// Global gradient-norm limit. Default 1.
    package var maxGradientNorm: Float
    /// Save a checkpoint every this many steps (and at the end). Default 500.
    package var checkpointEvery: Int

    package init(stage: String, totalSteps: Int, learningRate: Float, warmupSteps: Int = 100,
                maxGradientNorm: Float = 1, checkpointEvery: Int = 500) {
        self.stage = stage
        self.totalSteps = totalSteps
        self.learningRate = learningRate
        self.warmupSteps = min(warmupSteps, totalSteps)
        self.maxGradientNorm = maxGradientNorm
        self.checkpointEvery = checkpointEvery
    }

    /// Runs steps `startStep..<totalSteps`.
    /// - Parameters:
    ///   - lossAtStep: builds the loss of step `s` (0-based) on the tape and returns its named parts.
    ///   - checkpoint: called with the number of steps done, every `checkpointEvery` steps and at the end.
    package func run(module: any Module, optimizer: AdamW, startStep: Int = 0,
                    lossAtStep: (Int) -> (loss: Tensor, parts: [String: Float]),
                    progress: (TrainingProgress) -> Void,
                    checkpoint: (Int) throws -> Void) throws {
        let schedule = WarmupCosineSchedule(peakLearningRate: learningRate, warmupSteps: warmupSteps,
                                            totalSteps: totalSteps, minimumLearningRate: learningRate * 0.05)
        let parameters = module.parameters()
        let start = Date()
        var step = startStep
        while step < totalSteps {
            try Task.checkCancellation()
            module.train(true)
            module.zeroGrad()
            let (loss, parts) = lossAtStep(step)
            loss.backward()
            let norm = clipGradientNorm(parameters, maxNorm: maxGradientNorm)
            let value = loss.item()
            if norm.isFinite && value.isFinite {
                optimizer.learningRate = schedule.learningRate(at: step)
                optimizer.step()
            }
            step += 1
            let elapsed = Date().timeIntervalSince(start)
            let perStep = elapsed / Double(step - startStep)
            progress(TrainingProgress(stage: stage, step: step, totalSteps: totalSteps, loss: value, parts: parts,
                                      elapsed: elapsed, remaining: perStep * Double(totalSteps - step)))
            if step % checkpointEvery == 0 || step == totalSteps { try checkpoint(step) }
        }
        module.eval()
    }
}

/// A resumable training state in one safetensors file: `model.<key>` parameters, `optimizer.<key>`
/// AdamW moments, and the number of steps done in the metadata.
package enum TrainingCheckpoint {
    package static func save(module: any Module, optimizer: AdamW, step: Int, to path: String) throws {
        var tensors: [String: Tensor] = [:]
        for (key, value) in module.parameterTensors() { tensors["model." + key] = value }
        for (key, value) in optimizer.stateTensors() { tensors["optimizer." + key] = value }
        try SafeTensors.write(tensors, to: path, metadata: ["step": "\(step)"])
    }

    /// Restores module and optimizer; returns the number of steps done.
    package static func load(module: any Module, optimizer: AdamW, from path: String) throws -> Int {
        guard FileManager.default.fileExists(atPath: path) else {
            throw GNPFAError.missingFile(path: path, fix: "run without --resume to start this stage from scratch")
        }
        let file = try SafeTensorsFile(path: path)
        var model: [String: Tensor] = [:], state: [String: Tensor] = [:]
        for name in file.names {
            if name.hasPrefix("model.") { model[String(name.dropFirst(6))] = try file.tensor(named: name) }
            else if name.hasPrefix("optimizer.") { state[String(name.dropFirst(10))] = try file.tensor(named: name) }
            else { throw GNPFAError.invalidFile(path: path, problem: "unexpected tensor \(name) in a training checkpoint") }
        }
        try module.loadParameters(model, source: path)
        try optimizer.loadState(state, source: path)
        guard let step = file.metadata["step"].flatMap(Int.init) else {
            throw GNPFAError.invalidFile(path: path, problem: "no step count in the metadata")
        }
        return step
    }
}
