import M2FEngine
import M2FFace
import M2FGNPFA

/// Reconstruction quality of an `ExpressionCoding` on held-out frames.
package struct ReconstructionReport: Codable, Sendable, Equatable {
    /// Mean absolute ARKit weight error over all frames and channels.
    package var arkitMAE: Float
    /// Largest single-weight error.
    package var arkitMaxError: Float
    /// Per frame, the largest lip-vertex distance on the default head (mm): mean and 95th percentile.
    package var lipErrorMillimetres: ErrorSummary
    package var frameCount: Int
}

package enum VAEEvaluation {
    /// The held-out sampled set every GNPFA metric uses: `count` frames of the FACS sampler with a seed
    /// no training run uses.
    package static func heldOutSampledFrames(count: Int = 2000) -> Tensor {
        var sampler = ExpressionSampler(seed: 9_000_001)
        return sampler.batch(count)
    }

    /// Encodes and decodes `frames` [N, 52] and compares.
    package static func reconstruction(of frames: Tensor, coder: any ExpressionCoding,
                                      meter: LipErrorMeter = LipErrorMeter()) -> ReconstructionReport {
        let decoded = coder.decode(latents: coder.encode(weights: frames))
        return compare(reference: frames.toArray(), predicted: decoded.toArray(), meter: meter)
    }

    /// Compares F × 52 reference and predicted weights.
    package static func compare(reference: [Float], predicted: [Float], meter: LipErrorMeter = LipErrorMeter()) -> ReconstructionReport {
        precondition(reference.count == predicted.count)
        var sum: Double = 0
        var worst: Float = 0
        for (a, b) in zip(reference, predicted) {
            let e = Swift.abs(a - b)
            sum += Double(e)
            worst = max(worst, e)
        }
        return ReconstructionReport(arkitMAE: Float(sum / Double(max(1, reference.count))), arkitMaxError: worst,
                                    lipErrorMillimetres: ErrorSummary(meter.frameErrors(reference: reference, predicted: predicted)),
                                    frameCount: reference.count / ARKit.count)
    }
}
