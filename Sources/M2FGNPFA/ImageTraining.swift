import Foundation
import M2FEngine
import M2FNeural

/// How the image encoder is trained.
public struct ImageTrainingOptions: Codable, Sendable, Equatable {
    /// Optimiser steps. Default 2500.
    public var steps: Int = 2500
    /// Images per step. Default 48.
    public var batchSize: Int = 48
    /// Peak learning rate. Default 1e-3.
    public var learningRate: Float = 1e-3
    /// Rendered training images. Default 4000.
    public var imageCount: Int = 4000
    /// Identities they are spread over. Default 16.
    public var identityCount: Int = 16
    /// Weight of the rotation term (radians², next to the latent and weight terms). Default 10.
    public var poseWeight: Float = 10
    public var seed: UInt64 = 3

    public init() {}
}

/// One step of the image encoder: match the frozen VAE's code of the true weights, decode to the true
/// weights, and regress the head rotation.
public struct ImageObjective {
    public let encoder: ImageEncoder
    public let vae: ExpressionVAE
    public let images: FaceImageSet
    public let options: ImageTrainingOptions
    private var generator: RandomGenerator

    public init(encoder: ImageEncoder, vae: ExpressionVAE, images: FaceImageSet, options: ImageTrainingOptions) {
        precondition(images.size == encoder.configuration.imageSize, "images are \(images.size) px, the encoder expects \(encoder.configuration.imageSize)")
        (self.encoder, self.vae, self.images, self.options) = (encoder, vae, images, options)
        generator = RandomGenerator(seed: options.seed &+ 31)
    }

    /// A random batch: indices into the image set.
    public mutating func batchIndices() -> [Int] { (0..<options.batchSize).map { _ in generator.nextInt(below: images.count) } }

    public mutating func loss(step: Int) -> (loss: Tensor, parts: [String: Float]) {
        let indices = batchIndices()
        let x = encoder.input(indices.map(images.image))
        let w = Tensor(indices.flatMap { Array(images.weights($0)) }, shape: [indices.count, ARKitWeightCount])
        let rotation = Tensor(indices.flatMap { images.rotation($0).values.prefix(3) }, shape: [indices.count, 3])
        let target = withoutGrad { vae.encode(w).mean.contiguous() }
        let z = encoder.configuration.latentSize
        let out = encoder(x)
        let code = out.sliced(axis: 1, 0..<z)
        let pose = out.sliced(axis: 1, z..<(z + 3))
        let latentLoss = Loss.meanSquaredError(code, target)
        let weightLoss = Loss.meanSquaredError(vae.decode(code), w)
        let poseLoss = Loss.meanSquaredError(pose, rotation)
        return (latentLoss + weightLoss + poseLoss * options.poseWeight,
                ["z_mse": latentLoss.item(), "w_mse": weightLoss.item(), "pose_mse": poseLoss.item()])
    }
}
