import Foundation
import M2FEngine
import M2FGNPFA
import M2FNeural

/// How the geometry encoder is trained.
package struct GeometryTrainingOptions: Codable, Sendable, Equatable {
    /// Optimiser steps. Default 10 000.
    package var steps: Int = 10000
    /// Samples per step. Default 128.
    package var batchSize: Int = 128
    /// Peak learning rate. Default 1e-3.
    package var learningRate: Float = 1e-3
    /// Training identities (the default face and random ones). Default 24.
    package var identityCount: Int = 24
    /// Weight of the decoded-weights term next to the latent term. Default 1.
    package var reconstructionWeight: Float = 1
    package var seed: UInt64 = 2

    package init() {}
}

/// One step of the geometry encoder: match the frozen VAE's mean code of the true weights (MSE on z),
/// and decode to the true weights through the frozen decoder (MSE on the weights).
package struct GeometryObjective {
    package let encoder: GeometryEncoder
    package let vae: ExpressionVAE
    package let options: GeometryTrainingOptions
    private var sampler: GeometrySampler

    package init(encoder: GeometryEncoder, vae: ExpressionVAE, sampler: GeometrySampler, options: GeometryTrainingOptions) {
        self.encoder = encoder
        self.vae = vae
        self.sampler = sampler
        self.options = options
    }

    /// A batch: features [B, 3·V] and weights [B, 52].
    package mutating func batch() -> (features: Tensor, weights: Tensor) {
        var features: [Float] = [], weights: [Float] = []
        for _ in 0..<options.batchSize {
            let sample = sampler.next()
            features += encoder.features(sample.observation).features
            weights += sample.weights
        }
        return (Tensor(features, shape: [options.batchSize, features.count / options.batchSize]),
                Tensor(weights, shape: [options.batchSize, ARKitWeightCount]))
    }

    package mutating func loss(step: Int) -> (loss: Tensor, parts: [String: Float]) {
        let (x, w) = batch()
        let target = withoutGrad { vae.encode(w).mean.contiguous() }
        let z = encoder(x)
        let latentLoss = Loss.meanSquaredError(z, target)
        let decoded = vae.decode(z)
        let weightLoss = Loss.meanSquaredError(decoded, w)
        // The VAE is frozen: its parameters are not optimised, so their gradients are dropped here.
        return (latentLoss + weightLoss * options.reconstructionWeight,
                ["z_mse": latentLoss.item(), "w_mse": weightLoss.item()])
    }

    /// Forgets gradients that reached the frozen VAE.
    package func dropVAEGradients() { vae.zeroGrad() }
}
