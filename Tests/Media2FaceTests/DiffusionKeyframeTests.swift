import Foundation
import M2FEngine
import M2FTestSupport
import Testing
import Media2Face

/// Keyframes: latent targets by Gauss–Newton through the decoder, the exact smooth ARKit-space hit,
/// and validation. The decoder is `ARKitLogitCoding` (a sigmoid: non-linear and saturating).
@Suite struct DiffusionKeyframeTests {
    let coding = ARKitLogitCoding()
    let normalization = FrameNormalization(mean: Tensor.full([52], -1), std: Tensor.full([52], 2))

    @Test func partialTargetsAreReachedThroughTheDecoder() throws {
        let keyframes = [Keyframe(time: 0.5, channels: [26: 0.0, 24: 0.7]), Keyframe(time: 1.0, channels: [43: 0.9])]
        let constraints = try KeyframeConstraints(keyframes: keyframes, frameCount: 60, fps: 30, coding: coding,
                                                  latentNormalization: normalization)
        #expect(constraints.frames == [15, 30])
        let prediction = DiffusionTestHelpers.random([60, 58], seed: 3, std: 0.5)
        let latents = constraints.latentTargets(prediction: prediction)       // normalised [2, 52]
        let decoded = coding.decode(latents: normalization.denormalize(latents)).toArray()
        #expect(Swift.abs(decoded[24] - 0.7) < 0.01)
        #expect(decoded[26] < 0.05)                        // saturating target: close, the snap does the rest
        #expect(Swift.abs(decoded[52 + 43] - 0.9) < 0.01)
        // Unconstrained channels stay near the prediction.
        let start = coding.decode(latents: normalization.denormalize(prediction.gathered(axis: 0, indices: [15]).sliced(axis: 1, 0..<52))).toArray()
        let moved = (0..<52).filter { ![24, 26].contains($0) }.map { Swift.abs(decoded[$0] - start[$0]) }.max()!
        #expect(moved < 0.02)
    }

    @Test func fullFramesEncodeToTheirWeights() throws {
        var generator = RandomGenerator(seed: 4)
        let weights = (0..<52).map { _ in 0.05 + 0.9 * generator.nextUniform() }
        let keyframe = Keyframe(time: 0.2, channels: Dictionary(uniqueKeysWithValues: weights.enumerated().map { ($0.offset, $0.element) }))
        let constraints = try KeyframeConstraints(keyframes: [keyframe], frameCount: 30, fps: 30, coding: coding, latentNormalization: normalization)
        let latents = constraints.latentTargets(prediction: Tensor.zeros([30, 58]))
        let decoded = coding.decode(latents: normalization.denormalize(latents)).toArray()
        #expect(zip(decoded, weights).map { Swift.abs($0 - $1) }.max()! < 1e-3)
    }

    @Test func snappingHitsTargetsExactlyAndSmoothly() throws {
        let keyframes = [Keyframe(time: 1, channels: [26: 0]), Keyframe(time: 1.2, channels: [26: 0.1]), Keyframe(time: 3, channels: [24: 0.8])]
        let constraints = try KeyframeConstraints(keyframes: keyframes, frameCount: 120, fps: 30, coding: coding, latentNormalization: normalization)
        let smooth = Tensor((0..<120).flatMap { t in (0..<52).map { c in 0.4 + 0.1 * Foundation.sin(Float(t) * 0.1 + Float(c)) } }, shape: [120, 52])
        let snapped = constraints.snapping(smooth)
        let v = snapped.toArray()
        #expect(v[30 * 52 + 26] == 0 && Swift.abs(v[36 * 52 + 26] - 0.1) < 1e-6 && Swift.abs(v[90 * 52 + 24] - 0.8) < 1e-6)
        // Velocity near the keyframes stays within the residual spread over the taper, no spike.
        let before = DiffusionTestHelpers.velocities(smooth, channel: 24).max()!
        let after = DiffusionTestHelpers.velocities(snapped, channel: 24).max()!
        #expect(after < before + 0.45 / 3)                 // residual ≈ 0.4–0.5 spread over ~6 frames
        // Frames far from every keyframe are untouched.
        #expect(v[0 * 52 + 26] == smooth.toArray()[26] && v[60 * 52 + 5] == smooth.toArray()[60 * 52 + 5])
    }

    @Test func badKeyframesAreTypedErrors() {
        func make(_ keyframe: Keyframe) throws {
            _ = try KeyframeConstraints(keyframes: [keyframe], frameCount: 30, fps: 30, coding: coding, latentNormalization: normalization)
        }
        #expect(throws: DiffusionError.self) { try make(Keyframe(time: 2, channels: [0: 0.5])) }      // after the end
        #expect(throws: DiffusionError.self) { try make(Keyframe(time: -0.1, channels: [0: 0.5])) }
        #expect(throws: DiffusionError.self) { try make(Keyframe(time: 0.1, channels: [52: 0.5])) }
        #expect(throws: DiffusionError.self) { try make(Keyframe(time: 0.1, channels: [3: 1.5])) }
        #expect(throws: DiffusionError.self) { try make(Keyframe(time: 0.1, channels: [3: .nan])) }
        #expect(throws: DiffusionError.self) { try make(Keyframe(time: 0.1, channels: [:])) }
    }
}
