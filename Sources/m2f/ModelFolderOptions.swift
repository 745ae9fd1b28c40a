import ArgumentParser
import Media2Face

/// `--model` and `--gnpfa`: which trained Media2Face model (and the GNPFA latent space it was trained
/// in) a command loads. Shared by `animate`, `eval media2face` and `eval human-speech`.
struct ModelFolderOptions: ParsableArguments {
    @Option(help: "Media2Face model folder (default: Models/media2face, or $M2F_MODEL).")
    var model: String?

    @Option(help: "GNPFA model folder the model was trained in (default: Models/gnpfa, or $M2F_GNPFA).")
    var gnpfa: String?

    /// The pipeline on these folders (the defaults where not given).
    func loadPipeline() async throws -> Media2FacePipeline {
        try await Media2FacePipeline.load(configuration: Media2FacePipelineConfiguration(modelDirectory: model, gnpfaDirectory: gnpfa))
    }
}
