import Foundation
import M2FEngine
import Testing

/// Issue 19: a safetensors shape of [2^62 + F, 52] F32 wrapped, in unchecked arithmetic, to exactly the
/// byte count its data range gives (4 · 52 · (2^62 + 10) ≡ 2080 mod 2^64), so `dataset export` and
/// `dataset stats` then read far past the mapping. The reader multiplies with overflow checks.
@Suite struct SafeTensorsSizeTests {
    /// A safetensors file whose header is `header` followed by `dataBytes` zero bytes.
    static func file(header: String, dataBytes: Int) throws -> String {
        var bytes = [UInt8]()
        let json = Array(header.utf8)
        bytes += withUnsafeBytes(of: UInt64(json.count).littleEndian) { [UInt8]($0) }
        bytes += json
        bytes += [UInt8](repeating: 0, count: dataBytes)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-crafted-\(UUID().uuidString).safetensors")
        try Data(bytes).write(to: url)
        return url.path
    }

    @Test func wrappingShapeIsRefused() throws {
        let rows = (1 << 62) + 10
        #expect(rows &* 52 &* 4 == 2080)
        let path = try Self.file(header: #"{"weights":{"dtype":"F32","shape":[\#(rows),52],"data_offsets":[0,2080]}}"#, dataBytes: 2080)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try SafeTensorsFile(path: path)
            Issue.record("a wrapping shape was accepted")
        } catch {
            #expect(error.localizedDescription.contains("overflows"), "\(error.localizedDescription)")
            #expect(error.localizedDescription.contains(path))
        }
    }

    @Test func negativeDimensionsAndHugeHeaderLengthsAreRefused() throws {
        let negative = try Self.file(header: #"{"w":{"dtype":"F32","shape":[-2,-2],"data_offsets":[0,16]}}"#, dataBytes: 16)
        defer { try? FileManager.default.removeItem(atPath: negative) }
        #expect(throws: EngineError.self) { try SafeTensorsFile(path: negative) }

        // A header length with the top bit set must not trap when it is turned into an Int.
        var bytes = withUnsafeBytes(of: UInt64.max.littleEndian) { [UInt8]($0) }
        bytes += Array("{}".utf8)
        let huge = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-crafted-\(UUID().uuidString).safetensors")
        try Data(bytes).write(to: huge)
        defer { try? FileManager.default.removeItem(at: huge) }
        #expect(throws: EngineError.self) { try SafeTensorsFile(path: huge.path) }
    }

    @Test func validFileCountsItsValues() throws {
        let path = try Self.file(header: #"{"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"b":{"dtype":"F16","shape":[4],"data_offsets":[24,32]}}"#, dataBytes: 32)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try SafeTensorsFile(path: path)
        #expect(file.elementCount == 10)
        #expect(try file.tensor(named: "a").shape == [2, 3])
    }
}
