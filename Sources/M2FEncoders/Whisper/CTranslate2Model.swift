import Foundation
import M2FCheckedInput
import M2FEngine

/// Reads a CTranslate2 `model.bin` (format version 6): the variables of a converted model by name.
///
/// Layout: u32 version, u16-length spec name, u32 revision, u32 variable count, then per variable a
/// u16-length name, u8 rank, rank × u32 dims, u8 dtype, u32 byte count and the raw little-endian bytes;
/// then u32 alias count and (alias, target) name pairs. Names are NUL-terminated inside their length.
public struct CTranslate2Model: Sendable {
    /// CTranslate2's DataType enumeration, as stored.
    public enum DataType: UInt8, Sendable {
        case float32 = 0, int8 = 1, int16 = 2, int32 = 3, float16 = 4, bfloat16 = 5

        var byteSize: Int {
            switch self {
            case .int8: return 1
            case .int16, .float16, .bfloat16: return 2
            case .float32, .int32: return 4
            }
        }
    }

    public struct Variable: Sendable {
        public let shape: [Int]
        public let dataType: DataType
        let bytes: Data
    }

    public let path: String
    public let specName: String
    public let revision: Int
    public let variables: [String: Variable]
    public let aliases: [String: String]

    public init(path: String) throws {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EncoderError.unreadable(path: path, reason: "cannot read the CTranslate2 model file")
        }
        var reader = ByteReader(data: data, path: path)
        let version = try reader.uint32()
        guard version == 6 else {
            throw EncoderError.conversion(path: path, problem: "CTranslate2 format version \(version); only version 6 is read")
        }
        specName = try reader.string(lengthBytes: 2)
        revision = Int(try reader.uint32())
        let count = Int(try reader.uint32())
        var variables: [String: Variable] = [:]
        for _ in 0..<count {
            let name = try reader.string(lengthBytes: 2)
            let rank = Int(try reader.uint8())
            var shape: [Int] = []
            for _ in 0..<rank { shape.append(Int(try reader.uint32())) }
            let code = try reader.uint8()
            guard let dataType = DataType(rawValue: code) else {
                throw EncoderError.conversion(path: path, problem: "variable '\(name)' has unknown data type \(code)")
            }
            let byteCount = Int(try reader.uint32())
            // The bytes must be exactly what the shape needs: `tensor` and `integer` read that many.
            guard let values = CheckedSize.product(shape), CheckedSize.product(values, dataType.byteSize) == byteCount else {
                throw EncoderError.conversion(path: path, problem: "variable '\(name)' of shape \(shape) \(dataType) has \(byteCount) bytes, which does not match its shape")
            }
            variables[name] = Variable(shape: shape, dataType: dataType, bytes: try reader.bytes(byteCount))
        }
        var aliases: [String: String] = [:]
        if !reader.isAtEnd {
            let aliasCount = Int(try reader.uint32())
            for _ in 0..<aliasCount {
                let alias = try reader.string(lengthBytes: 2)
                aliases[alias] = try reader.string(lengthBytes: 2)
            }
        }
        self.variables = variables
        self.aliases = aliases
    }

    /// A floating-point variable as Float32.
    public func tensor(_ name: String) throws -> Tensor {
        guard let variable = variables[name] ?? aliases[name].flatMap({ variables[$0] }) else {
            throw EncoderError.conversion(path: path, problem: "no variable named '\(name)'")
        }
        let count = variable.shape.reduce(1, *)
        return try variable.bytes.withUnsafeBytes { raw in
            switch variable.dataType {
            case .float32:
                return Tensor(shape: variable.shape) { p, n in for i in 0..<n { p[i] = raw.loadUnaligned(fromByteOffset: 4 * i, as: Float.self) } }
            case .float16:
                return Tensor(shape: variable.shape) { p, n in
                    for i in 0..<n { p[i] = HalfPrecision.float(fromHalf: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) }
                }
            case .bfloat16:
                return Tensor(shape: variable.shape) { p, n in
                    for i in 0..<n { p[i] = HalfPrecision.float(fromBFloat16: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) }
                }
            case .int8, .int16, .int32:
                throw EncoderError.conversion(path: path, problem: "variable '\(name)' is an integer (\(variable.dataType)), \(count) values; expected floats")
            }
        }
    }

    /// An integer scalar variable (such as `encoder/num_heads`).
    public func integer(_ name: String) throws -> Int {
        guard let variable = variables[name] else {
            throw EncoderError.conversion(path: path, problem: "no variable named '\(name)'")
        }
        guard variable.shape.isEmpty || variable.shape == [1] else {
            throw EncoderError.conversion(path: path, problem: "variable '\(name)' has shape \(variable.shape); expected a scalar")
        }
        return variable.bytes.withUnsafeBytes { raw in
            switch variable.dataType {
            case .int8: return Int(raw.load(as: Int8.self))
            case .int16: return Int(Int16(littleEndian: raw.loadUnaligned(as: Int16.self)))
            case .int32: return Int(Int32(littleEndian: raw.loadUnaligned(as: Int32.self)))
            default: return Int(raw.loadUnaligned(as: Float.self))
            }
        }
    }
}

/// Bounds-checked little-endian reads that name the file when it ends early.
private struct ByteReader {
    let data: Data
    let path: String
    var position = 0

    var isAtEnd: Bool { position >= data.count }

    mutating func bytes(_ count: Int) throws -> Data {
        guard count >= 0, position + count <= data.count else {
            throw EncoderError.conversion(path: path, problem: "file ends at byte \(data.count) but \(count) more bytes are needed at \(position) (truncated?)")
        }
        defer { position += count }
        return data.subdata(in: (data.startIndex + position)..<(data.startIndex + position + count))
    }

    mutating func uint8() throws -> UInt8 { try bytes(1).first! }
    mutating func uint16() throws -> UInt16 { UInt16(littleEndian: try bytes(2).withUnsafeBytes { $0.loadUnaligned(as: UInt16.self) }) }
    mutating func uint32() throws -> UInt32 { UInt32(littleEndian: try bytes(4).withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }) }

    mutating func string(lengthBytes: Int) throws -> String {
        let length = Int(lengthBytes == 2 ? UInt32(try uint16()) : try uint32())
        let raw = try bytes(length)
        return String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
}
