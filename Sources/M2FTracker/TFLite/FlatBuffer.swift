import Foundation

/// Read-only access to a FlatBuffers buffer (the container format of `.tflite` files): tables found
/// through vtables, vectors and strings through 32-bit offsets. Every offset is bounds-checked, so a
/// corrupt file throws `TrackerError.malformedModel` instead of reading outside the buffer.
struct FlatBuffer {
    let bytes: [UInt8]
    /// Names the file in errors.
    let source: String

    init(bytes: [UInt8], source: String) {
        self.bytes = bytes
        self.source = source
    }

    func fail(_ problem: String) -> TrackerError { .malformedModel(path: source, problem: problem) }

    func u8(_ at: Int) throws -> UInt8 {
        guard at >= 0, at < bytes.count else { throw fail("byte offset \(at) is outside the \(bytes.count)-byte file") }
        return bytes[at]
    }

    func u16(_ at: Int) throws -> UInt16 {
        guard at >= 0, at + 2 <= bytes.count else { throw fail("offset \(at) is outside the \(bytes.count)-byte file") }
        return UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    func u32(_ at: Int) throws -> UInt32 {
        guard at >= 0, at + 4 <= bytes.count else { throw fail("offset \(at) is outside the \(bytes.count)-byte file") }
        return UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }

    func i32(_ at: Int) throws -> Int32 { Int32(bitPattern: try u32(at)) }

    /// The root table (the first 4 bytes hold its offset).
    func root() throws -> Table { Table(buffer: self, position: Int(try u32(0))) }

    /// One table: `position` is where it starts; its first 4 bytes point back to its vtable.
    struct Table {
        let buffer: FlatBuffer
        let position: Int

        /// Where field `index` is stored, or nil when the field holds its default (absent from the vtable).
        func fieldPosition(_ index: Int) throws -> Int? {
            let vtable = position - Int(try buffer.i32(position))
            let vtableSize = Int(try buffer.u16(vtable))
            let entry = 4 + 2 * index
            guard entry + 2 <= vtableSize else { return nil }
            let offset = Int(try buffer.u16(vtable + entry))
            return offset == 0 ? nil : position + offset
        }

        func int(_ index: Int, default value: Int = 0) throws -> Int {
            guard let at = try fieldPosition(index) else { return value }
            return Int(try buffer.i32(at))
        }

        func uint(_ index: Int, default value: Int = 0) throws -> Int {
            guard let at = try fieldPosition(index) else { return value }
            return Int(try buffer.u32(at))
        }

        func byte(_ index: Int, default value: Int = 0) throws -> Int {
            guard let at = try fieldPosition(index) else { return value }
            return Int(try buffer.u8(at))
        }

        /// The table that field `index` points to.
        func table(_ index: Int) throws -> Table? {
            guard let at = try fieldPosition(index) else { return nil }
            return Table(buffer: buffer, position: at + Int(try buffer.u32(at)))
        }

        /// Field `index` as a vector: where its elements start and how many there are.
        func vector(_ index: Int, elementSize: Int) throws -> (start: Int, count: Int)? {
            guard let at = try fieldPosition(index) else { return nil }
            let header = at + Int(try buffer.u32(at))
            let count = Int(try buffer.u32(header))
            let start = header + 4
            guard count >= 0, start + count * elementSize <= buffer.bytes.count else {
                throw buffer.fail("a vector of \(count) elements at \(header) runs past the end of the file")
            }
            return (start, count)
        }

        func tables(_ index: Int) throws -> [Table] {
            guard let (start, count) = try vector(index, elementSize: 4) else { return [] }
            return try (0..<count).map { i in
                let at = start + 4 * i
                return Table(buffer: buffer, position: at + Int(try buffer.u32(at)))
            }
        }

        func ints(_ index: Int) throws -> [Int] {
            guard let (start, count) = try vector(index, elementSize: 4) else { return [] }
            return try (0..<count).map { Int(try buffer.i32(start + 4 * $0)) }
        }

        func bytes(_ index: Int) throws -> ArraySlice<UInt8> {
            guard let (start, count) = try vector(index, elementSize: 1) else { return [] }
            return buffer.bytes[start..<(start + count)]
        }

        func string(_ index: Int) throws -> String {
            String(decoding: try bytes(index), as: UTF8.self)
        }
    }
}
