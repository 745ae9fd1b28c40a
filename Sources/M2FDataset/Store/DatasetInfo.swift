import Foundation
import M2FCheckedInput
import M2FEngine
import M2FSystem

/// `dataset.json`: what a dataset directory is, which format version it uses and how it was made.
///
/// Readers check `format` and `formatVersion` before anything else and refuse versions they do not
/// know (`DatasetError.unsupportedVersion`). See docs/DATASET.md for the full layout.
public struct DatasetInfo: Codable, Sendable, Equatable {
    /// The format name this module reads and writes.
    public static let formatName = "m2f-dataset"
    /// The version this module reads and writes.
    public static let currentVersion = 1

    /// Always `m2f-dataset`.
    public var format: String
    /// Layout version (1).
    public var formatVersion: Int
    /// Audio sample rate of every clip (16 000).
    public var sampleRate: Int
    /// Animation frame rate of every clip (30).
    public var fps: Double
    /// Element type of the shard arrays: `F32` (memory-mapped without a copy) or `F16` (half the disk).
    public var dtype: String
    /// What made the dataset (`m2f dataset build`, `m2f dataset import-livelink`).
    public var createdBy: String
    /// The synthetic build's settings, kept so that a resumed build can check it plans the same clips.
    public var build: BuildSettings?

    public init(sampleRate: Int = 16_000, fps: Double = 30, dtype: SafeTensorsDType = .float32, createdBy: String,
                build: BuildSettings? = nil) {
        self.format = Self.formatName
        self.formatVersion = Self.currentVersion
        self.sampleRate = sampleRate
        self.fps = fps
        self.dtype = dtype.rawValue
        self.createdBy = createdBy
        self.build = build
    }

    /// The shard element type.
    public var shardDType: SafeTensorsDType { SafeTensorsDType(rawValue: dtype) ?? .float32 }

    /// Reads and checks `dataset.json` in `directory`.
    public static func read(directory: URL) throws(DatasetError) -> DatasetInfo {
        let url = DatasetLayout(root: directory).infoFile
        guard FileManager.default.fileExists(atPath: url.path) else { throw .notADataset(directory: directory.path) }
        guard let data = FileManager.default.contents(atPath: url.path) else { throw .io(file: url.path, problem: "cannot read") }
        // Check the version before decoding the rest, so a future layout fails with the right message.
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw .malformed(file: url.path, line: 0, problem: "not a JSON object")
        }
        let format = object["format"] as? String ?? "(none)"
        let version = object["formatVersion"] as? Int
        guard format == formatName, version == currentVersion else {
            throw .unsupportedVersion(file: url.path, found: "\(format) version \(version.map(String.init) ?? "(none)")",
                                      supported: currentVersion)
        }
        do {
            let info = try JSONDecoder().decode(DatasetInfo.self, from: data)
            guard SafeTensorsDType(rawValue: info.dtype) != nil, info.dtype != "BF16" else {
                throw DatasetError.malformed(file: url.path, line: 0, problem: "dtype '\(info.dtype)' must be F32 or F16")
            }
            var check = FieldRanges()
            check.require("sampleRate", info.sampleRate, in: 8000...192_000)
            check.require("fps", info.fps, in: 1...1000)
            if let problem = check.problem { throw DatasetError.malformed(file: url.path, line: 0, problem: problem) }
            return info
        } catch let error as DatasetError {
            throw error
        } catch {
            throw .malformed(file: url.path, line: 0, problem: "\(error)")
        }
    }

    /// Writes `dataset.json` atomically.
    public func write(directory: URL) throws(DatasetError) {
        let url = DatasetLayout(root: directory).infoFile
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try AtomicFile.write(try encoder.encode(self), to: url.path)
        } catch {
            throw .io(file: url.path, problem: "cannot write: \(error.localizedDescription)")
        }
    }
}

/// The settings of a synthetic build (`m2f dataset build --synthetic`), stored in `dataset.json`.
public struct BuildSettings: Codable, Sendable, Equatable {
    public var seed: UInt64
    /// Requested hours of speech (the plan's estimate; the real total is in the manifest).
    public var hours: Double
    /// Version of the planning rules (a change plans different clips).
    public var plannerVersion: Int
    /// Clips per shard.
    public var clipsPerShard: Int
    /// Clips and shards planned.
    public var plannedClips: Int
    public var plannedShards: Int
    /// Voice ids in the plan, in catalog order.
    public var voices: [String]
    /// Number of sentences in the corpus the plan drew from, and the corpus's fingerprint.
    public var sentenceCount: Int
    public var corpusFingerprint: String
    /// The teacher animator's configuration version.
    public var teacherVersion: String
    /// `idle` for a build of idle clips (`--idle`); nil for speech clips (and every older dataset).
    public var kind: String?

    public init(seed: UInt64, hours: Double, plannerVersion: Int, clipsPerShard: Int, plannedClips: Int, plannedShards: Int,
                voices: [String], sentenceCount: Int, corpusFingerprint: String, teacherVersion: String) {
        self.seed = seed
        self.hours = hours
        self.plannerVersion = plannerVersion
        self.clipsPerShard = clipsPerShard
        self.plannedClips = plannedClips
        self.plannedShards = plannedShards
        self.voices = voices
        self.sentenceCount = sentenceCount
        self.corpusFingerprint = corpusFingerprint
        self.teacherVersion = teacherVersion
    }
}

/// Where each file of a dataset lives.
public struct DatasetLayout: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    public var infoFile: URL { root.appendingPathComponent("dataset.json") }
    public var manifestFile: URL { root.appendingPathComponent("manifest.jsonl") }
    public var shardsDirectory: URL { root.appendingPathComponent("shards", isDirectory: true) }
    /// One manifest part per finished shard (`parts/shard-00012.jsonl`), plus its failure report.
    public var partsDirectory: URL { root.appendingPathComponent("parts", isDirectory: true) }
    public var featuresDirectory: URL { root.appendingPathComponent("features", isDirectory: true) }
    public var plotsDirectory: URL { root.appendingPathComponent("plots", isDirectory: true) }

    /// `shard-00012`.
    public static func shardName(_ index: Int) -> String { "shard-" + String(format: "%05d", index) }

    public func shardFile(_ name: String) -> URL { shardsDirectory.appendingPathComponent("\(name).safetensors") }
    public func partFile(_ name: String) -> URL { partsDirectory.appendingPathComponent("\(name).jsonl") }
    public func failureFile(_ name: String) -> URL { partsDirectory.appendingPathComponent("\(name).failures.jsonl") }

    /// Creates the root, `shards/` and `parts/`.
    public func createDirectories() throws(DatasetError) {
        for url in [root, shardsDirectory, partsDirectory] {
            do { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) } catch {
                throw .io(file: url.path, problem: "cannot create directory: \(error.localizedDescription)")
            }
        }
    }
}
