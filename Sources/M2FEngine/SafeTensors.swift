import Foundation
import M2FCheckedInput
import M2FSystem

/// Element types of a safetensors file that the engine reads (F32, F16, BF16) and writes (F32, F16).
public enum SafeTensorsDType: String, Sendable {
    case float32 = "F32"
    case float16 = "F16"
    case bfloat16 = "BF16"

    var byteSize: Int { self == .float32 ? 4 : 2 }
}

/// A safetensors file opened for reading: the JSON header is parsed at once, the data is
/// memory-mapped and converted to Float32 tensor by tensor on request (F32 tensors are borrowed from
/// the mapping without a copy).
public final class SafeTensorsFile: @unchecked Sendable {
    public struct Entry: Sendable {
        public let dtype: SafeTensorsDType
        public let shape: [Int]
        let byteRange: Range<Int>
    }

    public let path: String
    public let entries: [String: Entry]
    /// Free-form string metadata (`__metadata__`).
    public let metadata: [String: String]
    private let mapping: MappedFile
    private let dataStart: Int

    /// Values in all tensors together (each shape's product was checked for overflow when the header was read).
    public var elementCount: Int {
        entries.values.reduce(0) { $0 + (CheckedSize.product($1.shape) ?? 0) }
    }

    /// Tensor names in sorted order.
    public var names: [String] { entries.keys.sorted() }

    public init(path: String) throws {
        self.path = path
        let mapping = try MappedFile(path: path)
        self.mapping = mapping
        guard mapping.size >= 8 else {
            throw EngineError.malformedFile(path: path, problem: "file is \(mapping.size) bytes, too short for a safetensors header")
        }
        let declaredSize = UInt64(littleEndian: mapping.bytes.loadUnaligned(as: UInt64.self))
        guard declaredSize > 0, declaredSize <= UInt64(mapping.size - 8), declaredSize < 100_000_000 else {
            throw EngineError.malformedFile(path: path, problem: "header length \(declaredSize) does not fit in a \(mapping.size)-byte file (truncated or not safetensors)")
        }
        let headerSize = Int(declaredSize)
        let headerData = Data(bytes: mapping.bytes + 8, count: headerSize)
        guard let header = (try? JSONSerialization.jsonObject(with: headerData)) as? [String: Any] else {
            throw EngineError.malformedFile(path: path, problem: "header is not a JSON object")
        }
        dataStart = 8 + headerSize
        let dataSize = mapping.size - dataStart
        var entries: [String: Entry] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in header {
            if name == "__metadata__" {
                for (key, item) in value as? [String: Any] ?? [:] { metadata[key] = item as? String ?? "\(item)" }
                continue
            }
            guard let fields = value as? [String: Any],
                  let dtypeName = fields["dtype"] as? String,
                  let shape = fields["shape"] as? [Int],
                  let offsets = fields["data_offsets"] as? [Int], offsets.count == 2 else {
                throw EngineError.malformedFile(path: path, problem: "tensor '\(name)' has a malformed header entry")
            }
            guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
                throw EngineError.malformedFile(path: path, problem: "tensor '\(name)' has unsupported dtype \(dtypeName) (F32, F16, BF16 are read)")
            }
            guard offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= dataSize else {
                throw EngineError.malformedFile(path: path, problem: "tensor '\(name)' data range \(offsets) lies outside the \(dataSize)-byte data section (truncated file?)")
            }
            // Checked: a shape such as [2^62 + F, 52] must not wrap around to the right byte count.
            guard let elements = CheckedSize.product(shape), let expected = CheckedSize.product(elements, dtype.byteSize) else {
                throw EngineError.malformedFile(path: path, problem: "tensor '\(name)' has shape \(shape), whose size is negative or overflows")
            }
            guard offsets[1] - offsets[0] == expected else {
                throw EngineError.malformedFile(path: path, problem: "tensor '\(name)' of shape \(shape) \(dtypeName) needs \(expected) bytes, header gives \(offsets[1] - offsets[0])")
            }
            entries[name] = Entry(dtype: dtype, shape: shape, byteRange: offsets[0]..<offsets[1])
        }
        self.entries = entries
        self.metadata = metadata
    }

    /// The tensor `name` as Float32.
    public func tensor(named name: String) throws -> Tensor {
        guard let entry = entries[name] else { throw EngineError.tensorNotFound(path: path, name: name) }
        let start = mapping.bytes + dataStart + entry.byteRange.lowerBound
        let count = entry.shape.reduce(1, *)
        switch entry.dtype {
        case .float32:
            if Int(bitPattern: start) % MemoryLayout<Float>.alignment == 0 {
                let storage = TensorStorage(borrowing: start.assumingMemoryBound(to: Float.self), count: count, owner: mapping)
                return Tensor(storage: storage, shape: entry.shape)
            }
            return Tensor(shape: entry.shape) { p, n in memcpy(p, start, n * 4) }
        case .float16:
            return Tensor(shape: entry.shape) { p, n in
                for i in 0..<n { p[i] = HalfPrecision.float(fromHalf: start.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
            }
        case .bfloat16:
            return Tensor(shape: entry.shape) { p, n in
                for i in 0..<n { p[i] = HalfPrecision.float(fromBFloat16: start.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
            }
        }
    }

    /// Every tensor, by name.
    public func allTensors() throws -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for name in entries.keys { result[name] = try tensor(named: name) }
        return result
    }
}

/// Writing safetensors files atomically (a temporary file in the same folder, then rename), so a
/// crash never leaves a half-written checkpoint in place of a good one.
public enum SafeTensors {
    public static func write(
        _ tensors: [String: Tensor], to path: String, dtype: SafeTensorsDType = .float32, metadata: [String: String] = [:]
    ) throws {
        precondition(dtype != .bfloat16, "writing BF16 is not supported")
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            let t = tensors[name]!
            let bytes = t.count * dtype.byteSize
            header[name] = ["dtype": dtype.rawValue, "shape": t.shape, "data_offsets": [offset, offset + bytes]] as [String: Any]
            offset += bytes
        }
        var headerData = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // Pad with spaces so the data section starts 8-byte aligned.
        while (8 + headerData.count) % 8 != 0 { headerData.append(0x20) }

        var file = Data(capacity: 8 + headerData.count + offset)
        withUnsafeBytes(of: UInt64(headerData.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(headerData)
        for name in names {
            let values = tensors[name]!.toArray()
            switch dtype {
            case .float32:
                values.withUnsafeBytes { file.append(contentsOf: $0) }
            case .float16, .bfloat16:
                let halves = values.map { HalfPrecision.half(from: $0).littleEndian }
                halves.withUnsafeBytes { file.append(contentsOf: $0) }
            }
        }
        do { try AtomicFile.write(file, to: path) } catch { throw EngineError.io(path: path, problem: error.problem) }
    }
}
