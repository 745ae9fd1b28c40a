import Foundation
import M2FSystem
#if canImport(Glibc)
import Glibc
#endif

/// Runs the real `m2f` built beside this test bundle (`swift build --build-tests` builds it too).
enum M2F {
    static let binary: String? = {
        let candidates = [Bundle.main.executableURL?.deletingLastPathComponent(), Bundle.main.bundleURL.deletingLastPathComponent(),
                          URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        return candidates.compactMap { $0?.appendingPathComponent("m2f").path }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static var missing: String { "m2f was not found beside the test bundle (\(Bundle.main.bundleURL.path)); build it with `swift build --build-tests`" }

    /// Runs m2f to the end: exit status and stderr.
    static func run(_ arguments: [String]) throws -> (status: Int32, errors: String) {
        let result = try Subprocess.run(binary!, arguments)
        return (result.status, result.errors)
    }

    /// Runs m2f with file writes capped at `bytes` (RLIMIT_FSIZE; SIGXFSZ ignored, so writes fail with EFBIG).
    static func runWithFileSizeLimit(_ bytes: Int, _ arguments: [String]) throws -> (status: Int32, errors: String) {
        let quoted = ([binary!] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let result = try Subprocess.run("/bin/sh", ["-c", "trap '' XFSZ; ulimit -f \(max(1, bytes / 512)); exec \(quoted)"])
        return (result.status, result.errors)
    }

    /// Starts m2f and kills it (SIGKILL) as soon as `moment()` says so (or after `limit` seconds).
    /// - Returns: whether m2f was still running when it was killed.
    @discardableResult
    static func kill(_ arguments: [String], limit: Double = 60, when moment: (pid_t) -> Bool) throws -> Bool {
        let child = try Subprocess(binary!, arguments, output: .null, errors: .null)
        let deadline = Date().addingTimeInterval(limit)
        while child.isRunning && !moment(child.pid) && Date() < deadline { usleep(500) }
        let wasRunning = child.isRunning
        Glibc.kill(child.pid, SIGKILL)
        child.wait()
        return wasRunning
    }
}

/// A fresh folder for one test's files.
struct Scratch {
    let url: URL
    init(_ label: String) {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-command-\(label)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func file(_ name: String) -> String { url.appendingPathComponent(name).path }
    var names: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted() }
    /// Our staged temporaries (`.<name>.m2f-<pid>-<random>.tmp…`).
    var temporaries: [String] { names.filter { $0.contains(".m2f-") && $0.contains(".tmp") } }
    func bytes(_ name: String) -> Data? { FileManager.default.contents(atPath: file(name)) }
    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// A tmpfs of a few hundred KiB (root only), for real "disk full" errors; nil where it cannot be mounted.
final class SmallDisk {
    let scratch = Scratch("disk")
    let mounted: Bool

    init?(kilobytes: Int) {
        guard geteuid() == 0, let mount = Executable.find("mount"),
              (try? Subprocess.run(mount, ["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", scratch.url.path]))?.status == 0 else {
            scratch.remove()
            return nil
        }
        mounted = true
    }

    /// Fills the disk, leaving about `bytes` free.
    func fill(leaving bytes: Int) {
        var info = statvfs()
        statvfs(scratch.url.path, &info)
        let free = Int(info.f_bavail) * Int(info.f_frsize)
        _ = FileManager.default.createFile(atPath: scratch.file("filler"), contents: Data(count: max(0, free - bytes)))
    }

    func empty() { try? FileManager.default.removeItem(atPath: scratch.file("filler")) }

    deinit {
        if let umount = Executable.find("umount") { _ = try? Subprocess.run(umount, [scratch.url.path]) }
        scratch.remove()
    }
}

/// Child processes of `pid` (from /proc), with their command names.
func children(of pid: pid_t) -> [(pid: pid_t, name: String)] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { entry -> (pid_t, String)? in
        guard let child = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
              let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 2, pid_t(fields[1]) == pid else { return nil }
        return (child, String(stat[stat.index(after: open)..<close]))
    }
}

/// True once `pid` has ended (gone from /proc, or a zombie waiting for a reaper).
func hasEnded(_ pid: pid_t) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return true }
    return stat[stat.index(after: close)...].split(separator: " ").first == "Z"
}
