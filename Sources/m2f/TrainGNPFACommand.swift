import ArgumentParser
import Foundation
import GNPFATraining
import M2FGNPFA

/// `m2f train gnpfa`: trains the GNPFA parts (expression VAE, then the geometry encoder against it)
/// into a model folder, with checkpoints and `--resume`.
struct TrainGNPFACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gnpfa",
        abstract: "Train the GNPFA expression latent space (VAE) and its geometry encoder.",
        discussion: """
            Stages run in order vae → geometry (the encoder learns the VAE's codes, so retraining the VAE
            means retraining it). Checkpoints go to OUTPUT/checkpoints/STAGE.safetensors every 500 steps;
            --resume continues a stage from its checkpoint. Progress with loss and ETA is on stderr; one JSON
            line per finished stage with its held-out metrics is on stdout.
            Without -o the run writes a new runs/gnpfa-DATE-TIME folder; a folder that already holds the stage's
            model file is refused unless --overwrite. Example: m2f train gnpfa -o runs/gnpfa
            """)

    @Option(help: "Expression frames mixed into the VAE's sampled ones: an M2F-D dataset (its train clips train, its val clips are held out) or a folder of recorded animations (.json/.csv).")
    var data: String?

    @Option(name: .shortAndLong, help: "Model folder to write (config.json + safetensors; default: a new runs/gnpfa-DATE-TIME). The geometry stage trains against the VAE in this folder.")
    var output: String?

    @Flag(help: "Replace the stage's model file already in the -o folder (without it such a folder is refused).")
    var overwrite = false

    @Option(help: "Which part to train: vae, geometry or all.")
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

    @Option(parsing: .unconditional, help: "Seed of initialisation and sampling.")
    var seed: UInt64 = 1

    @Flag(help: "Continue each stage from OUTPUT/checkpoints/STAGE.safetensors.")
    var resume = false

    @Flag(help: "No progress bar.")
    var quiet = false

    func validate() throws {
        guard ["vae", "geometry", "all"].contains(stage) else { throw ValidationError("--stage must be vae, geometry or all") }
        try OptionRange.check(latentSize, "--latent-size", 1...512)
        try OptionRange.check(hiddenSize, "--hidden-size", 1...8192)
        for (value, flag) in [(vaeSteps, "--vae-steps"), (geometrySteps, "--geometry-steps")] {
            try OptionRange.check(value, flag, 1...100_000_000)
        }
        for (value, flag) in [(klWeight, "--kl-weight"), (lipWeight, "--lip-weight"), (closureWeight, "--closure-weight")] {
            try OptionRange.check(value, flag, 0...1000)
        }
        try OptionRange.check(geometryIdentities, "--geometry-identities", 1...100_000)
    }

    func run() throws {
        let stages = stage == "all" ? GNPFAStage.allCases : [GNPFAStage(rawValue: stage)!]
        let files: [GNPFAStage: String] = [.vae: GNPFAConfiguration.vaeFile, .geometry: GNPFAConfiguration.geometryFile]
        let folder = try TrainingOutput.folder(output, kind: "gnpfa", modelFiles: stages.compactMap { files[$0] }, overwrite: overwrite, resume: resume)
        var run = GNPFATrainingRun(outputDirectory: URL(fileURLWithPath: folder), seed: seed)
        run.stages = stages
        run.vaeArchitecture = ExpressionVAEConfiguration(latentSize: latentSize, hiddenSize: hiddenSize)
        run.vae.steps = vaeSteps
        run.vae.klWeight = klWeight
        run.vae.lipVertexWeight = lipWeight
        run.vae.lipClosureWeight = closureWeight
        run.geometry.steps = geometrySteps
        run.geometry.identityCount = geometryIdentities
        run.resume = resume
        let frames = try data.map { try GNPFAFrameSource.frames(URL(fileURLWithPath: $0), heldOut: .val, quiet: quiet) } ?? ExpressionFrames()
        if data != nil {
            FileHandle.standardError.write(Data("gnpfa: \(frames.fileCount) clips, \(frames.trainingCount) training / \(frames.heldOutCount) held-out frames\n".utf8))
        }
        let progress = ProgressBar(enabled: !quiet)
        try run.run(frames: frames, events: { event in
            switch event {
            case .message(let text): FileHandle.standardError.write(Data((text + "\n").utf8))
            case .progress(let p):
                let parts = p.parts.keys.sorted().map { "\($0) \(String(format: "%.4g", p.parts[$0]!))" }.joined(separator: " ")
                progress.update(stage: p.stage, done: Double(p.step), total: Double(p.totalSteps), unit: "steps",
                                detail: "loss \(String(format: "%.5f", p.loss)) \(parts)", remaining: p.remaining)
                if p.step == p.totalSteps { progress.finish() }
            }
        }, stageFinished: { print(try $0.jsonLine()) })
    }
}
