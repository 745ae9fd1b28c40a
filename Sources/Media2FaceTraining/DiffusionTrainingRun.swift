import Foundation
import M2FEncoders
import M2FEngine
import M2FGNPFA
import Media2Face

/// What a training run reports as it goes; the caller decides how to show it (the CLI draws its
/// shared progress bar), the library prints nothing.
package enum DiffusionTrainingEvent: Sendable {
    /// A line for the log ("loading …", "resumed at step 1750", warnings, the final summary).
    case message(String)
    /// Clips of the dataset read and encoded so far.
    case loading(done: Int, total: Int)
    /// One optimiser step; `firstStep` is where this run began (a resumed run starts past 0).
    case step(DiffusionTrainingProgress, firstStep: Int)
    /// A checkpoint was written at `step` (after the validation loss, when there is one).
    case checkpoint(step: Int, validationLoss: Float?)
}

/// A whole `m2f train diffusion` run: data, trainer, progress events, checkpoints, resume and the
/// final model directory.
package struct DiffusionTrainingRun {
    /// One or more featurized datasets, trained on as one (`DiffusionTrainingMix`).
    package var dataDirectories: [URL]
    /// Share of the training crops per dataset (nil: in proportion to their frames).
    package var dataShares: [Double]?
    /// A trained model to continue from (fine-tuning): its architecture, weights and normalisation
    /// replace `architecture` and a fresh initialisation.
    package var initDirectory: URL?
    package var outputDirectory: URL
    /// The GNPFA model directory; nil trains in ARKit space (`ARKitLogitCoding`).
    package var gnpfaDirectory: URL?
    /// The architecture for a given latent size.
    package var architecture: (Int) -> DenoiserConfiguration
    package var training: DiffusionTrainingConfiguration
    package var resume: Bool
    package var maxMinutes: Double?
    /// The command line, recorded in config.json.
    package var command: String
    /// At most this many clips per split (quick runs); nil: all.
    package var clipLimit: Int?
    /// Train on the clips already featurized instead of failing on the others.
    package var skipUnfeaturized = false

    package init(dataDirectories: [URL], dataShares: [Double]? = nil, initDirectory: URL? = nil, outputDirectory: URL, gnpfaDirectory: URL?, architecture: @escaping (Int) -> DenoiserConfiguration,
                training: DiffusionTrainingConfiguration, resume: Bool, maxMinutes: Double?, command: String, clipLimit: Int? = nil) {
        self.dataDirectories = dataDirectories
        self.dataShares = dataShares
        self.initDirectory = initDirectory
        self.outputDirectory = outputDirectory
        self.gnpfaDirectory = gnpfaDirectory
        self.architecture = architecture
        self.training = training
        self.resume = resume
        self.maxMinutes = maxMinutes
        self.command = command
        self.clipLimit = clipLimit
    }

    /// - Parameter events: progress as it happens (called on the training thread).
    package func run(events: (DiffusionTrainingEvent) -> Void = { _ in }) throws {
        let clock = ContinuousClock()
        let started = clock.now
        let (coding, codingName) = try DiffusionCodingLoader.load(gnpfaDirectory)
        let start = try DiffusionInitialModel.load(initDirectory, codingName: codingName)
        let model = start?.configuration.denoiser ?? architecture(coding.latentSize)
        if let initDirectory { events(.message("continuing from \(initDirectory.path) (weights and normalisation)")) }
        events(.message("loading \(dataDirectories.map(\.path).joined(separator: " + ")) (coding: \(codingName)) …"))
        var data = try DiffusionTrainingMix.load(directories: dataDirectories, shares: dataShares, coding: coding, fps: model.fps, windowLength: model.windowLength,
                                                 limit: clipLimit, skipUnfeaturized: skipUnfeaturized) { done, total in
            events(.loading(done: done, total: total))
        }
        if let settings = training.streamWindows {
            try attachStreamWindows(&data.training, settings: settings, fps: model.fps, speechPolicy: data.speechPolicy, events: events)
        }
        if data.skipped > 0 { events(.message("warning: skipped \(data.skipped) clips whose Whisper features are not cached yet (--skip-unfeaturized)")) }
        let trainFrames = data.training.reduce(0) { $0 + $1.frameCount }
        events(.message("\(data.training.count) training clips (\(String(format: "%.2f", Double(trainFrames) / 30 / 3600)) h), \(data.validation.count) validation clips"))

        let checkpointDirectory = outputDirectory.appendingPathComponent("checkpoint")
        let statePath = checkpointDirectory.appendingPathComponent("state.safetensors").path
        let denoiser = Media2FaceDenoiser(model, seed: training.seed)
        var savedState: [String: Tensor]?
        var normalization = start?.normalization
        if let start, !resume {
            // Head pose is where new data differ in scale by design (the synthetic teacher barely moves the
            // head, real speakers do): refit those channels on the mix, as the crops will sample it; the
            // expression latents keep the units the model learnt.
            let pose = (model.latentSize)..<(model.latentSize + model.poseSize)
            let mix = FrameNormalization.fit(data.training.map(\.frames), weights: data.training.map(\.samplingWeight))
            normalization = start.normalization.replacing(pose, from: mix)
            let before = start.normalization.std.toArray()[pose].map { String(format: "%.4f", $0) }.joined(separator: " ")
            let after = normalization!.std.toArray()[pose].map { String(format: "%.4f", $0) }.joined(separator: " ")
            events(.message("head-pose scale refitted on the training mix: std \(before) → \(after)"))
        }
        if let start { try denoiser.loadParameters(start.parameters, source: initDirectory!.path) }
        if resume {
            guard FileManager.default.fileExists(atPath: statePath) else {
                throw DiffusionError.missingModelFile(path: statePath)
            }
            let state = try SafeTensorsFile(path: statePath).allTensors()
            normalization = try DiffusionTrainer.savedNormalization(state, source: statePath)
            savedState = state
        }
        let trainer = DiffusionTrainer(denoiser: denoiser, configuration: training, training: data.training,
                                       validation: data.validation, normalization: normalization)
        if let savedState {
            try trainer.loadState(savedState, source: statePath)
            events(.message("resumed at step \(trainer.step)"))
        }
        events(.message("denoiser: width \(model.width), \(model.numLayers) layers, \(model.numHeads) heads, window \(model.windowLength), \(denoiser.parameterCount) parameters, \(model.objective.rawValue)"))

        let firstStep = trainer.step
        try trainer.run(progress: { p in
            events(.step(p, firstStep: firstStep))
        }, checkpoint: { trainer in
            try FileManager.default.createDirectory(at: checkpointDirectory, withIntermediateDirectories: true)
            try SafeTensors.write(trainer.stateTensors(), to: statePath)
            let hours = Double((clock.now - started).components.seconds) / 3600
            let summary: [String: String] = [
                "command": command, "steps": "\(trainer.step)", "data": dataDirectories.map(\.path).joined(separator: " + "),
                "init": initDirectory?.path ?? "none",
                "training_clips": "\(data.training.count)", "training_hours_of_data": String(format: "%.3f", Double(trainFrames) / 30 / 3600),
                "validation_loss": trainer.lastValidationLoss.map { String(format: "%.5f", $0) } ?? "n/a",
                "wall_hours_this_run": String(format: "%.3f", hours), "weights": trainer.ema == nil ? "current" : "ema",
            ]
            try DiffusionModelFile.save(configuration: DiffusionModelConfiguration(denoiser: model, coding: codingName, training: summary,
                                                                                   speechFeatures: data.speechPolicy),
                                        denoiser: trainer.denoiser, parameters: trainer.ema?.shadowTensors(),
                                        normalization: trainer.normalization, to: outputDirectory)
            events(.checkpoint(step: trainer.step, validationLoss: trainer.lastValidationLoss))
        }, shouldStop: {
            guard let maxMinutes else { return false }
            return Double((clock.now - started).components.seconds) >= maxMinutes * 60
        })
        events(.message("done: step \(trainer.step), validation loss \(trainer.lastValidationLoss.map { String($0) } ?? "n/a"); model in \(outputDirectory.path)"))
    }
}

/// Picks the expression coding for training: the GNPFA model, or ARKit space.
enum DiffusionCodingLoader {
    static func load(_ directory: URL?) throws -> (any ExpressionCoding, String) {
        guard let directory else { return (ARKitLogitCoding(), "arkit-logit") }
        let model = try GNPFAModel(directory: directory)
        // The latents only mean something with these exact VAE weights: record their digest.
        return (model, "gnpfa:\(directory.lastPathComponent) vae.safetensors sha256 \(LatentSpaceDigest.of(directory) ?? "unknown")")
    }
}
