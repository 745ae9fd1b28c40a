import Foundation
import GNPFATraining
import M2FEngine
import M2FFace
import Testing
import M2FGNPFA

/// The committed weights under Models/gnpfa: strict loading, and held-out quality bounds.
/// Bounds sit above the measured values (docs/ARCHITECTURE.md, GNPFA) with margin for platform noise.
@Suite("Committed GNPFA model")
struct CommittedModelTests {
    static let model: GNPFAModel? = try? GNPFAModel.loadDefault()

    @Test func loadsStrictly() throws {
        let model = try GNPFAModel.loadDefault()
        #expect(model.latentSize == model.configuration.vae.latentSize)
        #expect(model.vae.namedParameters().count == 2 * (model.configuration.vae.hiddenLayers + 1) * 2)
    }

    /// 500 held-out sampled frames: mean ARKit error below 0.03, lip error (largest lip vertex) below 2 mm on average.
    @Test func reconstructsHeldOutFrames() throws {
        let model = try #require(Self.model)
        let frames = VAEEvaluation.heldOutSampledFrames(count: 500)
        let report = VAEEvaluation.reconstruction(of: frames, coder: model)
        #expect(report.arkitMAE < 0.03, "ARKit MAE \(report.arkitMAE)")
        #expect(report.lipErrorMillimetres.mean < 2.0, "lip error \(report.lipErrorMillimetres.mean) mm")
        // Encoding is deterministic (the mean, no sampling).
        #expect(model.encode(weights: frames).toArray() == model.encode(weights: frames).toArray())
    }

    /// Straight lines between codes decode inside [0, 1] and almost every channel moves one way.
    @Test func interpolationStaysValidAndMonotone() throws {
        let model = try #require(Self.model)
        let report = LatentInterpolation.measure(coder: model, pairs: 60, steps: 24)
        #expect(report.allInRange)
        #expect(report.monotoneShare > 0.9, "monotone share \(report.monotoneShare)")
    }

    @Test func badInputsThrow() throws {
        let model = try #require(Self.model)
        #expect(throws: GNPFAError.self) { try model.encodeValidated(weights: Tensor.zeros([3, 51])) }
        #expect(throws: GNPFAError.self) { try model.encodeValidated(weights: Tensor.full([2, 52], 1.5)) }
        #expect(throws: GNPFAError.self) { try model.decodeValidated(latents: Tensor.zeros([2, model.latentSize + 1])) }
        #expect(try model.decodeValidated(latents: Tensor.zeros([2, model.latentSize])).shape == [2, 52])
    }

    /// A missing folder, a missing weights file and a tampered checkpoint each fail with a clear error.
    @Test func brokenFoldersThrow() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("gnpfa-absent-\(UUID().uuidString)")
        #expect(throws: GNPFAError.self) { try GNPFAModel(directory: missing) }

        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("gnpfa-copy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: copy) }
        let source = GNPFAModel.defaultDirectory
        try FileManager.default.copyItem(at: source.appendingPathComponent("config.json"), to: copy.appendingPathComponent("config.json"))
        do {
            _ = try GNPFAModel(directory: copy)
            Issue.record("loading without vae.safetensors succeeded")
        } catch let error as GNPFAError {
            #expect(error.localizedDescription.contains("vae.safetensors"))
        }
        var tensors = try SafeTensorsFile(path: source.appendingPathComponent("vae.safetensors").path).allTensors()
        tensors["encoder.layers.9.weight"] = Tensor.zeros([1])
        try SafeTensors.write(tensors, to: copy.appendingPathComponent("vae.safetensors").path)
        #expect(throws: EngineError.self) { try GNPFAModel(directory: copy) }
        try Data("{\"format\": \"other\"}".utf8).write(to: copy.appendingPathComponent("config.json"))
        #expect(throws: GNPFAError.self) { try GNPFAModel(directory: copy) }
    }
}

/// The committed geometry encoder on held-out identities (2 of the 6 held-out heads: building a head
/// dominates the test's time).
/// Measured with all 6 (docs/ARCHITECTURE.md): ratio 0.037, ARKit MAE 0.0128, pose error 0.06°.
@Suite("Committed geometry encoder")
struct CommittedGeometryTests {
    @Test func disentangledAccurateAndPoseFree() throws {
        let model = try GNPFAModel.loadDefault()
        let encoder = try #require(model.geometryEncoder, "Models/gnpfa has no geometry encoder")
        let heads = GNPFAHeldOut.identities.prefix(2).map { ReducedHead(identity: $0, configuration: encoder.configuration) }
        let ratio = GNPFAEvaluation.disentanglement(encoder: encoder, heads: heads, expressions: 20)
        #expect(ratio.ratio < 0.08, "disentanglement ratio \(ratio.ratio)")
        let report = GNPFAEvaluation.geometry(model: model, encoder: encoder, heads: heads, count: 100)
        #expect(report.arkitMAE < 0.02, "geometry ARKit MAE \(report.arkitMAE)")
        #expect(report.poseErrorDegrees < 0.5, "pose error \(report.poseErrorDegrees)°")
    }
}
