import Foundation
import M2FSystem
#if canImport(Glibc)
import Glibc
#endif

/// A fresh folder under the system temporary folder, removed by `remove()`.
struct TemporaryFolder {
    let url: URL
    var path: String { url.path }

    init(_ label: String) {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-system-\(label)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Names in the folder that are temporaries of ours (`.….m2f-<pid>-….tmp…`).
    func temporaries() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.contains(".m2f-") && $0.contains(".tmp") }
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// A 1 MiB tmpfs mounted on a fresh folder (root only: nil elsewhere), for real "disk full" errors.
final class SmallDisk {
    let folder: TemporaryFolder

    init?(kilobytes: Int = 1024) {
        folder = TemporaryFolder("disk")
        guard geteuid() == 0, let mount = Executable.find("mount"),
              (try? Subprocess.run(mount, ["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", folder.path]))?.status == 0 else {
            folder.remove()
            return nil
        }
    }

    deinit {
        if let umount = Executable.find("umount") { _ = try? Subprocess.run(umount, [folder.path]) }
        folder.remove()
    }
}
