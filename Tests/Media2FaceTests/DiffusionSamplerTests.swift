import Foundation
import M2FEngine
import M2FTestSupport
import Testing
import Media2Face

/// The generator end to end on a tiny random-weight model in ARKit logit space: seeds, batching,
/// windows, keyframes, head pose, and bad input.
@Suite struct DiffusionSamplerTests {
    /// A tiny generator whose output layer is non-zero (so outputs depend on inputs).
    static func generator(window: Int = 24, objective: DenoiserObjective = .diffusion) -> Media2FaceGenerator {
        let configuration = DiffusionTestHelpers.tinyConfiguration(window: window, objective: objective)
        let model = Media2FaceDenoiser(configuration, seed: 11)
        model.outputProjection.weight.assign(DiffusionTestHelpers.random([58, 32], seed: 12, std: 0.2))
        let normalization = FrameNormalization(mean: Tensor.full([58], -1), std: Tensor.full([58], 1))
        return Media2FaceGenerator(configuration: DiffusionModelConfiguration(denoiser: configuration, coding: "arkit-logit"),
                                   denoiser: model, normalization: normalization, coding: ARKitLogitCoding())
    }

    static let audio = DiffusionTestHelpers.random([100, 384], seed: 13)
    static let options = GenerationOptions(sampling: SamplingOptions(steps: 6, seed: 1, overlap: 8))

    @Test func seededAndShaped() throws {
        let g = Self.generator()
        let a = try g.generate(audioFeatures: Self.audio, style: .emotion(.happy, intensity: 0.8), options: Self.options)
        let b = try g.generate(audioFeatures: Self.audio, style: .emotion(.happy, intensity: 0.8), options: Self.options)
        var other = Self.options
        other.sampling.seed = 2
        let c = try g.generate(audioFeatures: Self.audio, style: .emotion(.happy, intensity: 0.8), options: other)
        #expect(a.weights.shape == [100, 52] && a.headPose.shape == [100, 6] && a.latents.shape == [100, 52])
        #expect(a.weights.toArray() == b.weights.toArray())
        #expect(a.weights.toArray() != c.weights.toArray())
        #expect(a.weights.toArray().allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(a.timings.sampling > 0 && a.timings.total >= a.timings.sampling)
        var still = Self.options
        still.headPose = false
        #expect(try g.generate(audioFeatures: Self.audio, style: .none, options: still).headPose.toArray().allSatisfy { $0 == 0 })
    }

    @Test func chunkingTheBatchChangesNothing() throws {
        let g = Self.generator()
        var small = Self.options
        small.sampling.maximumBatch = 3     // one window per forward
        let whole = try g.generate(audioFeatures: Self.audio, style: .text(embedding: [Float](repeating: 0.05, count: 384)), options: Self.options)
        let chunked = try g.generate(audioFeatures: Self.audio, style: .text(embedding: [Float](repeating: 0.05, count: 384)), options: small)
        #expect(Closeness.maxAbsoluteError(whole.weights, chunked.weights) <= 1e-5)
    }

    @Test func windowJoinsShowNoSeam() throws {
        let g = Self.generator()
        let frames = 600
        let audio = Tensor((0..<frames).flatMap { t in (0..<384).map { c in Foundation.sin(Float(t) * 0.05 + Float(c) * 0.3) } }, shape: [frames, 384])
        // At the paper's guidance (extrapolation makes joins harder to hide) and at the default.
        // Both rests (the neutral emotion's token or the null token in the audio branch).
        for (audioGuidance, styleGuidance) in [(Float(2.5), Float(1.5)), (SamplingOptions.defaultAudioGuidance, SamplingOptions.defaultStyleGuidance)] {
            for neutralRest in [true, false] {
                var options = Self.options
                options.sampling.audioGuidance = audioGuidance
                options.sampling.styleGuidance = styleGuidance
                options.neutralRest = neutralRest
                try expectNoSeam(try g.generate(audioFeatures: audio, style: .none, options: options), frames: frames)
            }
        }
    }

    /// Velocities at window joins against those inside windows: a seam is a jump at the joins beyond the
    /// motion elsewhere (a seam is a jump several times the clip's speeds). The largest join speed stays
    /// within 5 % of the largest inside speed (600 frames of a random model: the two maxima are drawn
    /// from the same distribution, so a tighter margin fails by chance: 1.6 % over with the neutral rest)
    /// and the mean join speed at or below the inside p95.
    func expectNoSeam(_ motion: GeneratedMotion, frames: Int) throws {
        let plan = WindowPlan(frameCount: frames, windowLength: 24, overlap: 8)
        let joins = Set(plan.starts.dropFirst().flatMap { start in (start - 1)...(start + 8) })
        var joinVelocity: [Float] = [], insideVelocity: [Float] = []
        for channel in 0..<52 {
            for (frame, v) in DiffusionTestHelpers.velocities(motion.weights, channel: channel).enumerated() {
                if joins.contains(frame + 1) { joinVelocity.append(v) } else { insideVelocity.append(v) }
            }
        }
        insideVelocity.sort()
        let insideMax = insideVelocity[insideVelocity.count - 1], insideP95 = insideVelocity[insideVelocity.count * 95 / 100]
        #expect(joinVelocity.max()! <= insideMax * 1.05)
        #expect(joinVelocity.reduce(0, +) / Float(joinVelocity.count) <= insideP95)
    }

    @Test func keyframesAreHit() throws {
        let g = Self.generator()
        let keyframes = [Keyframe(time: 1.0, channels: [26: 0, 24: 0.6]), Keyframe(time: 2.0, channels: [43: 0.9, 44: 0.9])]
        let motion = try g.generate(audioFeatures: Self.audio, style: .none, keyframes: keyframes, options: Self.options)
        let w = motion.weights.toArray()
        let errors = [Swift.abs(w[30 * 52 + 26] - 0), Swift.abs(w[30 * 52 + 24] - 0.6), Swift.abs(w[60 * 52 + 43] - 0.9), Swift.abs(w[60 * 52 + 44] - 0.9)]
        #expect(errors.max()! <= 0.02)
    }

    @Test func regressionBaselineSamplesInOnePass() throws {
        let g = Self.generator(objective: .regression)
        var steps = 0
        let motion = try g.generate(audioFeatures: Self.audio, style: .none, options: Self.options) { done, _ in steps = done }
        #expect(steps == 1 && motion.weights.shape == [100, 52])
    }

    @Test func badInputIsATypedError() {
        let g = Self.generator()
        func attempt(_ features: Tensor = Self.audio, style: StyleCondition = .none, _ change: (inout SamplingOptions) -> Void = { _ in }) throws {
            var options = Self.options
            change(&options.sampling)
            _ = try g.generate(audioFeatures: features, style: style, options: options)
        }
        #expect(throws: DiffusionError.self) { try attempt(Tensor.zeros([0, 384])) }
        #expect(throws: DiffusionError.self) { try attempt(Tensor.zeros([10, 80])) }
        #expect(throws: DiffusionError.self) { try attempt(Tensor.full([10, 384], .nan)) }
        #expect(throws: DiffusionError.self) { try attempt { $0.steps = 0 } }
        #expect(throws: DiffusionError.self) { try attempt { $0.steps = 1000 } }
        #expect(throws: DiffusionError.self) { try attempt { $0.audioGuidance = .nan } }
        #expect(throws: DiffusionError.self) { try attempt { $0.styleGuidance = -1 } }
        #expect(throws: DiffusionError.self) { try attempt { $0.overlap = 24 } }
        #expect(throws: DiffusionError.self) { try attempt(style: .text(embedding: [1, 2, 3])) }
        #expect(throws: DiffusionError.self) { try attempt(style: .emotion(.sad, intensity: 3)) }
        #expect(throws: DiffusionError.self) { try attempt(style: .image(code: [Float](repeating: 0, count: 8))) }
    }

    @Test func veryShortAudioWorks() throws {
        let motion = try Self.generator().generate(audioFeatures: DiffusionTestHelpers.random([3, 384], seed: 2), style: .none, options: Self.options)
        #expect(motion.weights.shape == [3, 52])
    }
}
