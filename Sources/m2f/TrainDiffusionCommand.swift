import ArgumentParser
import Foundation
import M2FEngine
import M2FGNPFA
import Media2Face
import Media2FaceTraining

/// `m2f train diffusion`: trains the Media2Face denoiser on an M2F-D dataset.
struct TrainDiffusionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diffusion",
        abstract: "Train the Media2Face diffusion denoiser (or its plain-regression baseline) on an M2F-D dataset.",
        discussion: """
        Progress (loss, validation loss, ETA) goes to stderr. Every --checkpoint-every steps the run writes \
        OUTPUT/checkpoint/state.safetensors (resume with --resume) and the EMA model to OUTPUT \
        (config.json + model.safetensors), so an interrupted run still leaves a usable model.
        --measure-sizes times a training step and a 60-second sampling step at a few sizes and exits.
        """)

    @Option(help: "M2F-D dataset directory (featurized); repeat it to train on several datasets as one.")
    var data: [String] = []

    @Option(parsing: .unconditional, help: ArgumentHelp("Share of the training crops each --data dataset gives, comma-separated (e.g. 1,1 for half and half; default: in proportion to their frames).", valueName: "shares"))
    var dataShare: String?

    @Option(name: .customLong("init"), help: ArgumentHelp("Continue from this trained model (fine-tuning; the shipped one is Models/media2face): its architecture, weights and normalisation; --width/--layers/--heads/--window are then taken from it.", valueName: "model-dir"))
    var initModel: String?

    @Option(name: [.short, .customLong("output")], help: "Model directory to write (default: a new runs/media2face-DATE-TIME; with --check, the model to check, default Models/media2face).")
    var output: String?

    @Flag(help: "Replace the model already in the -o folder (without it such a folder is refused).")
    var overwrite = false

    @Option(help: "GNPFA model directory (the expression latent space).")
    var gnpfa: String = "Models/gnpfa"

    @Flag(help: "Work directly in ARKit space (logit coding, Z = 52) instead of the GNPFA latent space.")
    var arkitSpace = false

    @Flag(help: "Train the same network as a plain regressor (no noise): the evaluation baseline.")
    var regression = false

    @Option(parsing: .unconditional, help: "Optimiser steps.") var steps: Int = 4000
    @Option(parsing: .unconditional, help: "Crops per batch.") var batchSize: Int = 16
    @Option(parsing: .unconditional, help: "Peak learning rate (warmup then cosine decay).") var learningRate: Float = 5e-4
    @Option(parsing: .unconditional, help: "Transformer width.") var width: Int = DenoiserConfiguration(latentSize: 1).width
    @Option(parsing: .unconditional, help: "Transformer blocks.") var layers: Int = DenoiserConfiguration(latentSize: 1).numLayers
    @Option(parsing: .unconditional, help: "Attention heads.") var heads: Int = DenoiserConfiguration(latentSize: 1).numHeads
    @Option(parsing: .unconditional, help: "Frames per window (training crops and sampling windows).") var window: Int = DenoiserConfiguration(latentSize: 1).windowLength
    @Option(parsing: .unconditional, help: "Validation loss and checkpoint every N steps.") var checkpointEvery: Int = 250
    @Option(parsing: .unconditional, help: "Random seed (initialisation, batches, noise).") var seed: UInt64 = 1
    @Option(parsing: .unconditional, help: "Loss weight of frames inside p/b/m phones (clips with phone alignments; 1: none). Keeps lip closure when fine-tuning on real video, which has no alignment.") var bilabialWeight: Float = 1
    @Option(parsing: .unconditional, help: "Share of the crops from clips with stream windows that reproduce a stream hop (the hop's short window, its audio encoded as the stream encodes it; 0: none). Makes a model follow its offline result in a stream (`m2f bench stream`).") var streamWindows: Double = 0
    @Option(parsing: .unconditional, help: "Loss weight of a stream window's emitted and look-ahead frames.") var streamWindowWeight: Float = 3
    @Option(parsing: .unconditional, help: "Training clips per dataset given stream windows (the first ones; one Whisper pass per hop, cached in the dataset).") var streamWindowClips: Int = 150
    @Option(parsing: .unconditional, help: "Stop (with a checkpoint) after this many minutes.") var maxMinutes: Double?
    @Flag(help: "Continue from OUTPUT/checkpoint/state.safetensors.") var resume = false
    @Flag(help: "Train on the clips whose Whisper features are cached and skip the rest (with a warning).") var skipUnfeaturized = false
    @Option(parsing: .unconditional, help: "Use at most this many clips per split (quick runs).") var clipLimit: Int?
    @Flag(help: "Do not train: check the model in OUTPUT on validation clips of --data (errors, keyframes, diversity, 60 s timing) and print JSON.")
    var check = false
    @Option(parsing: .unconditional, help: "DDIM steps for --check.") var checkSteps: Int = 25
    @Flag(help: "Time a training step and a 60 s sampling step at several sizes (JSON lines) and exit.") var measureSizes = false
    @Option(help: "Sizes for --measure-sizes as WIDTHxLAYERSxWINDOW, comma-separated.")
    var sizes = "128x4x120,192x4x120,256x3x120,256x4x120,128x4x200,192x4x200,256x4x200,384x4x120,512x8x200"

    func validate() throws {
        try OptionRange.check(steps, "--steps", 1...100_000_000)
        try OptionRange.check(batchSize, "--batch-size", 1...4096)
        try OptionRange.check(learningRate, "--learning-rate", Float.leastNormalMagnitude...1)
        try OptionRange.check(bilabialWeight, "--bilabial-weight", 1...100)
        try OptionRange.check(width, "--width", 8...4096)
        try OptionRange.check(layers, "--layers", 1...64)
        try OptionRange.check(heads, "--heads", 1...64)
        if width % heads != 0 { throw ValidationError("--width \(width) must be a multiple of --heads \(heads)") }
        try OptionRange.check(window, "--window", 8...4096, unit: " frames")
        try OptionRange.check(checkpointEvery, "--checkpoint-every", 1...Int.max)
        try OptionRange.check(maxMinutes, "--max-minutes", 0.01...1e6)
        try OptionRange.check(clipLimit, "--clip-limit", 1...Int.max)
        try OptionRange.check(checkSteps, "--check-steps", 1...1000)
        try OptionRange.check(streamWindows, "--stream-windows", 0...1)
        try OptionRange.check(streamWindowWeight, "--stream-window-weight", 1...100)
        try OptionRange.check(streamWindowClips, "--stream-window-clips", 1...Int.max)
    }

    /// `--data-share` as numbers, one per `--data`.
    func shares() throws -> [Double]? {
        guard let dataShare else { return nil }
        let values = dataShare.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard values.count == data.count, values.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw ValidationError("--data-share \"\(dataShare)\" must be \(data.count) positive numbers, one per --data, comma-separated")
        }
        return values.map { $0! }
    }

    func run() throws {
        if measureSizes {
            for size in sizes.split(separator: ",") {
                let parts = size.split(separator: "x").compactMap { Int($0) }
                guard parts.count == 3 else { throw ValidationError("--sizes: \(size) is not WIDTHxLAYERSxWINDOW") }
                let (w, l, n) = (parts[0], parts[1], parts[2])
                let result = DenoiserSizeBenchmark.run(width: w, layers: l, heads: heads, window: n, iterations: w >= 512 ? 1 : 3)
                FileHandle.standardOutput.write(Data((result.jsonLine + "\n").utf8))
            }
            return
        }
        guard let data = self.data.first else { throw ValidationError("--data DIR is required (an M2F-D dataset directory)") }
        if check {
            let coding: any ExpressionCoding = arkitSpace ? ARKitLogitCoding() : try GNPFAModel(directory: URL(fileURLWithPath: gnpfa))
            let generator = try Media2FaceGenerator(directory: URL(fileURLWithPath: output ?? "Models/media2face"), coding: coding)
            let loaded = try DiffusionDatasetLoader.load(directory: URL(fileURLWithPath: data), coding: coding, fps: generator.fps,
                                                         limit: clipLimit ?? 8, skipUnfeaturized: skipUnfeaturized)
            let report = try DiffusionSelfCheck.run(generator: generator, clips: loaded.validation, references: loaded.validationWeights,
                                                    steps: checkSteps) { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            FileHandle.standardOutput.write(Data((report.jsonLine + "\n").utf8))
            return
        }
        let folder = try TrainingOutput.folder(output, kind: "media2face", modelFiles: ["model.safetensors"], overwrite: overwrite, resume: resume)
        var run = DiffusionTrainingRun(
            dataDirectories: self.data.map { URL(fileURLWithPath: $0) }, dataShares: try shares(),
            initDirectory: initModel.map { URL(fileURLWithPath: $0) }, outputDirectory: URL(fileURLWithPath: folder),
            gnpfaDirectory: arkitSpace ? nil : URL(fileURLWithPath: gnpfa),
            architecture: { latentSize in
                DenoiserConfiguration(latentSize: latentSize, width: width, numLayers: layers, numHeads: heads, windowLength: window,
                                      objective: regression ? .regression : .diffusion)
            },
            training: DiffusionTrainingConfiguration(steps: steps, batchSize: batchSize, peakLearningRate: learningRate,
                                                     loss: DiffusionLoss(bilabialWeight: bilabialWeight), checkpointEvery: checkpointEvery, seed: seed,
                                                     streamWindows: streamWindows > 0 ? StreamWindowTraining(share: streamWindows, emittedWeight: streamWindowWeight,
                                                                                                             clipsPerDataset: streamWindowClips) : nil),
            resume: resume, maxMinutes: maxMinutes,
            command: "m2f train diffusion " + CommandLine.arguments.dropFirst(3).joined(separator: " "), clipLimit: clipLimit)
        run.skipUnfeaturized = skipUnfeaturized
        let loadBar = ProgressBar(label: "load")
        var trainBar: ProgressBar?
        try run.run { event in
            switch event {
            case .message(let text):
                FileHandle.standardError.write(Data((text + "\n").utf8))
            case .loading(let done, let total):
                loadBar.update(done: Double(done), total: Double(total), unit: "clips")
                if done == total { loadBar.finish() }
            case .step(let p, let firstStep):
                if trainBar == nil { trainBar = ProgressBar(label: "train") }
                // The bar has only seen this run's steps; a resumed run's ETA comes from its own rate.
                let rate = Double(p.step - firstStep) / max(p.secondsElapsed, 1e-9)
                let validation = p.validationLoss.map { String(format: "  val %.4f", $0) } ?? ""
                trainBar?.update(done: Double(p.step), total: Double(p.totalSteps), unit: "steps",
                                 detail: String(format: "loss %.4f%@  lr %.2e  %.2f steps/s", p.loss, validation, p.learningRate, rate),
                                 remaining: Double(p.totalSteps - p.step) / max(rate, 1e-9))
            case .checkpoint(let step, let validationLoss):
                trainBar?.update(done: Double(step), total: Double(steps), unit: "steps", force: true)
                FileHandle.standardError.write(Data(((trainBar?.interactive ?? false ? "\n" : "")
                    + "checkpoint at step \(step)\(validationLoss.map { String(format: ", validation loss %.4f", $0) } ?? "")\n").utf8))
            }
        }
        trainBar?.finish()
    }
}
