import Foundation
import M2FEngine
import M2FSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks an installed model's files against the sha256 that its manifest recorded at install, hashing a
/// file only when it changed since it was last verified. `verified.json` in the model folder keeps, per
/// file, the hash it had and the file's stamp (size, inode, modification and status-change times). A
/// write to a file always moves its status-change time, which no user can set back (`touch -r` restores
/// only the modification time), so a tampered file is hashed again on its next load and refused.
enum ModelFileCheck {
    static let cacheName = "verified.json"

    /// What identifies one version of a file's bytes without reading them.
    struct Stamp: Codable, Equatable {
        var size: Int64
        var inode: UInt64
        var modifiedNanoseconds: Int64
        var changedNanoseconds: Int64

        init?(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            size = Int64(info.st_size)
            inode = UInt64(info.st_ino)
            #if canImport(Darwin)
            modifiedNanoseconds = Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
            changedNanoseconds = Int64(info.st_ctimespec.tv_sec) * 1_000_000_000 + Int64(info.st_ctimespec.tv_nsec)
            #else
            modifiedNanoseconds = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            changedNanoseconds = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
            #endif
        }
    }

    struct Verified: Codable, Equatable {
        var stamp: Stamp
        var sha256: String
    }

    /// The first file of `files` (relative to `folder`) that is missing or whose bytes differ from the
    /// manifest's sha256, with the problem; nil when all match.
    /// - Parameter rehash: hash every file even when its stamp is unchanged (`m2f models list --verify`).
    static func firstProblem(in folder: URL, files: [String], manifest: ModelManifest, rehash: Bool) -> (file: String, problem: String)? {
        let cacheURL = folder.appendingPathComponent(cacheName)
        var cache = (try? JSONDecoder().decode([String: Verified].self, from: Data(contentsOf: cacheURL))) ?? [:]
        var changed = false
        defer {
            // Best effort: a read-only cache folder only means hashing again next time.
            if changed, let data = try? JSONEncoder().encode(cache) { try? AtomicFile.write(data, to: cacheURL.path) }
        }
        for file in files {
            let path = folder.appendingPathComponent(file).path
            guard let stamp = Stamp(path: path) else { return (path, "missing") }
            guard let recorded = manifest.files[file] else { return (path, "not recorded in manifest.json") }
            if !rehash, let known = cache[file], known.stamp == stamp, known.sha256 == recorded { continue }
            guard let actual = try? FileDigest.sha256Hex(ofFileAt: path) else { return (path, "unreadable") }
            guard actual == recorded else {
                cache[file] = nil
                changed = true
                return (path, "has been modified since it was installed (sha256 \(actual), the manifest records \(recorded))")
            }
            cache[file] = Verified(stamp: stamp, sha256: actual)
            changed = true
        }
        return nil
    }
}
