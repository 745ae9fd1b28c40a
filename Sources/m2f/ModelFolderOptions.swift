import ArgumentParser
import Media2Face

/// `--model` and `--gnpfa`: which trained Media2Face model (and the GNPFA latent space it was trained
/// in) a command loads. Shared by `animate`, `eval media2face` and `eval human-speech`.
struct ModelFolderOptions: ParsableArguments {
    @Option(help: "Media2Face model folder (default: Models/media2face, or $M2F_MODEL).")
    var model: String?

    @Option(help: "GNPFA model folder the model was trained in (default: Models/gnpfa, or $M2F_GNPFA).")
    var gnpfa: String?

    @Option(help: "How --image becomes a style: tracker (the face tracker's ARKit weights through GNPFA, the default) or image-encoder (GNPFA's render-trained image encoder).")
    var imageStyle: String = ImageStyleSource.tracker.rawValue

    func validate() throws {
        guard ImageStyleSource(rawValue: imageStyle) != nil else {
            throw ValidationError("--image-style must be one of \(ImageStyleSource.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    /// The pipeline on these folders (the defaults where not given).
    func loadPipeline() async throws -> Media2FacePipeline {
        try await Media2FacePipeline.load(configuration: Media2FacePipelineConfiguration(modelDirectory: model, gnpfaDirectory: gnpfa,
                                                                                          imageStyle: ImageStyleSource(rawValue: imageStyle)))
    }
}
