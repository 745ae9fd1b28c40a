import Foundation
import M2FEngine
import M2FTestSupport
import Testing
import M2FGNPFA
import Media2Face

/// Shapes, checkpoint keys, strict loading and the model directory round trip.
@Suite struct DiffusionDenoiserTests {
    @Test func outputShapeAndUntrainedOutputIsTheMean() {
        let configuration = DiffusionTestHelpers.tinyConfiguration()
        let model = Media2FaceDenoiser(configuration, seed: 3)
        let noisy = DiffusionTestHelpers.random([3, 24, 58], seed: 1)
        let audio = DiffusionTestHelpers.random([3, 24, 384], seed: 2)
        let style = model.style([.none, .emotion(.sad, intensity: 0.5), .text(embedding: [Float](repeating: 0.05, count: 384))])
        let out = withoutGrad {
            model(noisy: noisy, stepEmbedding: model.stepEmbedding([5, 50, 99]), condition: model.audioCondition(features: audio) + style.unsqueezed(1))
        }
        #expect(out.shape == [3, 24, 58])
        // output_proj starts at zero: an untrained model predicts x̂₀ = 0 (the normalised data mean).
        #expect(out.toArray().allSatisfy { $0 == 0 })
    }

    @Test func checkpointKeysAreDeclared() {
        let model = Media2FaceDenoiser(DiffusionTestHelpers.tinyConfiguration())
        let keys = Dictionary(uniqueKeysWithValues: model.namedParameters().map { ($0.key, $0.parameter.shape) })
        #expect(keys["input_proj.weight"] == [32, 58])
        #expect(keys["audio_proj.weight"] == [32, 384])
        #expect(keys["null_audio"] == [32])
        #expect(keys["style.text_proj.weight"] == [32, 384])
        #expect(keys["style.image_proj.weight"] == [32, 52])
        #expect(keys["style.emotion_proj.weight"] == [32, 8])
        #expect(keys["style.null_token"] == [32])
        #expect(keys["time_mlp.fc1.weight"] == [32, 32] && keys["time_mlp.fc2.bias"] == [32])
        #expect(keys["encoder.layers.1.self_attn.q_proj.weight"] == [32, 32])
        #expect(keys["encoder.layers.0.mlp.fc1.weight"] == [64, 32])
        #expect(keys["encoder.norm.weight"] == [32])
        #expect(keys["output_proj.weight"] == [58, 32])
        #expect(keys.count == 18 + 2 * 16 + 2)
    }

    @Test func modelDirectoryRoundTripIsExact() throws {
        let configuration = DiffusionTestHelpers.tinyConfiguration()
        let model = Media2FaceDenoiser(configuration, seed: 4)
        // Non-zero output weights so the comparison means something.
        model.outputProjection.weight.assign(DiffusionTestHelpers.random([58, 32], seed: 9, std: 0.1))
        let normalization = FrameNormalization(mean: DiffusionTestHelpers.random([58], seed: 5), std: Tensor.full([58], 2))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-diffusion-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try DiffusionModelFile.save(configuration: DiffusionModelConfiguration(denoiser: configuration, coding: "arkit-logit"),
                                    denoiser: model, normalization: normalization, to: directory)
        let loaded = try DiffusionModelFile.load(from: directory)
        #expect(loaded.configuration.denoiser == configuration)
        #expect(loaded.normalization.mean.toArray() == normalization.mean.toArray())
        let noisy = DiffusionTestHelpers.random([2, 24, 58], seed: 6), audio = DiffusionTestHelpers.random([2, 24, 384], seed: 7)
        func run(_ m: Media2FaceDenoiser) -> [Float] {
            withoutGrad { m(noisy: noisy, stepEmbedding: m.stepEmbedding([10, 20]), condition: m.audioCondition(features: audio)) }.toArray()
        }
        #expect(run(loaded.denoiser) == run(model))
        // The generator refuses a coding of another latent size, naming both sizes.
        #expect(throws: DiffusionError.latentSizeMismatch(path: directory.path, model: 52, coding: 16)) {
            _ = try Media2FaceGenerator(directory: directory, coding: FixedSizeCoding(latentSize: 16))
        }
    }

    @Test func missingOrBrokenModelFilesAreTypedErrors() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-diffusion-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: DiffusionError.missingModelFile(path: directory.appendingPathComponent("config.json").path)) {
            _ = try DiffusionModelFile.load(from: directory)
        }
        try Data("{\"format\": 3}".utf8).write(to: directory.appendingPathComponent("config.json"))
        do {
            _ = try DiffusionModelFile.load(from: directory)
            Issue.record("a malformed config.json was accepted")
        } catch let error as DiffusionError {
            guard case .invalidConfiguration = error else { Issue.record("unexpected \(error)"); return }
            #expect(error.localizedDescription.contains("config.json"))
        }
    }

    /// A coding of a chosen size for the size check only (never decoded).
    struct FixedSizeCoding: ExpressionCoding {
        let latentSize: Int
        func encode(weights: Tensor) -> Tensor { .zeros([weights.shape[0], latentSize]) }
        func decode(latents: Tensor) -> Tensor { .zeros([latents.shape[0], 52]) }
    }
}
