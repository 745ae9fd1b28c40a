import ArgumentParser
import Foundation
import GNPFATraining
import M2FEngine
import M2FGNPFA
import M2FNeural

/// `m2f train gnpfa`: trains the GNPFA parts (expression VAE, then the geometry and image encoders
/// against it) into a model folder, with checkpoints and `--resume`.
struct TrainGNPFACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gnpfa",
        abstract: "Train the GNPFA expression latent space (VAE) and its geometry and image encoders.",
        discussion: """
            Stages run in order vae → geometry → image (the encoders learn the VAE's codes, so retraining the
            VAE means retraining them). Checkpoints go to OUTPUT/checkpoints/STAGE.safetensors every 500 steps;
            --resume continues a stage from its checkpoint. Progress with loss and ETA is on stderr; one JSON
            line per finished stage with its held-out metrics is on stdout.
            Example: m2f train gnpfa -o Models/gnpfa
            """)

    @Option(help: "Expression frames mixed into the VAE's sampled ones: an M2F-D dataset (its train clips train, its val clips are held out) or a folder of recorded animations (.json/.csv).")
    var data: String?

    @Option(name: .shortAndLong, help: "Model folder to write (config.json + safetensors).")
    var output = "Models/gnpfa"

    @Option(help: "Which part to train: vae, geometry, image or all.")
    var stage = "all"

    @Option(parsing: .unconditional, help: "VAE latent size Z.")
    var latentSize = 16

    @Option(parsing: .unconditional, help: "VAE hidden width.")
    var hiddenSize = 256

    @Option(parsing: .unconditional, help: "VAE optimiser steps.")
    var vaeSteps = 8000

    @Option(parsing: .unconditional, help: "Final KL weight of the VAE (annealed from 0).")
    var klWeight: Float = 5e-5

    @Option(parsing: .unconditional, help: "Weight of the VAE's lip-vertex loss (cm² on the default head's lips).")
    var lipWeight: Float = 0.3

    @Option(parsing: .unconditional, help: "Weight of the VAE's lip-closure loss (mm² of the midline lip gap, 5× on closed frames; 0: off).")
    var closureWeight: Float = 0

    @Option(parsing: .unconditional, help: "Geometry encoder optimiser steps.")
    var geometrySteps = 10000

    @Option(parsing: .unconditional, help: "Identities the geometry encoder trains on.")
    var geometryIdentities = 24

    @Option(parsing: .unconditional, help: "Image encoder optimiser steps.")
    var imageSteps = 4500

    @Option(parsing: .unconditional, help: "Identities the image encoder's renders are spread over.")
    var imageIdentities = 32

    @Option(parsing: .unconditional, help: "Rendered training images for the image encoder.")
    var images = 12000

    @Option(help: "Folder for rendered image caches (gitignored).")
    var cache = ".cache/gnpfa"

    @Option(parsing: .unconditional, help: "Seed of initialisation and sampling.")
    var seed: UInt64 = 1

    @Flag(help: "Continue each stage from OUTPUT/checkpoints/STAGE.safetensors.")
    var resume = false

    @Flag(help: "No progress bar.")
    var quiet = false

    func validate() throws {
        guard ["vae", "geometry", "image", "all"].contains(stage) else { throw ValidationError("--stage must be vae, geometry, image or all") }
        try OptionRange.check(latentSize, "--latent-size", 1...512)
        try OptionRange.check(hiddenSize, "--hidden-size", 1...8192)
        for (value, flag) in [(vaeSteps, "--vae-steps"), (geometrySteps, "--geometry-steps"), (imageSteps, "--image-steps")] {
            try OptionRange.check(value, flag, 1...100_000_000)
        }
        for (value, flag) in [(klWeight, "--kl-weight"), (lipWeight, "--lip-weight"), (closureWeight, "--closure-weight")] {
            try OptionRange.check(value, flag, 0...1000)
        }
        try OptionRange.check(geometryIdentities, "--geometry-identities", 1...100_000)
        try OptionRange.check(imageIdentities, "--image-identities", 1...100_000)
        try OptionRange.check(images, "--images", 1...10_000_000)
    }

    func run() throws {
        let directory = URL(fileURLWithPath: output)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("checkpoints"), withIntermediateDirectories: true)
        let frames = try data.map { try GNPFAFrameSource.frames(URL(fileURLWithPath: $0), heldOut: .val, quiet: quiet) } ?? ExpressionFrames()
        if data != nil {
            FileHandle.standardError.write(Data("gnpfa: \(frames.fileCount) clips, \(frames.trainingCount) training / \(frames.heldOutCount) held-out frames\n".utf8))
        }
        if stage == "vae" || stage == "all" { try trainVAE(directory: directory, frames: frames) }
        if stage == "geometry" || stage == "all" { try trainGeometry(directory: directory) }
        if stage == "image" || stage == "all" { try trainImage(directory: directory) }
    }

    static func printLine(_ line: [String: Any]) throws {
        let json = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
        print(String(decoding: json, as: UTF8.self))
    }

    func trainGeometry(directory: URL) throws {
        let model = try GNPFAModel(directory: directory)
        var options = GeometryTrainingOptions()
        options.steps = geometrySteps
        options.identityCount = geometryIdentities
        options.seed = seed &+ 2
        let architecture = GeometryEncoderConfiguration.defaultSelection(latentSize: model.latentSize)
        var generator = RandomGenerator(seed: options.seed)
        let encoder = GeometryEncoder(architecture, generator: &generator)
        let identities = GeometrySampler.trainingIdentities(options.identityCount)
        FileHandle.standardError.write(Data("geometry: building \(identities.count) heads, \(architecture.vertexIndices.count) vertices, \(architecture.anchorIndices.count) anchors\n".utf8))
        let heads = identities.map { ReducedHead(identity: $0, configuration: architecture) }
        var objective = GeometryObjective(encoder: encoder, vae: model.vae, sampler: GeometrySampler(heads: heads, seed: options.seed), options: options)
        let optimizer = AdamW(namedParameters: encoder.namedParameters(),
                              configuration: AdamWConfiguration(learningRate: options.learningRate, weightDecay: 1e-4),
                              decayWhere: { !$0.hasSuffix("bias") })
        let checkpoint = checkpointPath(directory, "geometry")
        let startStep = resume ? try TrainingCheckpoint.load(module: encoder, optimizer: optimizer, from: checkpoint) : 0
        let loop = TrainingLoop(stage: "geometry", totalSteps: options.steps, learningRate: options.learningRate, warmupSteps: 100)
        let progress = GNPFAProgressLine(quiet: quiet)
        let start = Date()
        try loop.run(module: encoder, optimizer: optimizer, startStep: startStep,
                     lossAtStep: { step in
                         defer { objective.dropVAEGradients() }
                         return objective.loss(step: step)
                     }, progress: progress.update,
                     checkpoint: { try TrainingCheckpoint.save(module: encoder, optimizer: optimizer, step: $0, to: checkpoint) })
        let seconds = Date().timeIntervalSince(start)
        try encoder.saveParameters(to: directory.appendingPathComponent(GNPFAConfiguration.geometryFile).path,
                                   metadata: ["steps": "\(options.steps)", "seed": "\(options.seed)"])
        var configuration = try GNPFAConfiguration.read(directory: directory)
        configuration.geometry = architecture
        try configuration.write(directory: directory)

        let reloaded = try GNPFAModel(directory: directory)
        let heldOut = GeometrySampler.heldOutIdentities(6).map { ReducedHead(identity: $0, configuration: architecture) }
        let report = GNPFAEvaluation.geometry(model: reloaded, encoder: reloaded.geometryEncoder!, heads: heldOut)
        let ratio = GNPFAEvaluation.disentanglement(encoder: reloaded.geometryEncoder!, heads: heldOut)
        try Self.printLine(["stage": "geometry", "steps": options.steps, "train_seconds": (seconds * 10).rounded() / 10,
                            "identities": identities.count, "heldout_arkit_mae": report.arkitMAE,
                            "heldout_pose_error_deg": report.poseErrorDegrees, "disentanglement_ratio": ratio.ratio])
    }

    func trainImage(directory: URL) throws {
        let model = try GNPFAModel(directory: directory)
        var options = ImageTrainingOptions()
        options.steps = imageSteps
        options.imageCount = images
        options.identityCount = imageIdentities
        options.seed = seed &+ 3
        let architecture = ImageEncoderConfiguration(latentSize: model.latentSize)
        let progress = GNPFAProgressLine(quiet: quiet)
        let renderStart = Date()
        let set = try FaceImageSet.cached(at: cache + "/train-\(architecture.imageSize)-\(options.imageCount)-\(options.identityCount)id.bin", count: options.imageCount,
                                          identities: GeometrySampler.trainingIdentities(options.identityCount),
                                          size: architecture.imageSize, seed: options.seed) { done in
            let elapsed = Date().timeIntervalSince(renderStart)
            progress.update(TrainingProgress(stage: "render", step: done, totalSteps: options.imageCount, loss: 0, parts: [:], elapsed: elapsed,
                                             remaining: elapsed / Double(done) * Double(options.imageCount - done)))
        }
        var generator = RandomGenerator(seed: options.seed)
        let encoder = ImageEncoder(architecture, generator: &generator)
        var objective = ImageObjective(encoder: encoder, vae: model.vae, images: set, options: options)
        let optimizer = AdamW(namedParameters: encoder.namedParameters(),
                              configuration: AdamWConfiguration(learningRate: options.learningRate, weightDecay: 1e-4),
                              decayWhere: { !$0.hasSuffix("bias") })
        let checkpoint = checkpointPath(directory, "image")
        let startStep = resume ? try TrainingCheckpoint.load(module: encoder, optimizer: optimizer, from: checkpoint) : 0
        let loop = TrainingLoop(stage: "image", totalSteps: options.steps, learningRate: options.learningRate, warmupSteps: 100)
        let start = Date()
        try loop.run(module: encoder, optimizer: optimizer, startStep: startStep,
                     lossAtStep: { step in
                         defer { model.vae.zeroGrad() }
                         return objective.loss(step: step)
                     }, progress: progress.update,
                     checkpoint: { try TrainingCheckpoint.save(module: encoder, optimizer: optimizer, step: $0, to: checkpoint) })
        let seconds = Date().timeIntervalSince(start)
        try encoder.saveParameters(to: directory.appendingPathComponent(GNPFAConfiguration.imageFile).path,
                                   metadata: ["steps": "\(options.steps)", "seed": "\(options.seed)", "images": "\(options.imageCount)"])
        var configuration = try GNPFAConfiguration.read(directory: directory)
        configuration.image = architecture
        try configuration.write(directory: directory)

        let reloaded = try GNPFAModel(directory: directory)
        let heldOut = try GNPFAHeldOut.images(cache: cache, size: architecture.imageSize)
        let report = GNPFAEvaluation.image(model: reloaded, encoder: reloaded.imageEncoder!, images: heldOut)
        try Self.printLine(["stage": "image", "steps": options.steps, "train_seconds": (seconds * 10).rounded() / 10,
                            "images": options.imageCount, "heldout_image_arkit_mae": report.arkitMAE,
                            "heldout_image_pose_error_deg": report.poseErrorDegrees])
    }

    private func checkpointPath(_ directory: URL, _ name: String) -> String {
        directory.appendingPathComponent("checkpoints/\(name).safetensors").path
    }

    func trainVAE(directory: URL, frames: ExpressionFrames) throws {
        var options = VAETrainingOptions()
        options.steps = vaeSteps
        options.klWeight = klWeight
        options.lipVertexWeight = lipWeight
        options.lipClosureWeight = closureWeight
        options.seed = seed
        let architecture = ExpressionVAEConfiguration(latentSize: latentSize, hiddenSize: hiddenSize)
        var generator = RandomGenerator(seed: seed)
        let model = ExpressionVAE(architecture, generator: &generator)
        let optimizer = AdamW(namedParameters: model.namedParameters(),
                              configuration: AdamWConfiguration(learningRate: options.learningRate, weightDecay: 1e-4),
                              decayWhere: { !$0.hasSuffix("bias") })
        let checkpoint = checkpointPath(directory, "vae")
        let startStep = resume ? try TrainingCheckpoint.load(module: model, optimizer: optimizer, from: checkpoint) : 0
        var objective = VAEObjective(model: model, options: options, recordedFrames: frames.training)
        // Resuming replays the sampler to the same position, so a resumed run sees the same batches.
        for _ in 0..<startStep { _ = objective.batch() }
        let loop = TrainingLoop(stage: "vae", totalSteps: options.steps, learningRate: options.learningRate, warmupSteps: 200)
        let progress = GNPFAProgressLine(quiet: quiet)
        let start = Date()
        try loop.run(module: model, optimizer: optimizer, startStep: startStep,
                     lossAtStep: { objective.loss(step: $0) }, progress: progress.update,
                     checkpoint: { try TrainingCheckpoint.save(module: model, optimizer: optimizer, step: $0, to: checkpoint) })
        let seconds = Date().timeIntervalSince(start)
        try model.saveParameters(to: directory.appendingPathComponent(GNPFAConfiguration.vaeFile).path,
                                 metadata: ["steps": "\(options.steps)", "seed": "\(seed)"])
        var configuration = (try? GNPFAConfiguration.read(directory: directory)) ?? GNPFAConfiguration(vae: architecture)
        configuration.vae = architecture
        try configuration.write(directory: directory)

        let coder = try GNPFAModel(directory: directory)
        let sampled = VAEEvaluation.reconstruction(of: VAEEvaluation.heldOutSampledFrames(), coder: coder)
        var line: [String: Any] = [
            "stage": "vae", "latent_size": latentSize, "kl_weight": klWeight, "lip_weight": lipWeight, "closure_weight": closureWeight, "steps": options.steps, "train_seconds": (seconds * 10).rounded() / 10,
            "sampled_arkit_mae": sampled.arkitMAE, "sampled_lip_error_mm_mean": sampled.lipErrorMillimetres.mean,
            "sampled_lip_error_mm_p95": sampled.lipErrorMillimetres.p95,
        ]
        if frames.heldOutCount > 0 {
            let recorded = VAEEvaluation.reconstruction(of: Tensor(frames.heldOut, shape: [frames.heldOutCount, 52]), coder: coder)
            line["recorded_arkit_mae"] = recorded.arkitMAE
            line["recorded_lip_error_mm_mean"] = recorded.lipErrorMillimetres.mean
        }
        try Self.printLine(line)
    }
}
