import Foundation
import Media2Face
import Testing

/// A diffusion model refuses to load next to GNPFA weights other than the ones it was trained with.
@Suite(.enabled(if: PipelineFixtures.hasTrainedModel, "needs the trained model in Models/media2face"))
struct PipelineLatentSpaceTests {
    static let shippedGNPFA = PipelineFixtures.trainedModel.deletingLastPathComponent().appendingPathComponent("gnpfa")

    @Test func otherVAEWeightsAreRefusedByName() async throws {
        let copy = PipelineFixtures.folder("other-gnpfa")
        for file in try FileManager.default.contentsOfDirectory(atPath: Self.shippedGNPFA.path) where file.hasSuffix(".json") || file.hasSuffix(".safetensors") {
            try FileManager.default.copyItem(at: Self.shippedGNPFA.appendingPathComponent(file), to: copy.appendingPathComponent(file))
        }
        // Same shapes, other values: a retrained VAE. Flip one byte of the last weight.
        let vae = copy.appendingPathComponent("vae.safetensors")
        var bytes = try Data(contentsOf: vae)
        bytes[bytes.count - 2] ^= 0x01
        try bytes.write(to: vae)
        let configuration = Media2FacePipelineConfiguration(modelDirectory: PipelineFixtures.trainedModel.path, gnpfaDirectory: copy.path)
        do {
            _ = try await Media2FacePipeline.load(configuration: configuration)
            Issue.record("loading succeeded with foreign VAE weights")
        } catch let error as PipelineError {
            guard case .latentSpaceMismatch = error else { Issue.record("wrong error: \(error)"); return }
            #expect(error.localizedDescription.contains(copy.path))
            #expect(error.localizedDescription.contains("--gnpfa"))
        }
    }
}
