import Foundation
import M2FEncoders
import M2FEngine

/// Whisper tiny.en speech features per animation frame: [F, 384] at the clip's fps
/// (`SpeechFeatureExtractor` at 50 Hz, resampled linearly to the frame times).
public struct WhisperFeaturizer: ClipFeaturizing {
    public let extractor: SpeechFeatureExtractor
    public let info: FeatureSetInfo

    /// Loads the installed encoder; the key holds the model version, its wheel hash and the
    /// short-audio policy (both change the values).
    public init(store: ModelStore = ModelStore(), shortAudio: SpeechFeatureExtractor.ShortAudio = .padToWindow) throws {
        let entry = WhisperModel.catalogEntry
        let manifest = store.manifest(for: entry)
        let version = "\(manifest?.version ?? entry.version)-\((manifest?.wheelSHA256 ?? entry.wheelSHA256).prefix(8))"
        extractor = SpeechFeatureExtractor(encoder: try WhisperModel.loadEncoder(store: store), shortAudio: shortAudio)
        let policy = shortAudio == .padToWindow ? "pad" : "needed"
        info = FeatureSetInfo(key: "\(entry.name)@\(version)-\(policy)", model: entry.name, version: version, tensor: "whisper",
                              perFrame: true, dims: extractor.encoder.configuration.width,
                              summary: "Whisper tiny.en encoder output, 50 Hz resampled to the clip fps (\(policy) short audio)")
    }

    public func features(of clips: [(ClipRecord, ClipArrays)]) throws -> [Tensor] {
        clips.map { record, arrays in
            let features = extractor.features(samples: arrays.audio.toArray())
            return SpeechFeatureExtractor.resample(features, toFPS: record.fps, frameCount: record.frameCount).contiguous()
        }
    }
}

/// MiniLM-L6 style codes of each clip's description: [384], unit length.
public struct StyleFeaturizer: ClipFeaturizing {
    public let encoder: SentenceEncoder
    public let info: FeatureSetInfo

    public init(store: ModelStore = ModelStore()) throws {
        let entry = MiniLMModel.catalogEntry
        let manifest = store.manifest(for: entry)
        let version = "\(manifest?.version ?? entry.version)-\((manifest?.wheelSHA256 ?? entry.wheelSHA256).prefix(8))"
        encoder = try SentenceEncoder(store: store)
        info = FeatureSetInfo(key: "\(entry.name)@\(version)", model: entry.name, version: version, tensor: "style", perFrame: false,
                              dims: encoder.dimensions, summary: "all-MiniLM-L6-v2 sentence vector of the clip's description")
    }

    public func features(of clips: [(ClipRecord, ClipArrays)]) throws -> [Tensor] {
        let unique = Array(Set(clips.map(\.0.description))).sorted()
        let vectors = Dictionary(uniqueKeysWithValues: zip(unique, encoder.embed(unique)))
        return clips.map { record, _ in Tensor(vectors[record.description]!, shape: [encoder.dimensions]) }
    }
}
