import CMeshOptimizer

/// EXT_meshopt_compression (and KHR_meshopt_compression, its ratified form): bufferViews whose bytes
/// are stored compressed in another buffer, decoded by libmeshoptimizer's own decoders and filters.
///
/// Files made by gltfpack or glTF-Transform (three.js's facecap.glb, VRoid web exports) point the
/// compressed views at a "fallback" buffer with no bytes. After `decodeMeshoptViews` every such view
/// holds its decoded bytes in buffer 0, and the extension is gone from the document.
extension GLTFAsset {
    /// Every meshopt view decodes into at most this many bytes in all (1 GiB), whatever a file claims.
    static let maximumDecodedBytes = 1 << 30

    /// True for a buffer that exists only as a meshopt fallback (it may have no bytes at all).
    static func isMeshoptFallback(_ buffer: JSONValue) -> Bool {
        GLTFAsset.meshoptNames.contains { buffer["extensions"]?[$0]?["fallback"] == .bool(true) }
    }

    static let meshoptNames = ["EXT_meshopt_compression", "KHR_meshopt_compression"]

    /// Decodes every meshopt-compressed bufferView in place (see the type's comment).
    mutating func decodeMeshoptViews() throws(FaceError) {
        var views = json["bufferViews"]?.arrayValue ?? []
        var decodedTotal = 0
        for index in views.indices {
            guard let name = Self.meshoptNames.first(where: { views[index]["extensions"]?[$0] != nil }),
                  let description = views[index]["extensions"]?[name] else { continue }
            let path = "bufferViews[\(index)].extensions.\(name)"
            let decoded = try decodeMeshoptView(description, at: path, budget: Self.maximumDecodedBytes - decodedTotal)
            decodedTotal += decoded.count
            let offset = appendDecoded(decoded)
            views[index].set("buffer", .number(0))
            views[index].set("byteOffset", .number(Double(offset)))
            views[index].set("byteLength", .number(Double(decoded.count)))
            views[index].removeExtension(name)
        }
        json.set("bufferViews", .array(views))
        for name in Self.meshoptNames { forgetExtension(name) }
    }

    /// The decoded bytes of one compressed view, every field checked against the real buffers first.
    private func decodeMeshoptView(_ description: JSONValue, at path: String, budget: Int) throws(FaceError) -> [UInt8] {
        let source = try GLTFField.integer(description, "buffer", at: path, file: file, in: 0...max(0, buffers.count - 1))
        guard buffers.indices.contains(source) else { throw .gltf(file: file, problem: "\(path).buffer \(source) does not exist") }
        let sourceBytes = buffers[source].count
        let offset = try GLTFField.integer(description, "byteOffset", at: path, file: file, default: 0, in: 0...sourceBytes)
        let length = try GLTFField.integer(description, "byteLength", at: path, file: file, in: 1...max(1, sourceBytes - offset))
        guard offset + length <= sourceBytes else {
            throw .gltf(file: file, problem: "\(path) (\(length) bytes from byteOffset \(offset)) runs past the end of buffers[\(source)] (\(sourceBytes) bytes)")
        }
        let stride = try GLTFField.integer(description, "byteStride", at: path, file: file, in: 1...256)
        let count = try GLTFField.integer(description, "count", at: path, file: file, in: 0...(max(0, budget) / stride))
        let mode = description["mode"]?.stringValue ?? ""
        let filter = description["filter"]?.stringValue ?? "NONE"
        switch mode {
        case "ATTRIBUTES":
            guard stride % 4 == 0 else { throw .gltf(file: file, problem: "\(path).byteStride \(stride) must be a multiple of 4 for ATTRIBUTES") }
        case "TRIANGLES", "INDICES":
            guard stride == 2 || stride == 4 else { throw .gltf(file: file, problem: "\(path).byteStride \(stride) must be 2 or 4 for \(mode)") }
            guard mode == "INDICES" || count % 3 == 0 else { throw .gltf(file: file, problem: "\(path).count \(count) is not a multiple of 3 (TRIANGLES)") }
            guard filter == "NONE" else { throw .gltf(file: file, problem: "\(path).filter \(filter) applies only to ATTRIBUTES") }
        default:
            throw .gltf(file: file, problem: "\(path).mode \"\(mode)\" is not ATTRIBUTES, TRIANGLES or INDICES")
        }
        switch filter {
        case "NONE": break
        case "OCTAHEDRAL": guard stride == 4 || stride == 8 else { throw .gltf(file: file, problem: "\(path): the OCTAHEDRAL filter needs byteStride 4 or 8") }
        case "QUATERNION": guard stride == 8 else { throw .gltf(file: file, problem: "\(path): the QUATERNION filter needs byteStride 8") }
        case "EXPONENTIAL": break  // any multiple of 4, checked above
        default:
            throw .gltf(file: file, problem: "\(path).filter \"\(filter)\" is not one libmeshoptimizer \(Self.meshoptVersion) decodes (NONE, OCTAHEDRAL, QUATERNION, EXPONENTIAL)")
        }
        var out = [UInt8](repeating: 0, count: count * stride)
        if count == 0 { return out }
        let status: Int32 = buffers[source].withUnsafeBufferPointer { input in
            out.withUnsafeMutableBytes { output in
                let data = input.baseAddress! + offset
                switch mode {
                case "ATTRIBUTES":
                    let status = meshopt_decodeVertexBuffer(output.baseAddress, count, stride, data, length)
                    guard status == 0 else { return status }
                    switch filter {
                    case "OCTAHEDRAL": meshopt_decodeFilterOct(output.baseAddress, count, stride)
                    case "QUATERNION": meshopt_decodeFilterQuat(output.baseAddress, count, stride)
                    case "EXPONENTIAL": meshopt_decodeFilterExp(output.baseAddress, count, stride)
                    default: break
                    }
                    return 0
                case "TRIANGLES": return meshopt_decodeIndexBuffer(output.baseAddress, count, stride, data, length)
                default: return meshopt_decodeIndexSequence(output.baseAddress, count, stride, data, length)
                }
            }
        }
        guard status == 0 else {
            throw .gltf(file: file, problem: "\(path): libmeshoptimizer \(Self.meshoptVersion) could not decode the \(mode) data (error \(status)): "
                        + "the bytes are damaged or use a newer codec version")
        }
        return out
    }

    /// The linked library's version, for messages ("0.18").
    static var meshoptVersion: String { "\(MESHOPTIMIZER_VERSION / 1000).\(MESHOPTIMIZER_VERSION % 1000 / 10)" }
}
