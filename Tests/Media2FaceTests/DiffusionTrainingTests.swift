import Foundation
import M2FEngine
import Media2FaceTraining
import Testing
import Media2Face

/// Training: a tiny denoiser overfits one real-shaped sequence; resuming continues exactly.
@Suite struct DiffusionTrainingTests {
    @Test func fewHundredStepsBeatRandomWeights() {
        let clip = DiffusionTestHelpers.smoothClip(frames: 48, seed: 1)
        let model = Media2FaceDenoiser(DiffusionTestHelpers.tinyConfiguration(window: 48), seed: 2)
        let configuration = DiffusionTrainingConfiguration(steps: 300, batchSize: 4, peakLearningRate: 3e-3, warmupSteps: 20,
                                                           emaDecay: 0.95, checkpointEvery: 1000, seed: 3)
        let trainer = DiffusionTrainer(denoiser: model, configuration: configuration, training: [clip], validation: [clip])
        let untrained = trainer.validationLoss(model: Media2FaceDenoiser(DiffusionTestHelpers.tinyConfiguration(window: 48), seed: 9))!
        for _ in 0..<configuration.steps { trainer.trainStep() }
        let trained = trainer.validationLoss()!
        // Untrained output is the mean (loss ≈ 1 per channel + velocity); the trained one must be far below.
        #expect(untrained > 0.5)
        #expect(trained < 0.35 * untrained, "validation loss \(trained) vs untrained \(untrained)")
    }

    @Test func resumingContinuesExactly() throws {
        let clips = [DiffusionTestHelpers.smoothClip(frames: 40, seed: 5), DiffusionTestHelpers.smoothClip(frames: 30, seed: 6)]
        let configuration = DiffusionTrainingConfiguration(steps: 20, batchSize: 2, warmupSteps: 3, checkpointEvery: 100, seed: 4)
        func fresh() -> DiffusionTrainer {
            DiffusionTrainer(denoiser: Media2FaceDenoiser(DiffusionTestHelpers.tinyConfiguration(), seed: 1), configuration: configuration,
                             training: clips, validation: [])
        }
        let continuous = fresh()
        for _ in 0..<6 { continuous.trainStep() }
        let state = continuous.stateTensors()
        let expected = (0..<3).map { _ in continuous.trainStep() }

        let resumed = DiffusionTrainer(denoiser: Media2FaceDenoiser(DiffusionTestHelpers.tinyConfiguration(), seed: 77), configuration: configuration,
                                       training: clips, validation: [], normalization: try DiffusionTrainer.savedNormalization(state, source: "memory"))
        try resumed.loadState(state, source: "memory")
        #expect(resumed.step == 6)
        let actual = (0..<3).map { _ in resumed.trainStep() }
        #expect(actual == expected)
        let shadow = resumed.ema!.shadowTensors()["output_proj.weight"]!, reference = continuous.ema!.shadowTensors()["output_proj.weight"]!
        #expect(shadow.toArray() == reference.toArray(), "EMA differs by \(zip(shadow.toArray(), reference.toArray()).map { Swift.abs($0 - $1) }.max()!)")
    }

    @Test func regressionObjectiveTrainsToo() {
        let clip = DiffusionTestHelpers.smoothClip(frames: 32, seed: 8)
        let model = Media2FaceDenoiser(DiffusionTestHelpers.tinyConfiguration(window: 32, objective: .regression), seed: 2)
        let trainer = DiffusionTrainer(denoiser: model, configuration: DiffusionTrainingConfiguration(steps: 150, batchSize: 2, peakLearningRate: 3e-3,
                                       warmupSteps: 10, checkpointEvery: 1000), training: [clip], validation: [clip])
        let before = trainer.validationLoss(model: model)!
        for _ in 0..<150 { trainer.trainStep() }
        #expect(trainer.validationLoss(model: model)! < 0.5 * before)
    }
}
