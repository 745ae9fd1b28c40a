import Foundation
import M2FEngine
import M2FSystem

/// Runs feature extractors over a dataset, shard by shard, caching each shard's result in
/// `features/<key>/<shard>.safetensors` (atomic). A shard whose cached file holds exactly the
/// shard's clips is skipped; a new model version has a new key and so is computed afresh.
public struct Featurizer {
    public struct Progress: Sendable {
        public var featureSet: String
        public var clipsDone: Int
        public var clipsTotal: Int
        public var shardsSkipped: Int
    }

    public struct Summary: Sendable {
        public var featureSet: String
        public var shardsComputed: Int
        public var shardsSkipped: Int
        public var clipsComputed: Int
        public var seconds: Double
    }

    public let dataset: DatasetReader

    public init(dataset: DatasetReader) { self.dataset = dataset }

    /// Computes `featurizer` for every shard that lacks it.
    public func run(_ featurizer: any ClipFeaturizing, progress: (Progress) -> Void = { _ in }) throws -> Summary {
        let start = Date()
        let info = featurizer.info
        let directory = dataset.layout.featuresDirectory.appendingPathComponent(info.key, isDirectory: true)
        do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
            throw DatasetError.io(file: directory.path, problem: "cannot create: \(error.localizedDescription)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(info), to: directory.appendingPathComponent("info.json").path)

        var shards: [String: [ClipRecord]] = [:]
        var order: [String] = []
        for record in dataset.records {
            if shards[record.shard] == nil { order.append(record.shard) }
            shards[record.shard, default: []].append(record)
        }
        var summary = Summary(featureSet: info.key, shardsComputed: 0, shardsSkipped: 0, clipsComputed: 0, seconds: 0)
        var done = 0
        for name in order {
            let records = shards[name]!
            let url = directory.appendingPathComponent("\(name).safetensors")
            if Self.isComplete(url, records: records, tensor: info.tensor) {
                summary.shardsSkipped += 1
                done += records.count
                progress(Progress(featureSet: info.key, clipsDone: done, clipsTotal: dataset.records.count, shardsSkipped: summary.shardsSkipped))
                continue
            }
            var tensors: [String: Tensor] = [:]
            // Small batches keep memory flat while letting a featurizer batch (the text encoder does).
            for batch in stride(from: 0, to: records.count, by: 8).map({ Array(records[$0..<min($0 + 8, records.count)]) }) {
                let clips = try batch.map { ($0, try dataset.arrays(of: $0)) }
                let values = try featurizer.features(of: clips)
                precondition(values.count == batch.count, "\(info.key) returned \(values.count) tensors for \(batch.count) clips")
                for (record, value) in zip(batch, values) {
                    let expected = info.perFrame ? [record.frameCount, info.dims] : [info.dims]
                    guard value.shape == expected else {
                        throw DatasetError.badClipArrays(file: url.path, clip: record.id, problem: "\(info.key) gave shape \(value.shape), expected \(expected)")
                    }
                    tensors["\(record.id).\(info.tensor)"] = value
                }
                done += batch.count
                summary.clipsComputed += batch.count
                progress(Progress(featureSet: info.key, clipsDone: done, clipsTotal: dataset.records.count, shardsSkipped: summary.shardsSkipped))
            }
            try SafeTensors.write(tensors, to: url.path, metadata: ["featureSet": info.key, "clips": String(records.count)])
            summary.shardsComputed += 1
        }
        summary.seconds = Date().timeIntervalSince(start)
        return summary
    }

    /// True when `url` holds the feature of exactly these clips.
    static func isComplete(_ url: URL, records: [ClipRecord], tensor: String) -> Bool {
        guard let file = try? SafeTensorsFile(path: url.path) else { return false }
        let wanted = Set(records.map { "\($0.id).\(tensor)" })
        return Set(file.entries.keys) == wanted
    }
}
