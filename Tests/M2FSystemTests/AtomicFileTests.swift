import Foundation
import M2FSystem
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The atomic writer: the old file stays until the new one is complete, and no temporary is left behind.
@Suite struct AtomicFileTests {
    @Test func replacesTheFileAndLeavesNoTemporary() throws {
        let folder = TemporaryFolder("replace")
        defer { folder.remove() }
        let path = folder.file("take.csv")
        try AtomicFile.write(Data("old".utf8), to: path)
        try AtomicFile.write(Data("new version".utf8), to: path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("new version".utf8))
        #expect(folder.temporaries().isEmpty)
    }

    @Test func aFullDiskKeepsTheOldFileAndRemovesTheTemporary() throws {
        guard let disk = SmallDisk() else {
            print("skipped: mounting a tmpfs needs root here; the m2f command tests cover full disks with RLIMIT_FSIZE")
            return
        }
        let path = disk.folder.file("take.json")
        let old = Data(repeating: 0x41, count: 100_000)
        try AtomicFile.write(old, to: path)
        let tooBig = Data(repeating: 0x42, count: 2_000_000)
        #expect {
            try AtomicFile.write(tooBig, to: path)
        } throws: { error in
            "\(error.localizedDescription)".contains("disk is full")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == old)
        #expect(disk.folder.temporaries().isEmpty)
    }

    @Test func stagedFilesAppearTogetherOnCommit() throws {
        let folder = TemporaryFolder("set")
        defer { folder.remove() }
        try AtomicFile.write(Data("old csv".utf8), to: folder.file("a.csv"))
        let set = StagedFileSet()
        try set.stage(Data("new csv".utf8), as: folder.file("a.csv"))
        try set.stage(Data("new json".utf8), as: folder.file("a.json"))
        #expect(try String(contentsOfFile: folder.file("a.csv"), encoding: .utf8) == "old csv")
        #expect(!FileManager.default.fileExists(atPath: folder.file("a.json")))
        #expect(folder.temporaries().count == 2)
        try set.commit()
        #expect(try String(contentsOfFile: folder.file("a.csv"), encoding: .utf8) == "new csv")
        #expect(try String(contentsOfFile: folder.file("a.json"), encoding: .utf8) == "new json")
        #expect(folder.temporaries().isEmpty)
    }

    @Test func aDroppedStageLeavesNothing() throws {
        let folder = TemporaryFolder("drop")
        defer { folder.remove() }
        do {
            let staged = try StagedFile(replacing: folder.file("x.glb"))
            try staged.write(Data("partial".utf8))
        }
        #expect(folder.temporaries().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: folder.file("x.glb")))
    }

    /// A temporary whose process is gone is swept by the next writer; one whose process lives is not.
    @Test func staleTemporariesOfDeadRunsAreSwept() throws {
        let folder = TemporaryFolder("sweep")
        defer { folder.remove() }
        let dead = try Subprocess("/bin/sh", ["-c", "exit 0"], output: .null, errors: .null)
        let deadPID = dead.pid
        dead.wait()
        let stale = ".take.csv.m2f-\(deadPID)-1f2e.tmp"
        let live = ".take.csv.m2f-1-3c4d.tmp"  // pid 1 always exists
        FileManager.default.createFile(atPath: folder.file(stale), contents: Data("half".utf8))
        FileManager.default.createFile(atPath: folder.file(live), contents: Data("busy".utf8))
        try AtomicFile.write(Data("new".utf8), to: folder.file("take.csv"))
        #expect(folder.temporaries() == [live])
    }
}
