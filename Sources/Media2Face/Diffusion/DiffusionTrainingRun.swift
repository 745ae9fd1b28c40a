import Foundation
import M2FEncoders
import M2FEngine
import M2FGNPFA

/// A whole `m2f train diffusion` run: data, trainer, progress on stderr, checkpoints, resume and the
/// final model directory.
public struct DiffusionTrainingRun {
    public var dataDirectory: URL
    public var outputDirectory: URL
    /// The GNPFA model directory; nil trains in ARKit space (`ARKitLogitCoding`).
    public var gnpfaDirectory: URL?
    /// The architecture for a given latent size.
    public var architecture: (Int) -> DenoiserConfiguration
    public var training: DiffusionTrainingConfiguration
    public var resume: Bool
    public var maxMinutes: Double?
    /// The command line, recorded in config.json.
    public var command: String
    /// At most this many clips per split (quick runs); nil: all.
    public var clipLimit: Int?
    /// Train on the clips already featurized instead of failing on the others.
    public var skipUnfeaturized = false

    public init(dataDirectory: URL, outputDirectory: URL, gnpfaDirectory: URL?, architecture: @escaping (Int) -> DenoiserConfiguration,
                training: DiffusionTrainingConfiguration, resume: Bool, maxMinutes: Double?, command: String, clipLimit: Int? = nil) {
        self.dataDirectory = dataDirectory
        self.outputDirectory = outputDirectory
        self.gnpfaDirectory = gnpfaDirectory
        self.architecture = architecture
        self.training = training
        self.resume = resume
        self.maxMinutes = maxMinutes
        self.command = command
        self.clipLimit = clipLimit
    }

    static func log(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    public func run() throws {
        let clock = ContinuousClock()
        let started = clock.now
        let (coding, codingName) = try DiffusionCodingLoader.load(gnpfaDirectory)
        Self.log("loading \(dataDirectory.path) (coding: \(codingName)) …")
        let data = try DiffusionDatasetLoader.load(directory: dataDirectory, coding: coding, fps: architecture(coding.latentSize).fps,
                                                   limit: clipLimit, skipUnfeaturized: skipUnfeaturized) { done, total in
            if done % 100 == 0 || done == total { FileHandle.standardError.write(Data("\rloaded \(done)/\(total) clips".utf8)) }
        }
        FileHandle.standardError.write(Data("\n".utf8))
        if data.skipped > 0 { Self.log("warning: skipped \(data.skipped) clips whose Whisper features are not cached yet (--skip-unfeaturized)") }
        let trainFrames = data.training.reduce(0) { $0 + $1.frameCount }
        Self.log("\(data.training.count) training clips (\(String(format: "%.2f", Double(trainFrames) / 30 / 3600)) h), \(data.validation.count) validation clips")

        let checkpointDirectory = outputDirectory.appendingPathComponent("checkpoint")
        let statePath = checkpointDirectory.appendingPathComponent("state.safetensors").path
        let model = architecture(coding.latentSize)
        let denoiser = Media2FaceDenoiser(model, seed: training.seed)
        var savedState: [String: Tensor]?
        var normalization: FrameNormalization?
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
            Self.log("resumed at step \(trainer.step)")
        }
        Self.log("denoiser: width \(model.width), \(model.numLayers) layers, \(model.numHeads) heads, window \(model.windowLength), \(denoiser.parameterCount) parameters, \(model.objective.rawValue)")

        let firstStep = trainer.step
        var firstLoss: Float?
        try trainer.run(progress: { p in
            if firstLoss == nil { firstLoss = p.loss }
            let done = p.step - firstStep
            let rate = Double(done) / max(p.secondsElapsed, 1e-9)
            let eta = Double(p.totalSteps - p.step) / max(rate, 1e-9)
            let validation = p.validationLoss.map { String(format: " val %.4f", $0) } ?? ""
            let line = String(format: "\rstep %d/%d  loss %.4f%@  lr %.2e  %.2f steps/s  ETA %@   ", p.step, p.totalSteps, p.loss,
                              validation, p.learningRate, rate, Self.clockString(eta))
            FileHandle.standardError.write(Data(line.utf8))
            if p.step % training.checkpointEvery == 0 || p.step == p.totalSteps { FileHandle.standardError.write(Data("\n".utf8)) }
        }, checkpoint: { trainer in
            try FileManager.default.createDirectory(at: checkpointDirectory, withIntermediateDirectories: true)
            try SafeTensors.write(trainer.stateTensors(), to: statePath)
            let hours = Double((clock.now - started).components.seconds) / 3600
            let summary: [String: String] = [
                "command": command, "steps": "\(trainer.step)", "data": dataDirectory.path,
                "training_clips": "\(data.training.count)", "training_hours_of_data": String(format: "%.3f", Double(trainFrames) / 30 / 3600),
                "validation_loss": trainer.lastValidationLoss.map { String(format: "%.5f", $0) } ?? "n/a",
                "wall_hours_this_run": String(format: "%.3f", hours), "weights": trainer.ema == nil ? "current" : "ema",
            ]
            try DiffusionModelFile.save(configuration: DiffusionModelConfiguration(denoiser: model, coding: codingName, training: summary),
                                        denoiser: trainer.denoiser, parameters: trainer.ema?.shadowTensors(),
                                        normalization: trainer.normalization, to: outputDirectory)
        }, shouldStop: {
            guard let maxMinutes else { return false }
            return Double((clock.now - started).components.seconds) >= maxMinutes * 60
        })
        Self.log("done: step \(trainer.step), validation loss \(trainer.lastValidationLoss.map { String($0) } ?? "n/a"); model in \(outputDirectory.path)")
    }

    static func clockString(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "--:--" }
        let s = Int(seconds)
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%02d:%02d", s / 60, s % 60)
    }
}

/// Picks the expression coding for training: the GNPFA model, or ARKit space.
enum DiffusionCodingLoader {
    static func load(_ directory: URL?) throws -> (any ExpressionCoding, String) {
        guard let directory else { return (ARKitLogitCoding(), "arkit-logit") }
        let model = try GNPFAModel(directory: directory)
        // The latents only mean something with these exact VAE weights: record their digest.
        let vae = directory.appendingPathComponent(GNPFAConfiguration.vaeFile)
        let digest = FileManager.default.contents(atPath: vae.path).map { String(SHA256.hex(of: $0).prefix(16)) } ?? "unknown"
        return (model, "gnpfa:\(directory.lastPathComponent) vae.safetensors sha256 \(digest)")
    }
}
