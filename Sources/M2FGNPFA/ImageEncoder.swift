import Foundation
import M2FEngine
import M2FFace
import M2FNeural

/// Architecture of the image encoder.
package struct ImageEncoderConfiguration: Codable, Sendable, Equatable {
    /// Square input size in pixels (images are resized to it). Default 64.
    package var imageSize: Int
    /// Output channels of the stride-2 3×3 convolutions. Default [16, 32, 64, 96] (64 → 4 pixels).
    package var channels: [Int]
    /// Hidden width of the head. Default 256.
    package var hiddenSize: Int
    /// Z, equal to the VAE's.
    package var latentSize: Int

    package init(imageSize: Int = 64, channels: [Int] = [16, 32, 64, 96], hiddenSize: Int = 256, latentSize: Int) {
        (self.imageSize, self.channels, self.hiddenSize, self.latentSize) = (imageSize, channels, hiddenSize, latentSize)
    }

    /// Side of the last feature map: the image size halved once per convolution (rounding up).
    package var featureSize: Int { channels.reduce(imageSize) { size, _ in (size + 1) / 2 } }
}

/// Image → expression code and head rotation: a small CNN on an RGB face image framed like the
/// default head's `Camera.face` renders.
///
/// [B, 3, S, S] (pixels / 255, centred: (x − 0.5) / 0.25) → 3×3 stride-2 convolutions, each followed by
/// SiLU → flattened (dropout 0.2 while training) → MLP → [B, Z + 3]: the code, then yaw, pitch, roll in
/// radians.
///
/// Keys: `convs.<i>.{weight [C_i, C_{i−1}, 3, 3], bias}`, `head.layers.<j>.{weight, bias}`.
package final class ImageEncoder: Module {
    package let configuration: ImageEncoderConfiguration
    /// `convs.<i>`
    package let convs: [Conv2d]
    /// `head.*`: C_last·F·F → hidden → Z + 3
    package let head: FeedForwardStack
    /// Dropout on the flattened features while training (no parameters).
    package let dropout: Dropout
    package var isTraining = false

    package init(_ configuration: ImageEncoderConfiguration, generator: inout RandomGenerator) {
        self.configuration = configuration
        var made: [Conv2d] = []
        var previous = 3
        for c in configuration.channels {
            made.append(Conv2d(Conv2dConfiguration(inputChannels: previous, outputChannels: c, kernelSize: 3, stride: 2, padding: 1), generator: &generator))
            previous = c
        }
        convs = made
        let flat = previous * configuration.featureSize * configuration.featureSize
        head = FeedForwardStack(sizes: [flat, configuration.hiddenSize, configuration.latentSize + 3], generator: &generator)
        dropout = Dropout(probability: 0.2, seed: generator.nextUInt64())
    }

    package var children: [(key: String, module: any Module)] {
        convs.enumerated().map { ("convs.\($0.offset)", $0.element as any Module) } + [("head", head), ("dropout", dropout)]
    }

    /// [B, 3, S, S] normalised images → [B, Z + 3].
    package func callAsFunction(_ images: Tensor) -> Tensor {
        var h = images
        for conv in convs { h = conv(h).silu() }
        return head(dropout(h.reshaped([h.shape[0], -1])))
    }

    /// Images → the network input [B, 3, S, S]; each is resized (bilinear) to S×S when it differs.
    package func input(_ images: [RGBImage]) -> Tensor {
        let size = configuration.imageSize
        var values = [Float]()
        values.reserveCapacity(images.count * 3 * size * size)
        for image in images {
            let resized = image.width == size && image.height == size ? image : image.resized(width: size, height: size)
            for channel in 0..<3 {
                for i in 0..<(size * size) { values.append((Float(resized.pixels[i * 3 + channel]) / 255 - 0.5) / 0.25) }
            }
        }
        return Tensor(values, shape: [images.count, 3, size, size])
    }

    /// Codes [B, Z] and head poses (rotation only; translation 0) of face images.
    package func encode(_ images: [RGBImage]) -> (latents: Tensor, poses: [HeadPose]) {
        let z = configuration.latentSize
        let out = withoutGrad { self(input(images)) }
        let values = out.toArray()
        let poses = (0..<images.count).map { b in
            HeadPose(yaw: values[b * (z + 3) + z], pitch: values[b * (z + 3) + z + 1], roll: values[b * (z + 3) + z + 2])
        }
        return (out.sliced(axis: 1, 0..<z).contiguous(), poses)
    }
}

extension RGBImage {
    /// Bilinear resize (pixel centres aligned, edges clamped).
    package func resized(width newWidth: Int, height newHeight: Int) -> RGBImage {
        var out = RGBImage(width: newWidth, height: newHeight)
        let sx = Float(width) / Float(newWidth), sy = Float(height) / Float(newHeight)
        for y in 0..<newHeight {
            let fy = min(max((Float(y) + 0.5) * sy - 0.5, 0), Float(height - 1))
            let y0 = Int(fy), y1 = min(y0 + 1, height - 1), ty = fy - Float(y0)
            for x in 0..<newWidth {
                let fx = min(max((Float(x) + 0.5) * sx - 0.5, 0), Float(width - 1))
                let x0 = Int(fx), x1 = min(x0 + 1, width - 1), tx = fx - Float(x0)
                for c in 0..<3 {
                    func p(_ xx: Int, _ yy: Int) -> Float { Float(pixels[(yy * width + xx) * 3 + c]) }
                    let top = p(x0, y0) + (p(x1, y0) - p(x0, y0)) * tx
                    let bottom = p(x0, y1) + (p(x1, y1) - p(x0, y1)) * tx
                    out.pixels[(y * newWidth + x) * 3 + c] = UInt8(min(max((top + (bottom - top) * ty).rounded(), 0), 255))
                }
            }
        }
        return out
    }
}
