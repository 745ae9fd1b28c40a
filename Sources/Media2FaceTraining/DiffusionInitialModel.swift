import Foundation
import M2FEngine
import Media2Face

/// The trained model a fine-tuning run starts from (`m2f train diffusion --init DIR`).
package struct DiffusionInitialModel {
    package var configuration: DiffusionModelConfiguration
    /// The denoiser's weights by dotted key (the saved EMA weights).
    package var parameters: [String: Tensor]
    /// Kept, not refitted: the weights only mean something in the units they were trained in.
    package var normalization: FrameNormalization

    /// Loads `directory` (nil: nothing to continue from).
    /// - Throws: `DiffusionError.invalidConfiguration` naming the folder when it was trained in another
    ///   expression latent space than `codingName`, or the model file's own errors.
    package static func load(_ directory: URL?, codingName: String) throws -> DiffusionInitialModel? {
        guard let directory else { return nil }
        let loaded = try DiffusionModelFile.load(from: directory)
        // Same latent space: the recorded VAE digests agree (ARKit-space models: the coding names agree).
        let trained = LatentSpaceDigest.recorded(in: loaded.configuration.coding), current = LatentSpaceDigest.recorded(in: codingName)
        let same = trained != nil || current != nil ? trained == current : loaded.configuration.coding == codingName
        guard same else {
            throw DiffusionError.invalidConfiguration(
                path: directory.appendingPathComponent(DiffusionModelFile.configurationName).path,
                problem: "the model was trained in \"\(loaded.configuration.coding)\" but this run codes expressions as \"\(codingName)\"; "
                    + "pass the --gnpfa folder it was trained with")
        }
        return DiffusionInitialModel(configuration: loaded.configuration, parameters: loaded.denoiser.parameterTensors(),
                                     normalization: loaded.normalization)
    }
}
