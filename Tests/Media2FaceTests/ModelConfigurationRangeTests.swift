import Foundation
import M2FEngine
import Media2Face
import Testing

/// Issue 19: a model's config.json was trusted (fps 0 → SIGFPE, fps 1e9 → a 208 GB allocation, width
/// −128 → SIGSEGV, numLayers 10⁶ → 15 GB, numHeads 3 → SGEMM errors and wrong output with exit 0,
/// diffusionSteps 0 → "--steps 10 is out of range; allowed: 1 … 0"). Each field is now checked, and
/// the error names the file and the field.
@Suite(.enabled(if: PipelineFixtures.hasTrainedModel, "needs the trained model in Models/media2face"))
struct ModelConfigurationRangeTests {
    /// The committed config.json with one denoiser field replaced.
    static func config(_ field: String, _ value: Any) throws -> Data {
        let data = try Data(contentsOf: PipelineFixtures.trainedModel.appendingPathComponent("config.json"))
        var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var denoiser = try #require(json["denoiser"] as? [String: Any])
        denoiser[field] = value
        json["denoiser"] = denoiser
        return try JSONSerialization.data(withJSONObject: json)
    }

    @Test(arguments: [
        ("fps", "0", "fps is 0.0"), ("fps", "-30", "fps is -30.0"), ("fps", "1e9", "fps is 1000000000.0"),
        ("numHeads", "0", "numHeads is 0"), ("numHeads", "3", "width 128 must be a multiple of numHeads 3"),
        ("width", "-128", "width is -128"), ("numLayers", "1000000", "numLayers is 1000000"),
        ("diffusionSteps", "0", "diffusionSteps is 0"), ("latentSize", "-1", "latentSize is -1"),
        ("poseSize", "0", "poseSize is 0"), ("mlpRatio", "1099511627776", "mlpRatio is"), ("windowLength", "0", "windowLength is 0"),
        ("audioFeatureSize", "0", "audioFeatureSize is 0"), ("textEmbeddingSize", "-384", "textEmbeddingSize is -384"),
        ("emotionCount", "0", "emotionCount is 0"),
    ])
    func fieldOutOfRangeIsRefused(field: String, value: String, message: String) throws {
        let data = try Self.config(field, try JSONSerialization.jsonObject(with: Data(value.utf8), options: .fragmentsAllowed))
        do {
            _ = try DiffusionModelFile.configuration(from: data, file: "/models/bad/config.json")
            Issue.record("\(field) = \(value) was accepted")
        } catch let error as DiffusionError {
            #expect(error.localizedDescription.contains("/models/bad/config.json"), "\(error.localizedDescription)")
            #expect(error.localizedDescription.contains(message), "\(error.localizedDescription)")
        }
    }

    @Test func theCommittedConfigurationIsInRange() throws {
        let configuration = try DiffusionModelFile.configuration(in: PipelineFixtures.trainedModel)
        #expect(configuration.denoiser.rangeProblem == nil)
    }

    /// numLayers 64 is in range, but the weights file cannot hold such a model: refused before the
    /// denoiser is allocated, naming both files.
    @Test func configLargerThanItsWeightsIsRefusedBeforeAllocating() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-bigconfig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.config("numLayers", 64).write(to: folder.appendingPathComponent("config.json"))
        try FileManager.default.copyItem(at: PipelineFixtures.trainedModel.appendingPathComponent("model.safetensors"),
                                         to: folder.appendingPathComponent("model.safetensors"))
        do {
            _ = try DiffusionModelFile.load(from: folder)
            Issue.record("a 64-layer config over 4-layer weights was accepted")
        } catch let error as DiffusionError {
            #expect(error.localizedDescription.contains("do not belong together"), "\(error.localizedDescription)")
        }
    }
}
