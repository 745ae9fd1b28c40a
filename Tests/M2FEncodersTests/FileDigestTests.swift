import Foundation
import M2FEncoders
import Testing

@Suite("SHA-256 digests (swift-crypto)")
struct FileDigestTests {
    @Test("bytes: the FIPS 180-2 test vectors")
    func vectors() {
        #expect(FileDigest.sha256Hex(of: Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(FileDigest.sha256Hex(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(FileDigest.sha256Hex(of: long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(FileDigest.sha256Hex(of: [UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("files: streamed over several 1 MiB chunks, equal to sha256sum's digest")
    func fileMatchesSha256sum() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-digest-\(UUID().uuidString).bin")
        defer { try? FileManager.default.removeItem(at: url) }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let bytes = (0..<(3 << 20) + 17).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        try Data(bytes).write(to: url)

        let tool = Process()
        tool.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tool.arguments = ["sha256sum", url.path]
        let pipe = Pipe()
        tool.standardOutput = pipe
        try tool.run()
        let printed = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        tool.waitUntilExit()
        try #require(tool.terminationStatus == 0, "sha256sum (coreutils) is needed for this test")
        let expected = String(printed.prefix(64))

        #expect(try FileDigest.sha256Hex(ofFileAt: url.path) == expected)
        #expect(FileDigest.sha256Hex(of: bytes) == expected)
    }

    @Test("a missing file is an error naming it")
    func missingFile() {
        let path = "/nonexistent/m2f-\(UUID().uuidString).whl"
        #expect(throws: EncoderError.self) { try FileDigest.sha256Hex(ofFileAt: path) }
        do { _ = try FileDigest.sha256Hex(ofFileAt: path) } catch {
            #expect(error.localizedDescription.contains(path))
        }
    }
}
