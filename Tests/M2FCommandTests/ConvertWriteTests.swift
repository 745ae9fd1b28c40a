import Foundation
import M2FFace
import Testing

/// `m2f convert` killed mid-write or on a full disk: the old file stays intact or the new one is
/// complete, and the next run leaves no temporary behind.
@Suite(.serialized) struct ConvertWriteTests {
    /// A 10-minute 60 fps take (a ~20 MB CSV): long enough that the write is caught in progress.
    static func longInput(in scratch: Scratch, seconds: Double = 600) throws -> String {
        let path = scratch.file("long.json")
        try AnimationJSON.write(ScriptedAnimation.make(seconds: seconds, fps: 60), to: URL(fileURLWithPath: path))
        return path
    }

    static let oldOutput = LiveLinkCSV.serialize(ScriptedAnimation.make(seconds: 1))

    @Test func aKillDuringTheWriteKeepsTheOldFile() throws {
        guard M2F.binary != nil else { Issue.record("\(M2F.missing)"); return }
        let scratch = Scratch("convert-kill")
        defer { scratch.remove() }
        let input = try Self.longInput(in: scratch)
        let output = scratch.file("out.csv")
        try Self.oldOutput.write(to: URL(fileURLWithPath: output))

        let killedWhileRunning = try M2F.kill(["convert", input, "-o", output]) { _ in !scratch.temporaries.isEmpty }
        #expect(killedWhileRunning, "convert ended before its temporary file was seen")
        let afterKill = scratch.bytes("out.csv")

        let rerun = try M2F.run(["convert", input, "-o", output])
        #expect(rerun.status == 0, "\(rerun.errors)")
        let complete = scratch.bytes("out.csv")
        #expect(afterKill == Self.oldOutput || afterKill == complete, "a truncated file replaced the old one")
        #expect(complete.map { $0.count > 5_000_000 } == true, "the new CSV is \(complete?.count ?? 0) bytes")
        #expect(scratch.temporaries.isEmpty, "left behind: \(scratch.temporaries)")
    }

    @Test func aFullDiskKeepsTheOldFile() throws {
        guard M2F.binary != nil else { Issue.record("\(M2F.missing)"); return }
        let scratch = Scratch("convert-full")
        defer { scratch.remove() }
        let input = try Self.longInput(in: scratch, seconds: 20)  // ~0.5 MB of CSV
        try FullDisk.check(oldOutput: Self.oldOutput, name: "out.csv", in: scratch) { output in ["convert", input, "-o", output] }
    }

    @Test(arguments: ["", ".", "..", "out/"])
    func outputsThatNameNoFileAreRefused(_ output: String) throws {
        guard M2F.binary != nil else { Issue.record("\(M2F.missing)"); return }
        let scratch = Scratch("convert-names")
        defer { scratch.remove() }
        let target = output.isEmpty ? "" : scratch.file(output) + (output.hasSuffix("/") ? "/" : "")
        let result = try M2F.run(["convert", "--demo", "-o", target])
        #expect(result.status != 0)
        #expect(result.errors.contains("output \""), "\(result.errors)")
        #expect(scratch.names.isEmpty, "wrote \(scratch.names)")
    }
}

/// The full-disk check shared by the command tests: a tmpfs filled to the brim where the tests may
/// mount one (root), else a file-size limit (RLIMIT_FSIZE, so writes fail with EFBIG).
enum FullDisk {
    static func check(oldOutput: Data, name: String, in scratch: Scratch, limit: Int = 64 * 1024, diskKilobytes: Int = 1024,
                      arguments: (String) -> [String]) throws {
        if let disk = SmallDisk(kilobytes: diskKilobytes) {
            let output = disk.scratch.file(name)
            try oldOutput.write(to: URL(fileURLWithPath: output))
            disk.fill(leaving: 16 * 1024)
            let full = try M2F.run(arguments(output))
            #expect(full.status != 0)
            #expect(full.errors.contains("disk is full"), "\(full.errors)")
            #expect(disk.scratch.bytes(name) == oldOutput, "the old file was lost")
            #expect(disk.scratch.temporaries.isEmpty, "left behind: \(disk.scratch.temporaries)")
            disk.empty()
            let again = try M2F.run(arguments(output))
            #expect(again.status == 0, "\(again.errors)")
            #expect(disk.scratch.temporaries.isEmpty)
        } else {
            print("FullDisk: no tmpfs can be mounted here; using a file-size limit of \(limit) bytes instead")
            let output = scratch.file(name)
            try oldOutput.write(to: URL(fileURLWithPath: output))
            let limited = try M2F.runWithFileSizeLimit(limit, arguments(output))
            #expect(limited.status != 0)
            #expect(limited.errors.contains("larger than allowed"), "\(limited.errors)")
            #expect(scratch.bytes(name) == oldOutput, "the old file was lost")
            #expect(scratch.temporaries.isEmpty, "left behind: \(scratch.temporaries)")
            let again = try M2F.run(arguments(output))
            #expect(again.status == 0, "\(again.errors)")
            #expect(scratch.temporaries.isEmpty)
        }
    }
}
