import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The C calls under names that do not clash with members called `open`, `read`, `write`.

/// The text of an `errno` value (the current one by default).
func errnoText(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }

@inline(__always) func posixOpen(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 { open(path, flags, mode) }
@inline(__always) func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }
@inline(__always) func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }

/// Writes all of `bytes` to `fd`, retrying short writes and EINTR; the errno of a failure, else nil.
func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
    var done = 0
    while done < bytes.count {
        let wrote = posixWrite(fd, bytes.baseAddress! + done, bytes.count - done)
        if wrote < 0 {
            if errno == EINTR { continue }
            return errno
        }
        done += wrote
    }
    return nil
}
