import Foundation
import M2FEngine
import M2FFace
import M2FGNPFA
import M2FNeural

/// How the expression VAE is trained (run options, not architecture).
package struct VAETrainingOptions: Codable, Sendable, Equatable {
    /// Optimiser steps. Default 8000.
    package var steps: Int = 8000
    /// Frames per step. Default 256.
    package var batchSize: Int = 256
    /// Peak AdamW learning rate (warmup, then cosine decay). Default 2e-3.
    package var learningRate: Float = 2e-3
    /// Final weight of the KL term (on the per-element mean KL, against the per-element mean
    /// reconstruction loss). Default 5e-5.
    package var klWeight: Float = 5e-5
    /// Share of the steps over which the KL weight rises linearly from 0. Default 0.3.
    package var klAnnealFraction: Float = 0.3
    /// Share of each batch drawn from the FACS sampler when recorded frames exist (otherwise all).
    /// Default 0.5.
    package var sampledShare: Float = 0.5
    /// Weight of the lip-geometry term: the mean squared offset (cm) of the default head's lip vertices
    /// between decoded and true weights, so channels that move the lips a lot are reconstructed more
    /// precisely. Default 0.3.
    package var lipVertexWeight: Float = 0.3
    /// Weight of the lip-closure term: the squared error (mm²) of the inner-lip gap vector at the
    /// midline between decoded and true weights, five times heavier on frames whose true lips are closed
    /// or nearly so (gap under 3 mm), because a 1 mm error there decides whether a p/b/m reads as closed.
    /// 0 turns it off. Default 0.
    package var lipClosureWeight: Float = 0
    /// Seed of initialisation, sampling and noise. Default 1.
    package var seed: UInt64 = 1

    package init() {}
}

/// One training step of the expression VAE: reconstruction (MSE + 0.1·L1 on the decoded weights, plus
/// the lip-vertex term) plus the annealed KL divergence to N(0, I), on a batch mixing sampled and
/// recorded frames.
package struct VAEObjective {
    package let model: ExpressionVAE
    package let options: VAETrainingOptions
    private var sampler: ExpressionSampler
    private var generator: RandomGenerator
    private let recorded: [Float]
    /// [52, 3·L] lip-vertex offsets of each blendshape in centimetres.
    private let lipDeltas: Tensor
    /// [52, 3] change of the midline (upper − lower) lip gap per shape, millimetres.
    private let gapDeltas: Tensor
    private let lipGeometry = LipGeometry.defaultHead

    package init(model: ExpressionVAE, options: VAETrainingOptions, recordedFrames: [Float] = []) {
        self.model = model
        self.options = options
        self.recorded = recordedFrames
        sampler = ExpressionSampler(seed: options.seed &+ 101)
        generator = RandomGenerator(seed: options.seed &+ 202)
        lipDeltas = LipErrorMeter().deltaMatrix(scale: 100)
        gapDeltas = Tensor(LipGeometry.defaultHead.gapDeltaRowsMillimetres, shape: [ARKitWeightCount, 3])
    }

    /// Per frame of `x` [B, 52], the weight of its closure error: 5 when its lips are (nearly) closed.
    private func closureFrameWeights(_ x: Tensor) -> Tensor {
        let values = x.toArray(), count = x.shape[0]
        let weights = (0..<count).map { f -> Float in
            lipGeometry.gapMillimetres(weights: values[(f * ARKitWeightCount)..<((f + 1) * ARKitWeightCount)]) < 3 ? 5 : 1
        }
        return Tensor(weights, shape: [count, 1])
    }

    /// KL weight at `step`: linear from 0 to `klWeight` over the first `klAnnealFraction` of the steps.
    package func klWeight(at step: Int) -> Float {
        let ramp = max(1, Float(options.steps) * options.klAnnealFraction)
        return options.klWeight * min(1, Float(step) / ramp)
    }

    /// A training batch [B, 52].
    package mutating func batch() -> Tensor {
        let recordedCount = recorded.count / ARKitWeightCount
        let fromRecorded = recordedCount == 0 ? 0 : Int(Float(options.batchSize) * (1 - options.sampledShare))
        var values = sampler.batch(options.batchSize - fromRecorded).toArray()
        for _ in 0..<fromRecorded {
            let frame = generator.nextInt(below: recordedCount)
            values += recorded[(frame * ARKitWeightCount)..<((frame + 1) * ARKitWeightCount)]
        }
        return Tensor(values, shape: [options.batchSize, ARKitWeightCount])
    }

    /// The loss of step `step` and its parts.
    package mutating func loss(step: Int) -> (loss: Tensor, parts: [String: Float]) {
        let x = batch()
        let (mean, logVariance) = model.encode(x)
        let noise = Tensor.randomNormal(mean.shape, generator: &generator)
        let z = mean + (logVariance * 0.5).exp() * noise
        let decoded = model.decode(z)
        let mse = Loss.meanSquaredError(decoded, x)
        let l1 = Loss.l1(decoded, x)
        let kl = Loss.gaussianKLDivergence(mean: mean, logVariance: logVariance)
        let lip = (decoded - x).matmul(lipDeltas).square().mean()
        let beta = klWeight(at: step)
        var total = mse + l1 * 0.1 + lip * options.lipVertexWeight + kl * beta
        var parts = ["mse": mse.item(), "l1": l1.item(), "lip": lip.item(), "kl": kl.item(), "beta": beta]
        if options.lipClosureWeight > 0 {
            let gapError = (decoded - x).matmul(gapDeltas).square()
            let closure = (gapError * closureFrameWeights(x)).mean()
            total = total + closure * options.lipClosureWeight
            parts["closure"] = closure.item()
        }
        return (total, parts)
    }
}
