import Foundation
import M2FEncoders

extension Media2FacePipeline {
    /// Loads every model the configuration names: Whisper tiny.en and MiniLM from the encoder cache,
    /// GNPFA and the diffusion model from their folders.
    /// - Throws: `PipelineError.modelMissing` when the diffusion model cannot be loaded,
    ///   `EncoderError.notInstalled` (with the fetch command) when Whisper is not installed.
    public static func load(configuration: Media2FacePipelineConfiguration = Media2FacePipelineConfiguration()) throws -> Media2FacePipeline {
        try configuration.validate()
        let directory = configuration.resolvedModelDirectory
        guard let directory, FileManager.default.fileExists(atPath: directory.appendingPathComponent("config.json").path) else {
            throw PipelineError.modelMissing(path: directory?.path, detail: "no config.json there")
        }
        throw PipelineError.modelMissing(path: directory.path, detail: "this build has no diffusion generator yet")
    }
}
