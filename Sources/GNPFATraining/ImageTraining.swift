import Foundation
import M2FEngine
import M2FFace
import M2FGNPFA
import M2FNeural

/// How the image encoder is trained.
package struct ImageTrainingOptions: Codable, Sendable, Equatable {
    /// Optimiser steps. Default 4500.
    package var steps: Int = 4500
    /// Images per step. Default 48.
    package var batchSize: Int = 48
    /// Peak learning rate. Default 1e-3.
    package var learningRate: Float = 1e-3
    /// Rendered training images. Default 12000.
    package var imageCount: Int = 12000
    /// Identities they are spread over. Default 32.
    package var identityCount: Int = 32
    /// Weight of the rotation term (MSE in radians²). Default 30.
    package var poseWeight: Float = 30
    /// Weight of the latent term (MSE against the VAE's μ). Default 1.
    package var latentWeight: Float = 1
    /// Weight of the decoded-weights term (L1 + MSE). Default 1.
    package var weightWeight: Float = 1
    package var seed: UInt64 = 3

    package init() {}
}

/// One step of the image encoder: MSE to the frozen VAE's code of the true weights + (L1 + MSE) of the
/// decoded weights + 30·MSE of the head rotation, on augmented images (shift, brightness).
package struct ImageObjective {
    package let encoder: ImageEncoder
    package let vae: ExpressionVAE
    package let images: FaceImageSet
    package let options: ImageTrainingOptions
    private var generator: RandomGenerator

    package init(encoder: ImageEncoder, vae: ExpressionVAE, images: FaceImageSet, options: ImageTrainingOptions) {
        precondition(images.size == encoder.configuration.imageSize, "images are \(images.size) px, the encoder expects \(encoder.configuration.imageSize)")
        (self.encoder, self.vae, self.images, self.options) = (encoder, vae, images, options)
        generator = RandomGenerator(seed: options.seed &+ 31)
    }

    /// A random batch: indices into the image set.
    package mutating func batchIndices() -> [Int] { (0..<options.batchSize).map { _ in generator.nextInt(below: images.count) } }

    /// The image shifted by up to ±3 pixels (edges repeated) with its brightness scaled by 0.9–1.1, so the
    /// encoder does not memorise exact pixel positions and exposures.
    package mutating func augmented(_ image: RGBImage) -> RGBImage {
        let dx = generator.nextInt(below: 7) - 3, dy = generator.nextInt(below: 7) - 3
        let gain = 0.9 + 0.2 * generator.nextUniform()
        var out = image
        for y in 0..<image.height {
            let sy = min(max(y + dy, 0), image.height - 1)
            for x in 0..<image.width {
                let sx = min(max(x + dx, 0), image.width - 1)
                let target = (y * image.width + x) * 3, source = (sy * image.width + sx) * 3
                for c in 0..<3 {
                    let value: Float = Float(image.pixels[source + c]) * gain
                    out.pixels[target + c] = UInt8(Swift.min(value, 255))
                }
            }
        }
        return out
    }

    package mutating func loss(step: Int) -> (loss: Tensor, parts: [String: Float]) {
        let indices = batchIndices()
        let x = encoder.input(indices.map { augmented(images.image($0)) })
        let w = Tensor(indices.flatMap { Array(images.weights($0)) }, shape: [indices.count, ARKitWeightCount])
        let rotation = Tensor(indices.flatMap { images.rotation($0).values.prefix(3) }, shape: [indices.count, 3])
        let target = withoutGrad { vae.encode(w).mean.contiguous() }
        let z = encoder.configuration.latentSize
        let out = encoder(x)
        let code = out.sliced(axis: 1, 0..<z)
        let pose = out.sliced(axis: 1, z..<(z + 3))
        let latentLoss = Loss.meanSquaredError(code, target)
        let decoded = vae.decode(code)
        let weightLoss = Loss.l1(decoded, w) + Loss.meanSquaredError(decoded, w)
        let poseLoss = Loss.meanSquaredError(pose, rotation)
        // The latent term carries most of the learning signal; L1 on the decoded weights aligns the result
        // with the reported metric (most weights are 0, where MSE alone is lenient). With L1 alone and a
        // small latent weight the encoder settled on decoding near-zero weights for every image.
        return (latentLoss * options.latentWeight + weightLoss * options.weightWeight + poseLoss * options.poseWeight,
                ["z_mse": latentLoss.item(), "w_loss": weightLoss.item(), "pose_mse": poseLoss.item()])
    }
}
