import Foundation

/// MediaPipe's face geometry metadata (`geometry_pipeline_metadata_landmarks.binarypb` in
/// `face_landmarker.task`): the canonical face mesh in centimetres and the landmark weights of the
/// Procrustes fit that gives the facial transformation matrix.
///
/// The file is a `GeometryPipelineMetadata` protobuf: field 1 `canonical_mesh` (Mesh3d: 1 vertex type,
/// 2 primitive type, 3 packed float vertex buffer as x y z u v per vertex, 4 packed uint32 indices),
/// field 2 repeated `procrustes_landmark_basis` (1 landmark id, 2 weight), field 3 input source.
public struct GeometryPipelineMetadata: Sendable, Equatable {
    /// Canonical vertices, V × (x, y, z) in centimetres: +X toward the face's left, +Y up, +Z out of the face.
    public var canonicalVertices: [SIMD3<Float>]
    /// Procrustes weight per vertex (zero for vertices outside the basis).
    public var landmarkWeights: [Float]
    /// Input source (1 = face landmark pipeline, the only one the face landmarker uses).
    public var inputSource: Int

    public init(canonicalVertices: [SIMD3<Float>], landmarkWeights: [Float], inputSource: Int = 1) {
        precondition(canonicalVertices.count == landmarkWeights.count)
        self.canonicalVertices = canonicalVertices
        self.landmarkWeights = landmarkWeights
        self.inputSource = inputSource
    }

    /// Reads the binary protobuf at `path`.
    public static func read(path: String) throws(TrackerError) -> GeometryPipelineMetadata {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadable(path: path, problem: error.localizedDescription)
        }
        return try parse(data, path: path)
    }

    /// Parses the protobuf bytes; `path` names the file in errors.
    public static func parse(_ data: Data, path: String) throws(TrackerError) -> GeometryPipelineMetadata {
        let bytes = [UInt8](data)
        var vertexBuffer: [Float] = []
        var basis: [(id: Int, weight: Float)] = []
        var source = 0
        do {
            var top = ProtobufReader(bytes[...])
            while let field = try top.next() {
                switch (field.number, field.value) {
                case (1, .bytes(let mesh)):
                    var reader = ProtobufReader(mesh)
                    while let meshField = try reader.next() {
                        if meshField.number == 3 { vertexBuffer += try meshField.value.floats() }
                    }
                case (2, .bytes(let ref)):
                    var reader = ProtobufReader(ref)
                    var id = 0, weight: Float = 0
                    while let refField = try reader.next() {
                        if refField.number == 1, case .varint(let v) = refField.value { id = Int(truncatingIfNeeded: v) }
                        if refField.number == 2 { weight = try refField.value.floats().first ?? 0 }
                    }
                    basis.append((id, weight))
                case (3, .varint(let v)):
                    source = Int(truncatingIfNeeded: v)
                default:
                    break
                }
            }
        } catch {
            throw .malformedModel(path: path, problem: "truncated or malformed protobuf")
        }
        guard !vertexBuffer.isEmpty, vertexBuffer.count % 5 == 0 else {
            throw .malformedModel(path: path, problem: "canonical mesh has \(vertexBuffer.count) floats, not a multiple of 5 (x y z u v)")
        }
        let vertexCount = vertexBuffer.count / 5
        var weights = [Float](repeating: 0, count: vertexCount)
        for (id, weight) in basis {
            guard id >= 0, id < vertexCount, weight.isFinite, weight >= 0 else {
                throw .malformedModel(path: path, problem: "Procrustes landmark \(id) (weight \(weight)) is outside the \(vertexCount)-vertex mesh")
            }
            weights[id] = weight
        }
        guard weights.reduce(0, +) > 0 else { throw .malformedModel(path: path, problem: "no Procrustes landmark weights") }
        let vertices = (0..<vertexCount).map { SIMD3(vertexBuffer[5 * $0], vertexBuffer[5 * $0 + 1], vertexBuffer[5 * $0 + 2]) }
        guard vertices.allSatisfy({ $0.x.isFinite && $0.y.isFinite && $0.z.isFinite }) else {
            throw .malformedModel(path: path, problem: "canonical mesh has non-finite coordinates")
        }
        return GeometryPipelineMetadata(canonicalVertices: vertices, landmarkWeights: weights, inputSource: source)
    }
}

/// The protobuf wire format, as far as the metadata needs: varints, length-delimited and 32-bit fields.
struct ProtobufReader {
    struct Malformed: Error {}
    enum Value {
        case varint(UInt64), bytes(ArraySlice<UInt8>), fixed32(UInt32), fixed64(UInt64)

        /// A float field, packed (length-delimited) or single (fixed32).
        func floats() throws -> [Float] {
            switch self {
            case .fixed32(let bits): return [Float(bitPattern: bits)]
            case .bytes(let slice):
                guard slice.count % 4 == 0 else { throw Malformed() }
                return stride(from: slice.startIndex, to: slice.endIndex, by: 4).map { i in
                    Float(bitPattern: UInt32(slice[i]) | UInt32(slice[i + 1]) << 8 | UInt32(slice[i + 2]) << 16 | UInt32(slice[i + 3]) << 24)
                }
            default: throw Malformed()
            }
        }
    }

    private var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 7) {
            guard let byte = bytes.popFirst() else { throw Malformed() }
            result |= UInt64(byte & 0x7F) << UInt64(shift)
            if byte < 0x80 { return result }
        }
        throw Malformed()
    }

    mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count else { throw Malformed() }
        let taken = bytes.prefix(count)
        bytes = bytes.dropFirst(count)
        return taken
    }

    /// The next field, or nil at the end.
    mutating func next() throws -> (number: Int, value: Value)? {
        guard !bytes.isEmpty else { return nil }
        let key = try varint()
        let number = Int(truncatingIfNeeded: key >> 3)
        switch key & 7 {
        case 0: return (number, .varint(try varint()))
        case 1: return (number, .fixed64(try take(8).reversed().reduce(0) { $0 << 8 | UInt64($1) }))
        case 2:
            let length = try varint()
            guard length <= UInt64(bytes.count) else { throw Malformed() }
            return (number, .bytes(try take(Int(length))))
        case 5: return (number, .fixed32(UInt32(truncatingIfNeeded: try take(4).reversed().reduce(0) { $0 << 8 | UInt64($1) })))
        default: throw Malformed()
        }
    }
}
