import Foundation
import M2FEncoders
import M2FGNPFA

extension Media2FacePipeline {
    /// Loads every model the configuration names: Whisper tiny.en from the encoder cache (MiniLM on first
    /// use of a text style), GNPFA (with its image encoder when it has one) and the diffusion model.
    /// - Throws: `PipelineError.modelMissing` when the diffusion or GNPFA model cannot be loaded,
    ///   `EncoderError.notInstalled` (with the fetch command) when Whisper is not installed.
    public static func load(configuration: Media2FacePipelineConfiguration = Media2FacePipelineConfiguration()) async throws -> Media2FacePipeline {
        try configuration.validate()
        let started = ContinuousClock.now
        guard let directory = configuration.resolvedModelDirectory,
              FileManager.default.fileExists(atPath: directory.appendingPathComponent(DiffusionModelFile.configurationName).path) else {
            throw PipelineError.modelMissing(path: configuration.resolvedModelDirectory?.path, detail: "no \(DiffusionModelFile.configurationName) there")
        }
        let coding: any ExpressionCoding
        let gnpfa: GNPFAModel?
        let model = try DiffusionModelFile.configuration(in: directory)
        if model.coding.hasPrefix("arkit") {
            coding = ARKitLogitCoding()
            gnpfa = nil
        } else {
            guard let gnpfaDirectory = configuration.resolvedGNPFADirectory else {
                throw PipelineError.modelMissing(path: nil, detail: "the GNPFA model (Models/gnpfa) was not found; pass its folder in the configuration")
            }
            do { gnpfa = try GNPFAModel(directory: gnpfaDirectory) } catch {
                throw PipelineError.modelMissing(path: gnpfaDirectory.path, detail: "GNPFA: \(error.localizedDescription)")
            }
            coding = gnpfa!
            if let trained = LatentSpaceDigest.recorded(in: model.coding),
               let found = LatentSpaceDigest.of(gnpfaDirectory), trained != found {
                throw PipelineError.latentSpaceMismatch(model: directory.path, gnpfa: gnpfaDirectory.path, trained: trained, found: found)
            }
        }
        let generator: Media2FaceGenerator
        do { generator = try Media2FaceGenerator(directory: directory, coding: coding) } catch {
            throw PipelineError.modelMissing(path: directory.path, detail: error.localizedDescription)
        }
        let store = ModelStore(root: configuration.encoderCache.map { URL(fileURLWithPath: $0) })
        let whisper = try WhisperModel.loadEncoder(store: store)
        let engine = AnimationEngine(generator: generator, modelVersion: version(of: directory, configuration: generator.configuration),
                                     speechEncoder: whisper, photos: PhotoExpressionTracker(coding: coding, store: store),
                                     encoderCache: configuration.encoderCache)
        return Media2FacePipeline(configuration: configuration, engine: engine, loadSeconds: seconds(ContinuousClock.now - started))
    }

    /// "media2face:<folder>:<size of the weights>" unless the configuration names a version.
    static func version(of directory: URL, configuration: DiffusionModelConfiguration) -> String {
        if let version = configuration.training["version"] { return version }
        let weights = directory.appendingPathComponent(DiffusionModelFile.weightsName)
        let attributes = try? FileManager.default.attributesOfItem(atPath: weights.path)
        let size = (attributes?[.size] as? Int).map { String($0) } ?? "?"
        return "media2face:\(directory.lastPathComponent):\(size)"
    }
}
