import Foundation
import M2FEngine
import M2FNeural
import M2FSystem

/// `config.json` of a Media2Face model directory.
package struct DiffusionModelConfiguration: Codable, Sendable, Equatable {
    /// Always "media2face-diffusion".
    package var format: String
    /// The architecture.
    package var denoiser: DenoiserConfiguration
    /// Which expression coding the latents belong to (e.g. "gnpfa:Models/gnpfa"), for the user's information.
    package var coding: String
    /// Free-form facts about training (steps, losses, data, hours, command), written by the trainer.
    package var training: [String: String]
    /// How clips under 30 s were encoded for training: "needed" (only their own frames) or "pad"
    /// (silence to a full Whisper window); the pipeline encodes speech the same way. Absent in models
    /// made before it was recorded: those were trained on "pad".
    package var speechFeatures: String?

    package init(denoiser: DenoiserConfiguration, coding: String, training: [String: String] = [:], speechFeatures: String? = nil) {
        format = "media2face-diffusion"
        self.denoiser = denoiser
        self.coding = coding
        self.training = training
        self.speechFeatures = speechFeatures
    }

    /// True when short clips must be encoded without padding (`speechFeatures == "needed"`).
    package var encodesNeededFramesOnly: Bool { speechFeatures == "needed" }
}

/// A model directory: `config.json` (`DiffusionModelConfiguration`) and `model.safetensors` (the
/// denoiser's parameters by dotted key, plus `normalization.mean` / `normalization.std`).
package enum DiffusionModelFile {
    package static let configurationName = "config.json"
    package static let weightsName = "model.safetensors"

    /// Reads `config.json`.
    /// - Throws: `DiffusionError.missingModelFile`, `.invalidConfiguration`.
    package static func configuration(in directory: URL) throws -> DiffusionModelConfiguration {
        let url = directory.appendingPathComponent(configurationName)
        guard let data = FileManager.default.contents(atPath: url.path) else { throw DiffusionError.missingModelFile(path: url.path) }
        return try configuration(from: data, file: url.path)
    }

    /// Decodes and checks `config.json` bytes: the format, and every field of the architecture in range
    /// (`DenoiserConfiguration.rangeProblem`). `file` names the file in errors.
    /// - Throws: `DiffusionError.invalidConfiguration` naming the file and every bad field.
    package static func configuration(from data: Data, file: String) throws -> DiffusionModelConfiguration {
        let configuration: DiffusionModelConfiguration
        do {
            configuration = try JSONDecoder().decode(DiffusionModelConfiguration.self, from: data)
        } catch {
            throw DiffusionError.invalidConfiguration(path: file, problem: "not a Media2Face model configuration (\(error))")
        }
        guard configuration.format == "media2face-diffusion" else {
            throw DiffusionError.invalidConfiguration(path: file, problem: "format is \"\(configuration.format)\", not \"media2face-diffusion\"")
        }
        if let problem = configuration.denoiser.rangeProblem {
            throw DiffusionError.invalidConfiguration(path: file, problem: "denoiser: \(problem)")
        }
        if let features = configuration.speechFeatures, !["needed", "pad"].contains(features) {
            throw DiffusionError.invalidConfiguration(path: file, problem: "speechFeatures is \"\(features)\"; allowed: \"needed\", \"pad\"")
        }
        return configuration
    }

    /// Loads the denoiser (strictly by key) and the normalisation.
    package static func load(from directory: URL) throws -> (configuration: DiffusionModelConfiguration, denoiser: Media2FaceDenoiser, normalization: FrameNormalization) {
        let configuration = try self.configuration(in: directory)
        let url = directory.appendingPathComponent(weightsName)
        guard FileManager.default.fileExists(atPath: url.path) else { throw DiffusionError.missingModelFile(path: url.path) }
        let weights = try SafeTensorsFile(path: url.path)
        // Before building the model: a config that describes more parameters than the file holds is refused.
        guard weights.elementCount >= configuration.denoiser.minimumParameterCount else {
            throw DiffusionError.invalidConfiguration(
                path: directory.appendingPathComponent(configurationName).path,
                problem: "the denoiser it describes has at least \(configuration.denoiser.minimumParameterCount) parameters, "
                    + "but \(weightsName) holds \(weights.elementCount) values; the two files do not belong together")
        }
        var tensors = try weights.allTensors()
        let d = configuration.denoiser.frameSize
        guard let mean = tensors.removeValue(forKey: "normalization.mean"), let std = tensors.removeValue(forKey: "normalization.std") else {
            throw EngineError.missingKeys(path: url.path, keys: ["normalization.mean", "normalization.std"])
        }
        for (key, tensor) in [("normalization.mean", mean), ("normalization.std", std)] where tensor.shape != [d] {
            throw EngineError.parameterShapeMismatch(path: url.path, key: key, expected: [d], actual: tensor.shape)
        }
        // Every parameter is overwritten by the strict load below: no need to draw initial values.
        let denoiser = withoutRandomInitialisation { Media2FaceDenoiser(configuration.denoiser) }
        try denoiser.loadParameters(tensors, source: url.path)
        denoiser.eval()
        return (configuration, denoiser, FrameNormalization(mean: mean, std: std))
    }

    /// Writes both files atomically (the directory is created if needed).
    /// - Parameter parameters: the weights to save by dotted key (e.g. the EMA's); the denoiser's own when nil.
    package static func save(configuration: DiffusionModelConfiguration, denoiser: Media2FaceDenoiser, parameters: [String: Tensor]? = nil,
                            normalization: FrameNormalization, to directory: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw EngineError.io(path: directory.path, problem: "cannot create the model directory (\(error.localizedDescription))")
        }
        var tensors = parameters ?? denoiser.parameterTensors()
        for (key, value) in normalization.tensors { tensors[key] = value }
        try SafeTensors.write(tensors, to: directory.appendingPathComponent(weightsName).path,
                              metadata: ["format": "media2face-diffusion"])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(configuration), to: directory.appendingPathComponent(configurationName).path)
    }
}
