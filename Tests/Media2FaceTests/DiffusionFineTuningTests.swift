import Foundation
import M2FEngine
import Media2FaceTraining
import Testing
import Media2Face

/// Fine-tuning (`m2f train diffusion --init DIR`) and mixing datasets (`--data A --data B --data-share`):
/// on small datasets written with the store's own writers.
@Suite struct DiffusionFineTuningTests {
    let window = 24

    func run(data: [URL], output: URL, initDirectory: URL? = nil, steps: Int, learningRate: Float, seed: UInt64 = 1) throws {
        try DiffusionTrainingRun(dataDirectories: data, initDirectory: initDirectory, outputDirectory: output, gnpfaDirectory: nil,
                                 architecture: { DiffusionTestHelpers.tinyConfiguration(window: window, latentSize: $0) },
                                 training: DiffusionTrainingConfiguration(steps: steps, batchSize: 2, peakLearningRate: learningRate,
                                                                          warmupSteps: 1, checkpointEvery: 1000, seed: seed),
                                 resume: false, maxMinutes: nil, command: "test").run()
    }

    func largestDifference(_ a: URL, _ b: URL) throws -> Float {
        let x = try DiffusionModelFile.load(from: a).denoiser.parameterTensors(), y = try DiffusionModelFile.load(from: b).denoiser.parameterTensors()
        #expect(Set(x.keys) == Set(y.keys))
        return x.keys.map { key in zip(x[key]!.toArray(), y[key]!.toArray()).map { Swift.abs($0 - $1) }.max() ?? 0 }.max() ?? 0
    }

    @Test func initContinuesFromTheSavedModel() throws {
        let data = try DiffusionDatasetLoaderTests().makeDataset(featurize: true)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-finetune-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data); try? FileManager.default.removeItem(at: root) }
        let base = root.appendingPathComponent("base"), tuned = root.appendingPathComponent("tuned"), fresh = root.appendingPathComponent("fresh")
        try run(data: [data], output: base, steps: 40, learningRate: 3e-3)
        // One tiny step from the base stays on the base; the same step from a fresh start (other seed) does not.
        try run(data: [data], output: tuned, initDirectory: base, steps: 1, learningRate: 1e-7, seed: 5)
        try run(data: [data], output: fresh, steps: 1, learningRate: 1e-7, seed: 5)
        #expect(try largestDifference(base, tuned) < 1e-4)
        #expect(try largestDifference(base, fresh) > 1e-2)
        let config = try DiffusionModelFile.configuration(in: tuned)
        #expect(config.training["init"] == base.path)
    }

    @Test func initFromAnotherLatentSpaceIsRefused() throws {
        let data = try DiffusionDatasetLoaderTests().makeDataset(featurize: true)
        let model = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-finetune-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data); try? FileManager.default.removeItem(at: model) }
        try run(data: [data], output: model, steps: 2, learningRate: 1e-3)
        do {
            _ = try DiffusionInitialModel.load(model, codingName: "gnpfa:gnpfa vae.safetensors sha256 0123456789abcdef")
            Issue.record("a model trained in ARKit space was accepted for a GNPFA run")
        } catch let error as DiffusionError {
            #expect("\(error)".contains(model.path))
            #expect("\(error)".contains("arkit-logit"))
        }
    }

    @Test func sharesSetEachDatasetsPartOfTheCrops() throws {
        let a = try DiffusionDatasetLoaderTests().makeDataset(featurize: true), b = try DiffusionDatasetLoaderTests().makeDataset(featurize: true)
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        let mixed = try DiffusionTrainingMix.load(directories: [a, b], shares: [1, 3], coding: ARKitLogitCoding(), fps: 30,
                                                  windowLength: window, limit: nil, skipUnfeaturized: false)
        let half = mixed.training.count / 2
        func mass(_ clips: ArraySlice<DiffusionTrainingClip>) -> Double { clips.reduce(0) { $0 + Double(min($1.frameCount, window)) * $1.samplingWeight } }
        let first = mass(mixed.training[..<half]), second = mass(mixed.training[half...])
        #expect(Swift.abs(second / (first + second) - 0.75) < 1e-9)
        // Without shares every clip keeps weight 1 (crops follow the frames, as for one dataset).
        let plain = try DiffusionTrainingMix.load(directories: [a, b], shares: nil, coding: ARKitLogitCoding(), fps: 30,
                                                  windowLength: window, limit: nil, skipUnfeaturized: false)
        #expect(plain.training.allSatisfy { $0.samplingWeight == 1 })
        #expect(throws: DiffusionError.self) {
            try DiffusionTrainingMix.load(directories: [a, b], shares: [1], coding: ARKitLogitCoding(), fps: 30,
                                          windowLength: window, limit: nil, skipUnfeaturized: false)
        }
    }

    @Test func weightedFitCountsEachBlockByItsWeight() {
        // Block a: rows 0 and 2 (mean 1), block b: rows 10 (mean 10); b counts 3 times per row.
        let a = Tensor([0, 2], shape: [2, 1]), b = Tensor([10], shape: [1, 1])
        let fitted = FrameNormalization.fit([a, b], weights: [1, 3])
        // numpy: np.average([0, 2, 10], weights=[1, 1, 3]) = 6.4; weighted std = sqrt(average((x-6.4)^2)) = 4.4542
        #expect(Swift.abs(fitted.mean.toArray()[0] - 6.4) < 1e-5)
        #expect(Swift.abs(fitted.std.toArray()[0] - 4.4542115) < 1e-4)
        let spliced = FrameNormalization(mean: Tensor([1, 2, 3], shape: [3]), std: Tensor([4, 5, 6], shape: [3]))
            .replacing(1..<3, from: FrameNormalization(mean: Tensor([7, 8, 9], shape: [3]), std: Tensor([10, 11, 12], shape: [3])))
        #expect(spliced.mean.toArray() == [1, 8, 9])
        #expect(spliced.std.toArray() == [4, 11, 12])
    }
}
