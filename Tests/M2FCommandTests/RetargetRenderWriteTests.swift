import Foundation
import M2FFace
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `m2f retarget` and `m2f render` killed mid-write or on a full disk, and the ffmpeg child of a
/// killed render.
@Suite(.serialized) struct RetargetRenderWriteTests {
    static let oldBytes = Data("the previous version of this file".utf8)

    /// The default head as a user's avatar (written by m2f itself).
    static func avatar(in scratch: Scratch) throws -> String {
        let path = scratch.file("avatar.glb")
        let made = try M2F.run(["convert", "--demo", "-o", path])
        #expect(made.status == 0, "\(made.errors)")
        return path
    }

    @Test func retargetKilledOrOnAFullDiskKeepsTheOldFile() throws {
        guard M2F.binary != nil else { Issue.record("\(M2F.missing)"); return }
        let scratch = Scratch("retarget")
        defer { scratch.remove() }
        let avatar = try Self.avatar(in: scratch)
        let animation = scratch.file("long.json")
        try AnimationJSON.write(ScriptedAnimation.make(seconds: 300, fps: 60), to: URL(fileURLWithPath: animation))
        let output = scratch.file("talking.glb")
        try Self.oldBytes.write(to: URL(fileURLWithPath: output))

        try M2F.kill(["retarget", animation, "--avatar", avatar, "-o", output]) { _ in !scratch.temporaries.isEmpty }
        let afterKill = scratch.bytes("talking.glb")
        let rerun = try M2F.run(["retarget", animation, "--avatar", avatar, "-o", output])
        #expect(rerun.status == 0, "\(rerun.errors)")
        #expect(afterKill == Self.oldBytes || afterKill == scratch.bytes("talking.glb"))
        #expect(scratch.temporaries.isEmpty, "left behind: \(scratch.temporaries)")
        _ = try GLTFAsset.load(URL(fileURLWithPath: output))

        // The avatar alone is ~4.5 MB: a 16 MB disk holds the new file only once it is emptied.
        try FullDisk.check(oldOutput: Self.oldBytes, name: "full.glb", in: scratch, diskKilobytes: 16 * 1024) { out in
            ["retarget", animation, "--avatar", avatar, "-o", out]
        }
    }

    @Test func renderPNGKilledOrOnAFullDiskKeepsTheOldFile() throws {
        guard M2F.binary != nil else { Issue.record("\(M2F.missing)"); return }
        let scratch = Scratch("render-png")
        defer { scratch.remove() }
        let output = scratch.file("still.png")
        try Self.oldBytes.write(to: URL(fileURLWithPath: output))
        let arguments = ["render", "--demo", "--size", "1024", "--supersample", "1", "--frame", "10", "-o", output]
        try M2F.kill(arguments) { _ in !scratch.temporaries.isEmpty }
        let afterKill = scratch.bytes("still.png")
        let rerun = try M2F.run(arguments)
        #expect(rerun.status == 0, "\(rerun.errors)")
        #expect(afterKill == Self.oldBytes || afterKill == scratch.bytes("still.png"))
        #expect(scratch.temporaries.isEmpty, "left behind: \(scratch.temporaries)")

        try FullDisk.check(oldOutput: Self.oldBytes, name: "full.png", in: scratch) { out in
            ["render", "--demo", "--size", "512", "--supersample", "1", "-o", out]
        }
    }

    /// Killing m2f during an MP4 render ends its ffmpeg child too (PR_SET_PDEATHSIG), the old video
    /// stays, and the next run sweeps the half-written temporary.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/stat"), "needs /proc to see child processes"))
    func killingARenderEndsItsFFmpegChild() throws {
        guard M2F.binary != nil else { Issue.record("\(M2F.missing)"); return }
        let scratch = Scratch("render-mp4")
        defer { scratch.remove() }
        let output = scratch.file("clip.mp4")
        try Self.oldBytes.write(to: URL(fileURLWithPath: output))
        let arguments = ["render", "--demo", "--size", "256", "--supersample", "1", "-o", output]
        var ffmpeg: pid_t?
        let killedWhileRunning = try M2F.kill(arguments) { m2f in
            ffmpeg = children(of: m2f).first { $0.name.hasPrefix("ffmpeg") }?.pid
            return ffmpeg != nil && !scratch.temporaries.isEmpty
        }
        #expect(killedWhileRunning)
        let child = try #require(ffmpeg, "no ffmpeg child was seen (is ffmpeg installed?)")
        let deadline = Date().addingTimeInterval(5)
        while !hasEnded(child) && Date() < deadline { usleep(10_000) }
        #expect(hasEnded(child), "ffmpeg (pid \(child)) outlived the m2f that started it")
        #expect(scratch.bytes("clip.mp4") == Self.oldBytes)

        let rerun = try M2F.run(arguments)
        #expect(rerun.status == 0, "\(rerun.errors)")
        #expect((scratch.bytes("clip.mp4")?.count ?? 0) > 10_000)
        #expect(scratch.temporaries.isEmpty, "left behind: \(scratch.temporaries)")
    }
}
