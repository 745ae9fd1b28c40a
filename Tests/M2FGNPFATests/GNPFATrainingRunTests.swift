import Foundation
import GNPFATraining
import M2FGNPFA
import Testing

/// `m2f train gnpfa`'s orchestration as a library: a short VAE stage writes a model folder that loads,
/// reports its held-out metrics, shows progress, and a resumed run continues from the checkpoint.
@Suite("GNPFA training run")
struct GNPFATrainingRunTests {
    func shortRun(_ directory: URL) -> GNPFATrainingRun {
        var run = GNPFATrainingRun(outputDirectory: directory, seed: 5)
        run.stages = [.vae]
        run.vaeArchitecture = ExpressionVAEConfiguration(latentSize: 4, hiddenSize: 16)
        run.vae.steps = 40
        return run
    }

    @Test func vaeStageWritesALoadableModelAndItsReport() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gnpfa-run-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var steps: [Int] = []
        var reports: [GNPFAStageReport] = []
        try shortRun(directory).run(events: { event in
            if case .progress(let p) = event { steps.append(p.step) }
        }, stageFinished: { reports.append($0) })

        #expect(steps.last == 40)
        #expect(reports.count == 1)
        let fields = try #require(reports.first?.fields)
        #expect(fields["stage"] as? String == "vae")
        #expect(fields["steps"] as? Int == 40)
        let mae = try #require(fields["sampled_arkit_mae"] as? Float)
        #expect(mae.isFinite && mae > 0 && mae < 0.5)
        let line = try #require(reports.first).jsonLine()
        #expect(line.hasPrefix("{\"closure_weight\":"))
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("checkpoints/vae.safetensors").path))

        let model = try GNPFAModel(directory: directory)
        #expect(model.latentSize == 4)
    }

    /// A resumed run whose checkpoint is already at the last step trains nothing more and writes the same weights.
    @Test func resumeContinuesFromTheCheckpoint() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gnpfa-resume-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try shortRun(directory).run(stageFinished: { _ in })
        let weights = directory.appendingPathComponent(GNPFAConfiguration.vaeFile)
        let first = try Data(contentsOf: weights)

        var resumed = shortRun(directory)
        resumed.resume = true
        var steps: [Int] = []
        try resumed.run(events: { if case .progress(let p) = $0 { steps.append(p.step) } }, stageFinished: { _ in })
        #expect(steps.isEmpty)
        #expect(try Data(contentsOf: weights) == first)
    }
}
