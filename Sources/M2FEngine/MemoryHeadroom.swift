import Foundation

/// How much more memory this process can take before an allocation fails, from the limits a shell or a
/// container imposes: the address-space limit (`ulimit -v`, RLIMIT_AS), the cgroup's memory limit and the
/// machine's available memory.
///
/// Why it exists: past such a limit a run does not fail cleanly. OpenBLAS retries a failed buffer
/// allocation forever while the other workers wait on it (a 12-minute file under `ulimit -v 800000`
/// spun at 200 % CPU), and a failed Swift allocation traps. Long stages compare their estimated need
/// with this headroom first and stop with an error that names the limit.
public struct MemoryHeadroom: Sendable, Equatable {
    /// Bytes of address space left under RLIMIT_AS; nil when unlimited.
    public var addressSpace: Int?
    /// Bytes of memory left under the cgroup limit and the machine's MemAvailable; nil when unknown.
    public var memory: Int?

    public init(addressSpace: Int?, memory: Int?) {
        self.addressSpace = addressSpace
        self.memory = memory
    }

    /// The headroom now.
    public static func current() -> MemoryHeadroom {
        MemoryHeadroom(addressSpace: addressSpaceLeft(), memory: memoryLeft())
    }

    /// The limit that `bytes` more would break, described for an error message ("the address-space limit
    /// (ulimit -v) leaves 95 MB"), or nil when it fits.
    public func shortfall(for bytes: Int) -> String? {
        if let addressSpace, bytes > addressSpace {
            return "the address-space limit (ulimit -v \(Self.limitKilobytes.map(String.init) ?? "?")) leaves \(Self.format(addressSpace))"
        }
        if let memory, bytes > memory {
            return "the memory available to this process is \(Self.format(memory))"
        }
        return nil
    }

    /// "1.4 GB", "95 MB".
    public static func format(_ bytes: Int) -> String {
        bytes >= 1 << 30 ? String(format: "%.1f GB", Double(bytes) / Double(1 << 30)) : "\(bytes >> 20) MB"
    }

    static var limitKilobytes: Int? {
        var limit = rlimit()
        #if os(Linux)
        let resource = Int32(RLIMIT_AS.rawValue)
        #else
        let resource = RLIMIT_AS
        #endif
        // RLIM_INFINITY is all ones on Linux and Int64.max on Darwin.
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur < rlim_t(Int64.max) else { return nil }
        return Int(clamping: limit.rlim_cur / 1024)
    }

    static func addressSpaceLeft() -> Int? {
        guard let limit = limitKilobytes else { return nil }
        // /proc/self/statm: size of the address space in pages first.
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = statm.split(separator: " ").first.flatMap({ Int($0) }) else { return nil }
        return max(0, limit * 1024 - pages * Int(sysconf(Int32(_SC_PAGESIZE))))
    }

    static func memoryLeft() -> Int? {
        var left: Int?
        if let meminfo = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
           let line = meminfo.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
           let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) {
            left = kilobytes * 1024
        }
        // cgroup v2: memory.max ("max" when unlimited) less memory.current.
        if let max = (try? String(contentsOfFile: "/sys/fs/cgroup/memory.max", encoding: .utf8)).flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }),
           let used = (try? String(contentsOfFile: "/sys/fs/cgroup/memory.current", encoding: .utf8)).flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) {
            left = Swift.min(left ?? .max, Swift.max(0, max - used))
        }
        return left
    }
}
