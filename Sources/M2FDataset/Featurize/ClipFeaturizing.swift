import Foundation
import M2FEngine

/// What a feature set is: stored as `features/<key>/info.json`.
public struct FeatureSetInfo: Codable, Sendable, Equatable {
    /// Directory name: the model's name and version plus any setting that changes the values
    /// (`whisper-tiny-en@0.1.0-589c9dac-pad`). A new version gets a new directory, so it is recomputed.
    public var key: String
    /// The model's catalog name (`whisper-tiny-en`, `all-minilm-l6-v2`, later `gnpfa`).
    public var model: String
    public var version: String
    /// Tensor name suffix per clip (`whisper` → `<id>.whisper`).
    public var tensor: String
    /// Per-frame ([F, dims], at the clip's fps) or per-clip ([dims]).
    public var perFrame: Bool
    public var dims: Int
    public var summary: String

    public init(key: String, model: String, version: String, tensor: String, perFrame: Bool, dims: Int, summary: String) {
        self.key = key
        self.model = model
        self.version = version
        self.tensor = tensor
        self.perFrame = perFrame
        self.dims = dims
        self.summary = summary
    }
}

/// A feature computed once per clip by `m2f dataset featurize` and cached under `features/<key>/`,
/// one safetensors file per shard holding `<id>.<tensor>` for each clip of the shard.
///
/// The hook for later features: GNPFA latents become one more conformance (key `gnpfa@<checkpoint
/// hash>`, tensor `latent` [F, D] from the clip's weights) added to `Featurizer`'s list; nothing else
/// changes, and training reads them with `DatasetReader.feature(_:of:)`.
public protocol ClipFeaturizing {
    var info: FeatureSetInfo { get }
    /// Features of a group of clips of one shard, in order: one tensor per record.
    func features(of clips: [(ClipRecord, ClipArrays)]) throws -> [Tensor]
}

extension DatasetReader {
    /// The feature sets present in `features/`.
    public func featureSets() -> [FeatureSetInfo] {
        let root = layout.featuresDirectory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.sorted().compactMap { name in
            guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(name).appendingPathComponent("info.json").path)
            else { return nil }
            return try? JSONDecoder().decode(FeatureSetInfo.self, from: data)
        }
    }

    /// The newest feature set of `model` (the last key in sorted order), if any.
    public func featureSet(model: String) -> FeatureSetInfo? { featureSets().last { $0.model == model } }

    /// The feature set of `model` whose key ends in `-<suffix>` for the first suffix present (newest
    /// version of it); nil suffixes: `featureSet(model:)`.
    public func featureSet(model: String, preferringSuffixes suffixes: [String]?) -> FeatureSetInfo? {
        guard let suffixes else { return featureSet(model: model) }
        let sets = featureSets().filter { $0.model == model }
        for suffix in suffixes {
            if let match = sets.last(where: { $0.key.hasSuffix("-\(suffix)") }) { return match }
        }
        return nil
    }

    /// One clip's feature from `set` ([F, dims] or [dims]).
    public func feature(_ set: FeatureSetInfo, of record: ClipRecord) throws(DatasetError) -> Tensor {
        let url = layout.featuresDirectory.appendingPathComponent(set.key).appendingPathComponent("\(record.shard).safetensors")
        let file: SafeTensorsFile
        do { file = try SafeTensorsFile(path: url.path) } catch {
            throw .io(file: url.path, problem: "no features for shard \(record.shard) (\(error.localizedDescription)); run `m2f dataset featurize \(layout.root.path)`")
        }
        do { return try file.tensor(named: "\(record.id).\(set.tensor)") } catch {
            throw .badClipArrays(file: url.path, clip: record.id, problem: "feature \(set.tensor) is missing; run `m2f dataset featurize` again")
        }
    }
}
