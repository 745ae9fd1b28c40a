import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Removes the temporary files that killed runs left: `.<name>.m2f-<pid>-<random>.tmp…` whose
/// process no longer exists. Each folder is swept once per process, when it is first written to.
enum StaleTemporaries {
    static let marker = ".m2f-"
    static let ending = ".tmp"
    private static let lock = NSLock()
    nonisolated(unsafe) private static var swept: Set<String> = []

    static func sweep(folder: String) {
        let key = URL(fileURLWithPath: folder).standardizedFileURL.path
        lock.lock()
        let first = swept.insert(key).inserted
        lock.unlock()
        guard first, let names = try? FileManager.default.contentsOfDirectory(atPath: key) else { return }
        for name in names {
            guard let pid = owner(of: name), pid != getpid(), !isAlive(pid) else { continue }
            unlink((key as NSString).appendingPathComponent(name))
        }
    }

    /// The pid in a temporary name of ours, or nil for any other name.
    static func owner(of name: String) -> pid_t? {
        guard name.hasPrefix("."), let mark = name.range(of: marker, options: .backwards) else { return nil }
        let rest = name[mark.upperBound...]
        guard let dash = rest.firstIndex(of: "-"), let pid = pid_t(rest[..<dash]), pid > 0,
              rest[dash...].contains(ending) else { return nil }
        return pid
    }

    static func isAlive(_ pid: pid_t) -> Bool { kill(pid, 0) == 0 || errno == EPERM }
}
