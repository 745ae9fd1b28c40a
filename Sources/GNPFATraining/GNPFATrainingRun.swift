import Foundation
import M2FEngine
import M2FGNPFA
import M2FNeural

/// The parts of GNPFA, trained in this order (the encoders learn the VAE's codes).
package enum GNPFAStage: String, CaseIterable, Sendable {
    case vae, geometry
}

/// What a GNPFA training run reports as it goes; the caller shows it (the CLI draws its progress
/// display), the library prints nothing.
package enum GNPFATrainingEvent {
    /// A line for the log ("geometry: building 24 heads …").
    case message(String)
    /// One optimiser step, or one rendered training image (stage `render`).
    case progress(TrainingProgress)
}

/// One finished stage as the JSON object `m2f train gnpfa` prints on stdout (keys sorted).
package struct GNPFAStageReport {
    package var fields: [String: Any]

    package func jsonLine() throws -> String {
        let json = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
        return String(decoding: json, as: UTF8.self)
    }
}

/// A whole `m2f train gnpfa` run into one model folder: the chosen stages with checkpoints every 500
/// steps under `OUTPUT/checkpoints/`, `resume`, and a held-out report per stage.
package struct GNPFATrainingRun {
    package var outputDirectory: URL
    package var stages: [GNPFAStage] = GNPFAStage.allCases
    package var vae = VAETrainingOptions()
    package var vaeArchitecture = ExpressionVAEConfiguration(latentSize: 16, hiddenSize: 256)
    package var geometry = GeometryTrainingOptions()
    /// Continue each stage from its checkpoint.
    package var resume = false

    /// Seeds the stages as the CLI always has: VAE `seed`, geometry `seed + 2`.
    package init(outputDirectory: URL, seed: UInt64) {
        self.outputDirectory = outputDirectory
        vae.seed = seed
        geometry.seed = seed &+ 2
    }

    /// - Parameters:
    ///   - frames: recorded frames mixed into the VAE's sampled ones (empty: sampled frames only).
    ///   - events: progress as it happens (called on the training thread).
    ///   - stageFinished: each finished stage's report (the CLI prints it as a JSON line); an error it
    ///     throws ends the run, after that stage's files are written.
    package func run(frames: ExpressionFrames = ExpressionFrames(), events: (GNPFATrainingEvent) -> Void = { _ in },
                     stageFinished: (GNPFAStageReport) throws -> Void) throws {
        try FileManager.default.createDirectory(at: outputDirectory.appendingPathComponent("checkpoints"), withIntermediateDirectories: true)
        for stage in GNPFAStage.allCases where stages.contains(stage) {
            switch stage {
            case .vae: try stageFinished(trainVAE(frames: frames, events: events))
            case .geometry: try stageFinished(trainGeometry(events: events))
            }
        }
    }

    private func checkpointPath(_ stage: GNPFAStage) -> String {
        outputDirectory.appendingPathComponent("checkpoints/\(stage.rawValue).safetensors").path
    }

    private func makeOptimizer(for module: any Module, learningRate: Float) -> AdamW {
        AdamW(namedParameters: module.namedParameters(),
              configuration: AdamWConfiguration(learningRate: learningRate, weightDecay: 1e-4),
              decayWhere: { !$0.hasSuffix("bias") })
    }

    private static func rounded(_ seconds: Double) -> Double { (seconds * 10).rounded() / 10 }

    /// The step a stage starts from: its checkpoint's when resuming, else 0.
    private func startStep(_ stage: GNPFAStage, module: any Module, optimizer: AdamW) throws -> Int {
        resume ? try TrainingCheckpoint.load(module: module, optimizer: optimizer, from: checkpointPath(stage)) : 0
    }

    /// Runs one stage's training loop, saving its checkpoint as it goes; returns the wall seconds.
    private func runLoop(_ stage: GNPFAStage, module: any Module, optimizer: AdamW, startStep: Int, steps: Int, learningRate: Float,
                         warmupSteps: Int, events: (GNPFATrainingEvent) -> Void,
                         lossAtStep: (Int) -> (loss: Tensor, parts: [String: Float])) throws -> Double {
        let checkpoint = checkpointPath(stage)
        let loop = TrainingLoop(stage: stage.rawValue, totalSteps: steps, learningRate: learningRate, warmupSteps: warmupSteps)
        let start = Date()
        try loop.run(module: module, optimizer: optimizer, startStep: startStep, lossAtStep: lossAtStep, progress: { events(.progress($0)) },
                     checkpoint: { try TrainingCheckpoint.save(module: module, optimizer: optimizer, step: $0, to: checkpoint) })
        return Date().timeIntervalSince(start)
    }

    private func trainVAE(frames: ExpressionFrames, events: (GNPFATrainingEvent) -> Void) throws -> GNPFAStageReport {
        let options = vae
        var generator = RandomGenerator(seed: options.seed)
        let model = ExpressionVAE(vaeArchitecture, generator: &generator)
        let optimizer = makeOptimizer(for: model, learningRate: options.learningRate)
        let startStep = try self.startStep(.vae, module: model, optimizer: optimizer)
        var objective = VAEObjective(model: model, options: options, recordedFrames: frames.training)
        // Resuming replays the sampler to the same position, so a resumed run sees the same batches.
        for _ in 0..<startStep { _ = objective.batch() }
        let seconds = try runLoop(.vae, module: model, optimizer: optimizer, startStep: startStep, steps: options.steps,
                                  learningRate: options.learningRate, warmupSteps: 200, events: events) { objective.loss(step: $0) }
        try model.saveParameters(to: outputDirectory.appendingPathComponent(GNPFAConfiguration.vaeFile).path,
                                 metadata: ["steps": "\(options.steps)", "seed": "\(options.seed)"])
        var configuration = (try? GNPFAConfiguration.read(directory: outputDirectory)) ?? GNPFAConfiguration(vae: vaeArchitecture)
        configuration.vae = vaeArchitecture
        try configuration.write(directory: outputDirectory)

        let coder = try GNPFAModel(directory: outputDirectory)
        let sampled = VAEEvaluation.reconstruction(of: VAEEvaluation.heldOutSampledFrames(), coder: coder)
        var fields: [String: Any] = [
            "stage": "vae", "latent_size": vaeArchitecture.latentSize, "kl_weight": options.klWeight, "lip_weight": options.lipVertexWeight,
            "closure_weight": options.lipClosureWeight, "steps": options.steps, "train_seconds": Self.rounded(seconds),
            "sampled_arkit_mae": sampled.arkitMAE, "sampled_lip_error_mm_mean": sampled.lipErrorMillimetres.mean,
            "sampled_lip_error_mm_p95": sampled.lipErrorMillimetres.p95,
        ]
        if frames.heldOutCount > 0 {
            let recorded = VAEEvaluation.reconstruction(of: Tensor(frames.heldOut, shape: [frames.heldOutCount, ARKitWeightCount]), coder: coder)
            fields["recorded_arkit_mae"] = recorded.arkitMAE
            fields["recorded_lip_error_mm_mean"] = recorded.lipErrorMillimetres.mean
        }
        return GNPFAStageReport(fields: fields)
    }

    private func trainGeometry(events: (GNPFATrainingEvent) -> Void) throws -> GNPFAStageReport {
        let model = try GNPFAModel(directory: outputDirectory)
        let options = geometry
        let architecture = GeometryEncoderConfiguration.defaultSelection(latentSize: model.latentSize)
        var generator = RandomGenerator(seed: options.seed)
        let encoder = GeometryEncoder(architecture, generator: &generator)
        let identities = GeometrySampler.trainingIdentities(options.identityCount)
        events(.message("geometry: building \(identities.count) heads, \(architecture.vertexIndices.count) vertices, \(architecture.anchorIndices.count) anchors"))
        let heads = identities.map { ReducedHead(identity: $0, configuration: architecture) }
        var objective = GeometryObjective(encoder: encoder, vae: model.vae, sampler: GeometrySampler(heads: heads, seed: options.seed), options: options)
        let optimizer = makeOptimizer(for: encoder, learningRate: options.learningRate)
        let seconds = try runLoop(.geometry, module: encoder, optimizer: optimizer,
                                  startStep: startStep(.geometry, module: encoder, optimizer: optimizer), steps: options.steps,
                                  learningRate: options.learningRate, warmupSteps: 100, events: events) { step in
            defer { objective.dropVAEGradients() }
            return objective.loss(step: step)
        }
        try encoder.saveParameters(to: outputDirectory.appendingPathComponent(GNPFAConfiguration.geometryFile).path,
                                   metadata: ["steps": "\(options.steps)", "seed": "\(options.seed)"])
        var configuration = try GNPFAConfiguration.read(directory: outputDirectory)
        configuration.geometry = architecture
        try configuration.write(directory: outputDirectory)

        let reloaded = try GNPFAModel(directory: outputDirectory)
        let heldOut = GeometrySampler.heldOutIdentities(6).map { ReducedHead(identity: $0, configuration: architecture) }
        let report = GNPFAEvaluation.geometry(model: reloaded, encoder: reloaded.geometryEncoder!, heads: heldOut)
        let ratio = GNPFAEvaluation.disentanglement(encoder: reloaded.geometryEncoder!, heads: heldOut)
        return GNPFAStageReport(fields: [
            "stage": "geometry", "steps": options.steps, "train_seconds": Self.rounded(seconds),
            "identities": identities.count, "heldout_arkit_mae": report.arkitMAE,
            "heldout_pose_error_deg": report.poseErrorDegrees, "disentanglement_ratio": ratio.ratio,
        ])
    }
}
