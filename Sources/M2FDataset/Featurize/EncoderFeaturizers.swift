import Foundation
import M2FEncoders
import M2FEngine

/// How a clip under 30 s is encoded; part of the feature-set key, since it changes the values. A model
/// records the policy it was trained on and the pipeline encodes speech the same way.
///
/// Measured on TTS speech (docs/BENCHMARKS.md): `needed` stays close to `pad` (per-frame cosine mean
/// > 0.9) at ~1/10 of the encoder time for 5 s clips. Packing several clips into one window was tried
/// and dropped: a clip moved away from the window start changed its features far more (cosine 0.52).
public enum SpeechFeaturePolicy: String, CaseIterable, Sendable {
    /// Only the clip's own frames are encoded. The default: a 3 h dataset featurizes in minutes.
    case needed
    /// The clip padded with silence to 30 s, as Whisper was trained.
    case pad

    /// Preference when a dataset holds several Whisper feature sets.
    public static let preferenceOrder: [SpeechFeaturePolicy] = [.needed, .pad]

    /// The extractor setting that computes these features.
    public var shortAudio: SpeechFeatureExtractor.ShortAudio { self == .needed ? .encodeNeededFrames : .padToWindow }
}

/// Whisper tiny.en speech features per animation frame: [F, 384] at the clip's fps
/// (`SpeechFeatureExtractor` at 50 Hz, resampled linearly to the frame times).
public struct WhisperFeaturizer: ClipFeaturizing {
    public let extractor: SpeechFeatureExtractor
    public let policy: SpeechFeaturePolicy
    public let info: FeatureSetInfo

    /// Loads the installed encoder; the key holds the model version, its wheel hash and the
    /// policy (both change the values).
    public init(store: ModelStore = ModelStore(), policy: SpeechFeaturePolicy = .needed) throws {
        let entry = WhisperModel.catalogEntry
        let manifest = store.manifest(for: entry)
        let version = "\(manifest?.version ?? entry.version)-\((manifest?.wheelSHA256 ?? entry.wheelSHA256).prefix(8))"
        self.policy = policy
        extractor = SpeechFeatureExtractor(encoder: try WhisperModel.loadEncoder(store: store), shortAudio: policy.shortAudio)
        info = FeatureSetInfo(key: "\(entry.name)@\(version)-\(policy.rawValue)", model: entry.name, version: version, tensor: "whisper",
                              perFrame: true, dims: extractor.encoder.configuration.width,
                              summary: "Whisper tiny.en encoder output, 50 Hz resampled to the clip fps (\(policy.rawValue) policy)")
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
