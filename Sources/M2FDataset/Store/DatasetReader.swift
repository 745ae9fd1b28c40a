import Foundation
import M2FEngine
import M2FFace

/// Opens a dataset for reading: checks `dataset.json`, reads `manifest.jsonl` and loads clip arrays
/// from memory-mapped shards. The loader the training code uses.
///
///     let dataset = try DatasetReader(directory: url)
///     for record in dataset.clips(in: .train) {
///         let arrays = try dataset.arrays(of: record)   // audio [S], weights [F, 52], head_pose [F, 6], eye_pose [F, 4]
///     }
///
/// Shards stay mapped while the reader lives (the kernel pages them in on use). Thread-safe.
public final class DatasetReader: @unchecked Sendable {
    public let layout: DatasetLayout
    public let info: DatasetInfo
    /// Every clip in manifest order.
    public let records: [ClipRecord]
    private let byID: [String: Int]
    private var shards: [String: SafeTensorsFile] = [:]
    private let lock = NSLock()

    public var directory: URL { layout.root }

    /// - Throws: `DatasetError.notADataset`, `.unsupportedVersion`, or `.malformed` with the manifest line.
    public init(directory: URL) throws(DatasetError) {
        layout = DatasetLayout(root: directory)
        info = try DatasetInfo.read(directory: directory)
        if FileManager.default.fileExists(atPath: layout.manifestFile.path) {
            records = try Manifest.read(layout.manifestFile)
        } else {
            records = []
        }
        var index: [String: Int] = [:]
        for (i, record) in records.enumerated() {
            guard index[record.id] == nil else {
                throw .malformed(file: layout.manifestFile.path, line: i + 1, problem: "clip id \(record.id) appears twice")
            }
            index[record.id] = i
        }
        byID = index
    }

    /// Clips of one split, in manifest order.
    public func clips(in split: DatasetSplit) -> [ClipRecord] { records.filter { $0.split == split } }

    /// The clip called `id`.
    public func record(id: String) throws(DatasetError) -> ClipRecord {
        guard let i = byID[id] else { throw .unknownClip(id: id, directory: layout.root.path) }
        return records[i]
    }

    /// The shard file `name`, opened once and kept mapped.
    public func shard(named name: String) throws(DatasetError) -> SafeTensorsFile {
        lock.lock()
        defer { lock.unlock() }
        if let file = shards[name] { return file }
        let url = layout.shardFile(name)
        do {
            let file = try SafeTensorsFile(path: url.path)
            shards[name] = file
            return file
        } catch {
            throw .io(file: url.path, problem: "cannot open shard: \(error.localizedDescription)")
        }
    }

    /// The clip's arrays, shape-checked against its record.
    public func arrays(of record: ClipRecord) throws(DatasetError) -> ClipArrays {
        let file = try shard(named: record.shard)
        func load(_ key: String) throws(DatasetError) -> Tensor {
            guard file.entries[key] != nil else { throw .badClipArrays(file: file.path, clip: record.id, problem: "array \(key) is missing") }
            do { return try file.tensor(named: key) } catch {
                throw .badClipArrays(file: file.path, clip: record.id, problem: "\(key): \(error.localizedDescription)")
            }
        }
        let arrays = ClipArrays(audio: try load(record.audioKey), weights: try load(record.weightsKey),
                                headPose: try load(record.headPoseKey), eyePose: try load(record.eyePoseKey))
        try arrays.check(against: record, file: file.path)
        return arrays
    }

    /// Calls `body` with each clip of `split` and its arrays, in manifest order.
    public func forEachClip(in split: DatasetSplit? = nil,
                            _ body: (ClipRecord, ClipArrays) throws -> Void) throws {
        for record in records where split == nil || record.split == split {
            try body(record, try arrays(of: record))
        }
    }

    /// The clip as a `FaceAnimation` with its labels in the metadata (for export and preview).
    public func animation(of record: ClipRecord) throws(DatasetError) -> FaceAnimation {
        var metadata = ["source": "m2f dataset \(layout.root.lastPathComponent)", "clip": record.id, "voice": record.voice,
                        "emotion": record.emotion.rawValue, "intensity": String(record.intensity), "description": record.description,
                        "split": record.split.rawValue]
        if !record.transcript.isEmpty { metadata["transcript"] = record.transcript }
        return try arrays(of: record).animation(fps: record.fps, metadata: metadata)
    }

    /// Total seconds of `split` (all clips when nil).
    public func seconds(in split: DatasetSplit? = nil) -> Double {
        records.filter { split == nil || $0.split == split }.reduce(0) { $0 + $1.duration }
    }
}
