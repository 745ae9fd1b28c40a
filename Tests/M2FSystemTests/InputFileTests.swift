import Foundation
import M2FSystem
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Inputs that are not regular files are refused at once, naming the file (a FIFO used to hang).
@Suite struct InputFileTests {
    @Test func aFIFOIsRefusedWithoutBlocking() throws {
        let folder = TemporaryFolder("fifo")
        defer { folder.remove() }
        let fifo = folder.file("talk.mp3")
        #expect(mkfifo(fifo, 0o600) == 0)
        let started = Date()
        #expect(throws: SystemError.notRegularFile(file: fifo, kind: "a pipe (FIFO)")) { try InputFile.read(fifo) }
        #expect(Date().timeIntervalSince(started) < 1)
    }

    @Test(arguments: ["/dev/zero", "/dev/urandom"])
    func devicesAreRefused(_ path: String) {
        #expect(throws: SystemError.notRegularFile(file: path, kind: "a character device")) { try InputFile.checkRegular(path) }
    }

    @Test func foldersMissingFilesAndOversizeFilesAreRefused() throws {
        let folder = TemporaryFolder("input")
        defer { folder.remove() }
        #expect(throws: SystemError.notRegularFile(file: folder.path, kind: "a folder")) { try InputFile.read(folder.path) }
        #expect(throws: SystemError.cannotRead(file: folder.file("none"), problem: "no such file")) { try InputFile.read(folder.file("none")) }
        try AtomicFile.write(Data(repeating: 7, count: 100), to: folder.file("a.bin"))
        #expect(try InputFile.read(folder.file("a.bin")) == Data(repeating: 7, count: 100))
        #expect(throws: SystemError.self) { try InputFile.read(folder.file("a.bin"), maximumBytes: 99) }
    }
}
