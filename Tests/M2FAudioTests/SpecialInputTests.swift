import Foundation
import M2FAudio
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A FIFO or a device under an audio name is refused at once, naming the file (it used to hang with
/// growing memory).
@Suite struct SpecialInputTests {
    @Test func aFIFONamedMP3IsRefusedAtOnce() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-fifo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("talk.mp3").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let started = Date()
        #expect {
            _ = try AudioLoader().load(path: fifo)
        } throws: { error in
            error.localizedDescription.contains(fifo) && error.localizedDescription.contains("pipe (FIFO)")
        }
        #expect(Date().timeIntervalSince(started) < 2)
    }

    @Test(arguments: ["/dev/zero", "/dev/urandom"])
    func devicesAreRefused(_ path: String) {
        for load in [{ _ = try AudioLoader().load(path: path) }, { _ = try FFmpegDecoder().decode(path: path) }, { _ = try WAVReader.read(path: path) }] as [() throws -> Void] {
            #expect {
                try load()
            } throws: { error in
                error.localizedDescription.contains(path) && error.localizedDescription.contains("character device")
            }
        }
    }
}
