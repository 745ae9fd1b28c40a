import Foundation
import M2FEncoders
import Testing

@Suite("Prompt text from files")
struct TextInputTests {
    func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-text-\(UUID().uuidString).txt").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("invalid UTF-8 is an error naming the file and the first bad byte")
    func invalidUTF8() throws {
        let path = try temporaryFile(Array("caf".utf8) + [0xE9, 0x21])  // Latin-1 "café!"
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: EncoderError.invalidUTF8(path: path, byteOffset: 3)) { try TextInput.read(path: path) }
        let message = EncoderError.invalidUTF8(path: path, byteOffset: 3).localizedDescription
        #expect(message.contains(path) && message.contains("iconv"))
    }

    @Test("valid UTF-8 is read as is; a byte-order mark is dropped")
    func validUTF8() throws {
        let path = try temporaryFile([0xEF, 0xBB, 0xBF] + Array("happy 😀".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try TextInput.read(path: path) == "happy 😀")
    }

    @Test("a missing file is an error naming it")
    func missing() {
        #expect(throws: EncoderError.unreadable(path: "/nonexistent/prompt.txt", reason: "cannot read the text file")) {
            try TextInput.read(path: "/nonexistent/prompt.txt")
        }
    }
}
