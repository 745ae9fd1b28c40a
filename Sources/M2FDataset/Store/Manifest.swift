import Foundation
import M2FEngine
import M2FSystem

/// `manifest.jsonl` and the per-shard parts it is rebuilt from: one `ClipRecord` per line.
public enum Manifest {
    /// The JSON Lines text of `records` (sorted keys, one clip per line).
    public static func serialize(_ records: [ClipRecord]) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        for record in records {
            // Encoding a value type of strings and numbers cannot fail.
            data.append(try! encoder.encode(record))
            data.append(0x0A)
        }
        return data
    }

    /// Parses JSON Lines; blank lines are skipped, a bad line throws with its number.
    public static func parse(_ data: Data, file: String) throws(DatasetError) -> [ClipRecord] {
        let decoder = JSONDecoder()
        var records: [ClipRecord] = []
        var lineNumber = 0
        for line in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
            do {
                records.append(try decoder.decode(ClipRecord.self, from: Data(line)))
            } catch {
                throw .malformed(file: file, line: lineNumber, problem: "not a clip record (\(Self.describe(error)))")
            }
        }
        return records
    }

    /// Reads a manifest or part file.
    public static func read(_ url: URL) throws(DatasetError) -> [ClipRecord] {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw .io(file: url.path, problem: "cannot read (missing or no permission)")
        }
        return try parse(data, file: url.path)
    }

    /// Writes atomically (temporary sibling, then rename).
    public static func write(_ records: [ClipRecord], to url: URL) throws(DatasetError) {
        do { try AtomicFile.write(serialize(records), to: url.path) } catch {
            throw .io(file: url.path, problem: "cannot write: \(error.localizedDescription)")
        }
    }

    /// Rebuilds `manifest.jsonl` from every part in `parts/` whose shard file exists, in shard-name
    /// order, and writes it atomically. Ids must be unique across parts.
    /// - Returns: the records written.
    @discardableResult
    public static func rebuild(_ layout: DatasetLayout) throws(DatasetError) -> [ClipRecord] {
        var records: [ClipRecord] = []
        var seen = Set<String>()
        for name in finishedShards(layout) {
            for record in try read(layout.partFile(name)) {
                guard seen.insert(record.id).inserted else {
                    throw .malformed(file: layout.partFile(name).path, line: 0, problem: "clip id \(record.id) appears in two parts")
                }
                records.append(record)
            }
        }
        try write(records, to: layout.manifestFile)
        return records
    }

    /// Names of shards that are finished: the shard file and its part both exist (the part is
    /// written after the shard, so a part alone never counts and a shard alone is redone).
    public static func finishedShards(_ layout: DatasetLayout) -> [String] {
        let parts = (try? FileManager.default.contentsOfDirectory(atPath: layout.partsDirectory.path)) ?? []
        return parts.filter { $0.hasSuffix(".jsonl") && !$0.hasSuffix(".failures.jsonl") && !$0.hasPrefix(".") }
            .map { String($0.dropLast(".jsonl".count)) }
            .filter { FileManager.default.fileExists(atPath: layout.shardFile($0).path) }
            .sorted()
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case let DecodingError.keyNotFound(key, _): return "missing \"\(key.stringValue)\""
        case let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context):
            return "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        case let DecodingError.dataCorrupted(context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        default: return "\(error)"
        }
    }
}
