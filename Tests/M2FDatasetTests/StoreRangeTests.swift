import Foundation
import M2FDataset
import M2FEngine
import Testing

/// Issue 19: numbers a dataset supplies are checked. A shard whose weights shape is [2^62 + F, 52]
/// wraps, in unchecked arithmetic, to exactly the F · 208 bytes its data range gives, and `dataset
/// export` / `dataset stats` then read past the mapping (SIGSEGV); a manifest fps of 0 divides by zero.
@Suite struct StoreRangeTests {
    /// Rewrites the shard's header with `edit` applied to its JSON (the data section is kept).
    static func editShardHeader(_ shard: URL, _ edit: (inout [String: Any]) -> Void) throws {
        let bytes = [UInt8](try Data(contentsOf: shard))
        let length = Int(bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        var header = try #require(try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + length)])) as? [String: Any])
        edit(&header)
        var json = try JSONSerialization.data(withJSONObject: header)
        while (8 + json.count) % 8 != 0 { json.append(0x20) }
        var out = withUnsafeBytes(of: UInt64(json.count).littleEndian) { Data($0) }
        out.append(json)
        out.append(contentsOf: bytes[(8 + length)...])
        try out.write(to: shard)
    }

    @Test func wrappingShardShapeIsAnErrorNotACrash() throws {
        let (directory, records, _) = try StoreFormatTests().writeDataset(dtype: .float32)
        defer { try? FileManager.default.removeItem(at: directory) }
        let record = records[0]
        try Self.editShardHeader(DatasetLayout(root: directory).shardFile(record.shard)) { header in
            var entry = header[record.weightsKey] as! [String: Any]
            entry["shape"] = [(1 << 62) + record.frameCount, 52]
            header[record.weightsKey] = entry
        }
        let dataset = try DatasetReader(directory: directory)
        do {
            _ = try dataset.arrays(of: dataset.records[0])
            Issue.record("a wrapping shape was read")
        } catch {
            #expect(error.localizedDescription.contains("overflows"), "\(error.localizedDescription)")
        }
        // `dataset stats` and `export` read every clip the same way.
        #expect(throws: (any Error).self) { try dataset.forEachClip { _, _ in } }
    }

    @Test(arguments: [("fps", "0", "fps is 0.0"), ("fps", "-30", "fps is -30.0"), ("frameCount", "-1", "frameCount is -1"),
                      ("sampleCount", "-16000", "sampleCount is -16000")])
    func manifestNumberOutOfRangeIsNamed(field: String, value: String, message: String) throws {
        let (directory, _, _) = try StoreFormatTests().writeDataset(dtype: .float32)
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifest = DatasetLayout(root: directory).manifestFile
        var lines = try String(contentsOf: manifest, encoding: .utf8).split(separator: "\n").map(String.init)
        var object = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        object[field] = Int(value).map { $0 as Any } ?? Double(value)!
        lines[1] = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        try lines.joined(separator: "\n").write(to: manifest, atomically: true, encoding: .utf8)
        let result = Result { () throws(DatasetError) -> DatasetReader in try DatasetReader(directory: directory) }
        guard case let .failure(error) = result, case let .malformed(file, line, problem) = error else {
            Issue.record("\(field) \(value) was not refused: \(result)")
            return
        }
        #expect(file == manifest.path && line == 2)
        #expect(problem.contains(message), "\(problem)")
    }
}
