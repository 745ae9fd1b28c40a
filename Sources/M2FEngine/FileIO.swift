import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory mapping of a whole file, unmapped when the last user lets go.
final class MappedFile: @unchecked Sendable {
    let bytes: UnsafeMutableRawPointer
    let size: Int

    init(path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw EngineError.io(path: path, problem: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw EngineError.io(path: path, problem: "cannot stat: \(String(cString: strerror(errno)))") }
        size = Int(info.st_size)
        if size == 0 {
            bytes = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 8)
            return
        }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw EngineError.io(path: path, problem: "cannot memory-map: \(String(cString: strerror(errno)))")
        }
        bytes = mapped
    }

    deinit {
        if size == 0 { bytes.deallocate() } else { munmap(bytes, size) }
    }
}
