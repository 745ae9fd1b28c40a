import Foundation
import M2FEngine
import M2FNeural
import Media2Face

/// Measures what a denoiser size costs on this machine: one training step (forward + backward + AdamW)
/// and one sampling step for 60 s of speech (all windows × guidance branches in one batch).
/// `m2f train diffusion --measure-sizes` prints one JSON line per size.
package enum DenoiserSizeBenchmark {
    package struct Result: Codable, Sendable {
        package var width: Int
        package var layers: Int
        package var heads: Int
        package var window: Int
        package var parameters: Int
        /// Median ms of one training step at `batch` crops of `window` frames.
        package var trainStepMs: Double
        package var batch: Int
        /// Median ms of one DDIM step for 60 s (1800 frames): windows × 3 branches.
        package var samplingStepMs: Double
        package var sampledWindows: Int
        /// 25 DDIM steps for 60 s, in seconds.
        package var sixtySecondsAt25Steps: Double
        package var jsonLine: String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return String(decoding: try! encoder.encode(self), as: UTF8.self)
        }
    }

    static func median(_ body: () -> Void, iterations: Int) -> Double {
        body()
        var samples: [Double] = []
        for _ in 0..<iterations {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return samples.sorted()[samples.count / 2]
    }

    package static func run(width: Int, layers: Int, heads: Int, window: Int, latentSize: Int = 32, batch: Int = 16,
                           overlap: Int = 30, iterations: Int = 3) -> Result {
        let configuration = DenoiserConfiguration(latentSize: latentSize, width: width, numLayers: layers, numHeads: heads, windowLength: window)
        let model = Media2FaceDenoiser(configuration, seed: 1)
        var generator = RandomGenerator(seed: 2)
        let d = configuration.frameSize
        let clips = (0..<4).map { index in
            DiffusionTrainingClip(id: "bench\(index)", frames: .randomNormal([window * 2, d], generator: &generator),
                                  audio: .randomNormal([window * 2, 384], generator: &generator), textEmbedding: nil,
                                  emotion: .happy, intensity: 0.5)
        }
        let trainer = DiffusionTrainer(denoiser: model, configuration: DiffusionTrainingConfiguration(steps: 1000, batchSize: batch),
                                       training: clips, validation: [])
        let trainMs = median({ trainer.trainStep() }, iterations: iterations)

        model.eval()
        let frames = 1800
        let plan = WindowPlan(frameCount: frames, windowLength: window, overlap: overlap)
        let noisy = Tensor.randomNormal([plan.windowCount * 3, window, d], generator: &generator)
        let audio = Tensor.randomNormal([plan.windowCount * 3, window, 384], generator: &generator)
        let sampleMs = median({
            _ = withoutGrad {
                model(noisy: noisy, stepEmbedding: model.stepEmbedding([10]), condition: model.audioCondition(features: audio))
            }
        }, iterations: iterations)
        return Result(width: width, layers: layers, heads: heads, window: window, parameters: model.parameterCount,
                      trainStepMs: trainMs, batch: batch, samplingStepMs: sampleMs, sampledWindows: plan.windowCount * 3,
                      sixtySecondsAt25Steps: sampleMs * 25 / 1000)
    }
}
