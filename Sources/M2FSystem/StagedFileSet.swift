import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Several files that belong together (`out/hello.csv`, `.json`, `.glb`, `.mp4`), staged one by one
/// and moved into place together.
///
/// The guarantee: each file under its final name is always either its old version or a complete new
/// one. Commits take an exclusive lock on the folder, so when two runs write the same names their sets
/// are moved in one after the other and the folder ends with one run's whole set, never a mix (unless
/// a run is killed within its few renames, when the files it had not yet moved keep their old versions).
public final class StagedFileSet: @unchecked Sendable {
    public private(set) var files: [StagedFile] = []

    public init() {}

    /// Stages a new version of `path` (see `StagedFile`).
    public func stage(_ path: String, suffix: String = "") throws(SystemError) -> StagedFile {
        let file = try StagedFile(replacing: path, suffix: suffix)
        files.append(file)
        return file
    }

    /// Stages `data` as the new version of `path`.
    public func stage(_ data: Data, as path: String) throws(SystemError) {
        try stage(path).write(data)
    }

    /// Moves every staged file into place, holding each folder's lock while it does.
    public func commit() throws(SystemError) {
        let folders = Set(files.map { URL(fileURLWithPath: $0.path).deletingLastPathComponent().path }).sorted()
        let locks = folders.map(FolderLock.init)
        defer { locks.forEach { $0.release() } }
        for (index, file) in files.enumerated() {
            do { try file.commit() } catch {
                files[(index + 1)...].forEach { $0.discard() }
                throw error
            }
        }
    }

    /// Drops every staged file.
    public func discard() { files.forEach { $0.discard() } }
}

/// An advisory exclusive lock on a folder (flock on its descriptor): released on `release()` or when
/// the process dies, and it leaves no file behind.
final class FolderLock {
    private var fd: Int32

    init(_ folder: String) {
        fd = posixOpen(folder, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
    }

    func release() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }
}
