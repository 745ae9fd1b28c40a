import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A new version of one file, written under a temporary name beside it and moved into place by
/// `commit()`: until then the old file is untouched, after it the new one is complete.
///
/// The temporary name is `.<name>.m2f-<pid>-<random>.tmp<suffix>` in the same folder (so the rename
/// stays on one file system and is atomic). A failed write removes it, so does `discard()` and a
/// staged file dropped without a commit; one left by a killed run is swept by the next run that writes
/// into that folder (`StaleTemporaries`).
public final class StagedFile: @unchecked Sendable {
    /// The file this replaces.
    public let path: String
    /// Where the new content is written until `commit()`; external programs (ffmpeg) may write it too.
    public let temporaryPath: String
    private var state = State.open
    private enum State { case open, committed, discarded }

    /// Stages a new version of `path`; `suffix` ends the temporary name (`.mp4`, so ffmpeg knows the container).
    public init(replacing path: String, suffix: String = "") throws(SystemError) {
        try OutputName.check(path)
        let url = URL(fileURLWithPath: path)
        let name = url.lastPathComponent
        let folder = url.deletingLastPathComponent().path
        StaleTemporaries.sweep(folder: folder)
        self.path = path
        let random = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        temporaryPath = (folder as NSString).appendingPathComponent(
            ".\(name)\(StaleTemporaries.marker)\(getpid())-\(random)\(StaleTemporaries.ending)\(suffix)")
    }

    deinit { if state == .open { unlink(temporaryPath) } }

    /// Writes `data` to the temporary file and flushes it to the disk; on failure nothing is left.
    public func write(_ data: Data) throws(SystemError) {
        let fd = posixOpen(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw .cannotWrite(file: path, problem: errnoText()) }
        var failure = data.withUnsafeBytes { writeAll(fd, $0) }
        if failure == nil, fsync(fd) != 0 { failure = errno }
        if close(fd) != 0, failure == nil { failure = errno }
        if let failure {
            unlink(temporaryPath)
            throw .cannotWrite(file: path, problem: Self.describe(failure))
        }
    }

    /// Moves the new version into place (flushing what an external program wrote first).
    public func commit() throws(SystemError) {
        precondition(state == .open, "a staged file is committed once")
        let fd = posixOpen(temporaryPath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            discard()
            throw .cannotWrite(file: path, problem: "the new version vanished before it was moved into place: \(errnoText(code))")
        }
        let synced = fsync(fd) == 0 ? nil : errno
        close(fd)
        if let synced {
            discard()
            throw .cannotWrite(file: path, problem: Self.describe(synced))
        }
        guard rename(temporaryPath, path) == 0 else {
            let code = errno
            discard()
            throw .cannotWrite(file: path, problem: "cannot replace the file: \(errnoText(code))")
        }
        state = .committed
        Self.syncFolder(of: path)
    }

    /// Drops the new version; the old file stays as it was.
    public func discard() {
        guard state == .open else { return }
        unlink(temporaryPath)
        state = .discarded
    }

    /// Makes the rename itself durable (the folder's entry), as far as the file system allows.
    static func syncFolder(of path: String) {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let fd = posixOpen(folder, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    static func describe(_ code: Int32) -> String {
        switch code {
        case ENOSPC: return "the disk is full (\(errnoText(code))); the previous file was kept"
        case EFBIG: return "the file is larger than allowed (\(errnoText(code))); the previous file was kept"
        default: return errnoText(code) + "; the previous file was kept"
        }
    }
}

/// Writes that never leave a partial file under the final name: `StagedFile` write + commit.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws(SystemError) {
        let staged = try StagedFile(replacing: path)
        try staged.write(data)
        try staged.commit()
    }
}
