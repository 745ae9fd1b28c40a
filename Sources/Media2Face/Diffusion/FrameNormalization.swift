import M2FEngine

/// Per-channel statistics of the training frames ([Z latent + 6 head pose]): the denoiser works on
/// (x − mean) / std so every channel has unit scale. Saved in the model file under
/// `normalization.mean` [D] and `normalization.std` [D].
package struct FrameNormalization: Sendable {
    /// [D]
    package let mean: Tensor
    /// [D], each ≥ `minimumStd`.
    package let std: Tensor

    /// Channels that hardly move in the data are not blown up: std is floored at this value.
    package static let minimumStd: Float = 1e-3

    package init(mean: Tensor, std: Tensor) {
        precondition(mean.rank == 1 && mean.shape == std.shape, "normalization mean \(mean.shape) and std \(std.shape)")
        self.mean = mean.contiguous()
        self.std = std.contiguous()
    }

    /// The identity normalisation for D channels (mean 0, std 1).
    package static func identity(size: Int) -> FrameNormalization {
        FrameNormalization(mean: .zeros([size]), std: .ones([size]))
    }

    /// Mean and floored standard deviation over the rows of [N, D] frames (Double accumulation).
    /// - Parameter weights: one per block (each row of block k counts weights[k] times); nil: all 1.
    package static func fit(_ frames: [Tensor], weights: [Double]? = nil) -> FrameNormalization {
        precondition(!frames.isEmpty, "normalization needs frames")
        precondition(weights == nil || weights!.count == frames.count, "one weight per block")
        let d = frames[0].shape[1]
        var sum = [Double](repeating: 0, count: d), sumSquares = [Double](repeating: 0, count: d)
        var n = 0.0
        for (k, block) in frames.enumerated() {
            let w = weights?[k] ?? 1
            precondition(block.rank == 2 && block.shape[1] == d, "frames \(block.shape) are not [N, \(d)]")
            let values = block.toArray()
            for row in 0..<block.shape[0] {
                for c in 0..<d {
                    let v = Double(values[row * d + c])
                    sum[c] += w * v
                    sumSquares[c] += w * v * v
                }
            }
            n += w * Double(block.shape[0])
        }
        let total = n > 0 ? n : 1
        let mean = sum.map { $0 / total }
        let std = (0..<d).map { c in Float(max(sumSquares[c] / total - mean[c] * mean[c], 0).squareRoot()) }
        return FrameNormalization(mean: Tensor(mean.map(Float.init), shape: [d]),
                                  std: Tensor(std.map { max($0, minimumStd) }, shape: [d]))
    }

    /// D, the channels.
    package var size: Int { mean.shape[0] }

    /// (x − mean) / std for x [..., D].
    package func normalize(_ x: Tensor) -> Tensor { (x - mean) / std }

    /// x · std + mean for x [..., D].
    package func denormalize(_ x: Tensor) -> Tensor { x * std + mean }

    /// The first `count` channels' statistics (e.g. the latent part), as a normalisation of its own.
    package func prefix(_ count: Int) -> FrameNormalization {
        FrameNormalization(mean: mean.sliced(axis: 0, 0..<count), std: std.sliced(axis: 0, 0..<count))
    }

    /// Tensors to save: `normalization.mean`, `normalization.std`.
    package var tensors: [String: Tensor] { ["normalization.mean": mean, "normalization.std": std] }

    /// These statistics with channels `range` taken from `other` (e.g. the head pose refitted on new data
    /// while the expression latents keep the units a trained model works in).
    package func replacing(_ range: Range<Int>, from other: FrameNormalization) -> FrameNormalization {
        var m = mean.toArray(), s = std.toArray()
        let om = other.mean.toArray(), os = other.std.toArray()
        for c in range { (m[c], s[c]) = (om[c], os[c]) }
        return FrameNormalization(mean: Tensor(m, shape: [m.count]), std: Tensor(s, shape: [s.count]))
    }
}
