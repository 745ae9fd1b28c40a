import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading a file the user named: only regular files, and never more than a stated size.
///
/// A FIFO, `/dev/zero` or `/dev/urandom` under an innocent name (`talk.mp3`) would otherwise block in
/// `open` or be read forever with growing memory. The file is opened without blocking and checked with
/// `fstat` on the open descriptor, so it cannot be swapped between the check and the read.
public enum InputFile {
    /// Throws `.notRegularFile` unless `path` is a regular file (symlinks to one are fine).
    public static func checkRegular(_ path: String) throws(SystemError) {
        let fd = try open(path)
        close(fd)
    }

    /// The whole file, refused when it is not regular or holds more than `maximumBytes`.
    public static func read(_ path: String, maximumBytes: Int = 1 << 34) throws(SystemError) -> Data {
        let fd = try open(path)
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .cannotRead(file: path, problem: errnoText()) }
        let size = Int(info.st_size)
        guard size <= maximumBytes else {
            throw .cannotRead(file: path, problem: "it holds \(size) bytes, more than the \(maximumBytes) allowed")
        }
        var data = Data(count: size)
        var done = 0
        let failure: Int32? = data.withUnsafeMutableBytes { raw -> Int32? in
            while done < size {
                let got = posixRead(fd, raw.baseAddress! + done, size - done)
                if got < 0 { if errno == EINTR { continue }; return errno }
                if got == 0 { break }  // the file shrank while we read it
                done += got
            }
            return nil
        }
        if let failure { throw .cannotRead(file: path, problem: errnoText(failure)) }
        if done < size { data.removeSubrange(done..<size) }
        return data
    }

    /// A read-only descriptor of a regular file; O_NONBLOCK so that a FIFO cannot block the open.
    static func open(_ path: String) throws(SystemError) -> Int32 {
        guard !path.isEmpty else { throw .cannotRead(file: "\"\"", problem: "the path is empty") }
        let fd = posixOpen(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            throw .cannotRead(file: path, problem: code == ENOENT ? "no such file" : errnoText(code))
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else { let code = errno; close(fd); throw .cannotRead(file: path, problem: errnoText(code)) }
        let kind = info.st_mode & S_IFMT
        guard kind == S_IFREG else {
            close(fd)
            throw .notRegularFile(file: path, kind: describe(kind))
        }
        return fd
    }

    static func describe(_ kind: mode_t) -> String {
        switch kind {
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a pipe (FIFO)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "a special file"
        }
    }
}
