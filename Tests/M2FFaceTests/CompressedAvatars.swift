import CDracoEncoding
import CMeshOptimizer
import Foundation
import M2FFace

/// Compresses a test avatar the way glTF tools do, with the libraries' own encoders: every bufferView
/// through meshopt (gltfpack's layout: compressed bytes in the GLB BIN chunk, a fallback buffer with no
/// bytes), or the head primitive through Draco (sequential method, as tools do for morph targets).
enum CompressedAvatars {
    /// How each bufferView of the avatar is used: by a vertex accessor, the triangle indices, or a sparse part.
    struct ViewUse {
        var mode: String
        var stride: Int
        var filter = "NONE"
    }

    static func viewUses(_ json: JSONValue) -> [Int: ViewUse] {
        var uses: [Int: ViewUse] = [:]
        let accessors = json["accessors"]?.arrayValue ?? []
        let indexAccessors = Set((json["meshes"]?.arrayValue ?? []).flatMap { ($0["primitives"]?.arrayValue ?? []).compactMap { $0["indices"]?.intValue } })
        let components = ["SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4]
        for (a, accessor) in accessors.enumerated() {
            let elementBytes = 4 * (components[accessor["type"]?.stringValue ?? ""] ?? 1)
            if let view = accessor["bufferView"]?.intValue {
                uses[view] = indexAccessors.contains(a) ? ViewUse(mode: "TRIANGLES", stride: 4) : ViewUse(mode: "ATTRIBUTES", stride: elementBytes)
            }
            if let sparse = accessor["sparse"] {
                if let view = sparse["indices"]?["bufferView"]?.intValue { uses[view] = ViewUse(mode: "INDICES", stride: 4) }
                // Morph-target offsets through the exponential filter, as gltfpack stores them.
                if let view = sparse["values"]?["bufferView"]?.intValue { uses[view] = ViewUse(mode: "ATTRIBUTES", stride: elementBytes, filter: "EXPONENTIAL") }
            }
        }
        return uses
    }

    /// The avatar's GLB with every bufferView meshopt-compressed under `extensionName`.
    static func meshopt(_ source: URL, extensionName: String = "EXT_meshopt_compression") throws -> Data {
        var asset = try GLTFAsset.load(source)
        _ = asset.data(binary: true)  // merges everything into buffer 0
        let plain = asset.buffers[0]
        let uses = viewUses(asset.json)
        var compressed: [UInt8] = [], fallbackLength = 0
        var views = asset.json["bufferViews"]!.arrayValue!
        for v in views.indices {
            let offset = views[v]["byteOffset"]?.intValue ?? 0, length = views[v]["byteLength"]!.intValue!
            guard let use = uses[v] else { continue }
            var bytes = Array(plain[offset..<(offset + length)])
            let count = length / use.stride
            if use.filter == "EXPONENTIAL" {
                let floats = bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
                floats.withUnsafeBufferPointer { meshopt_encodeFilterExp(&bytes, count, use.stride, 15, $0.baseAddress) }
            }
            var encoded: [UInt8]
            switch use.mode {
            case "ATTRIBUTES":
                encoded = [UInt8](repeating: 0, count: meshopt_encodeVertexBufferBound(count, use.stride))
                encoded.removeLast(encoded.count - meshopt_encodeVertexBuffer(&encoded, encoded.count, bytes, count, use.stride))
            default:
                let indices = bytes.withUnsafeBytes { Array($0.bindMemory(to: UInt32.self)) }
                let vertices = Int(indices.max() ?? 0) + 1
                if use.mode == "TRIANGLES" {
                    encoded = [UInt8](repeating: 0, count: meshopt_encodeIndexBufferBound(count, vertices))
                    encoded.removeLast(encoded.count - meshopt_encodeIndexBuffer(&encoded, encoded.count, indices, count))
                } else {
                    encoded = [UInt8](repeating: 0, count: meshopt_encodeIndexSequenceBound(count, vertices))
                    encoded.removeLast(encoded.count - meshopt_encodeIndexSequence(&encoded, encoded.count, indices, count))
                }
            }
            while compressed.count % 4 != 0 { compressed.append(0) }
            var description: [(String, JSONValue)] = [("buffer", .number(0)), ("byteOffset", .number(Double(compressed.count))),
                                                      ("byteLength", .number(Double(encoded.count))), ("byteStride", .number(Double(use.stride))),
                                                      ("count", .number(Double(count))), ("mode", .string(use.mode))]
            if use.filter != "NONE" { description.append(("filter", .string(use.filter))) }
            compressed += encoded
            views[v].set("buffer", .number(1))
            views[v].set("byteOffset", .number(Double(fallbackLength)))
            views[v].set("extensions", .object([(extensionName, .object(description))]))
            fallbackLength += length
        }
        asset.json.set("bufferViews", .array(views))
        asset.json.set("buffers", .array([
            .object([("byteLength", .number(Double(compressed.count)))]),
            .object([("byteLength", .number(Double(fallbackLength))), ("extensions", .object([(extensionName, .object([("fallback", .bool(true))]))]))]),
        ]))
        asset.json.set("extensionsUsed", .array([.string(extensionName)]))
        asset.json.set("extensionsRequired", .array([.string(extensionName)]))
        return glb(json: asset.json, bin: compressed)
    }

    /// The avatar with its first primitive's POSITION (14-bit), NORMAL (10-bit), COLOR_0 (lossless)
    /// and indices in one Draco bufferView; the morph targets stay plain, as the extension requires.
    static func draco(_ source: URL, to output: URL) throws {
        var asset = try GLTFAsset.load(source)
        var meshes = asset.json["meshes"]!.arrayValue!
        var primitives = meshes[0]["primitives"]!.arrayValue!
        // Draco's kind and quantisation per attribute the primitive has.
        let known: [(name: String, kind: Int32, bits: Int32)] = [("POSITION", 0, 14), ("NORMAL", 1, 10), ("COLOR_0", 2, 0)]
        let present = known.filter { primitives[0]["attributes"]![$0.name] != nil }
        let names = present.map(\.name), kinds = present.map(\.kind), bits = present.map(\.bits)
        let accessorIndices = names.map { primitives[0]["attributes"]![$0]!.intValue! }
        let values = try accessorIndices.map { try asset.floats(accessor: $0).values }
        let indexAccessor = primitives[0]["indices"]!.intValue!
        let indices = try asset.floats(accessor: indexAccessor).values.map { UInt32($0) }
        let points = values[0].count / 3
        var ids = [UInt32](repeating: 0, count: names.count), size = 0
        let components = values.map { Int32($0.count / points) }
        let pointers = values.map { v -> UnsafeMutablePointer<Float> in
            let p = UnsafeMutablePointer<Float>.allocate(capacity: v.count)
            p.initialize(from: v, count: v.count)
            return p
        }
        defer { pointers.forEach { $0.deallocate() } }
        let constPointers: [UnsafePointer<Float>?] = pointers.map { UnsafePointer($0) }
        guard let encoded = m2f_draco_encode(UInt32(points), indices, UInt32(indices.count / 3), Int32(names.count), kinds, components,
                                             constPointers, bits, &ids, &size) else {
            throw CocoaError(.coderInvalidValue)
        }
        let bytes = Array(UnsafeBufferPointer(start: encoded, count: size))
        m2f_draco_free_bytes(encoded)
        let view = asset.addBufferView(bytes)
        var accessors = asset.json["accessors"]!.arrayValue!
        for index in accessorIndices + [indexAccessor] {
            guard case var .object(members) = accessors[index] else { continue }
            members.removeAll { $0.0 == "bufferView" || $0.0 == "byteOffset" }
            accessors[index] = .object(members)
        }
        asset.json.set("accessors", .array(accessors))
        let attributes: [(String, JSONValue)] = zip(names, ids).map { ($0, .number(Double($1))) }
        primitives[0].set("extensions", .object([("KHR_draco_mesh_compression", .object([
            ("bufferView", .number(Double(view))), ("attributes", .object(attributes)),
        ]))]))
        meshes[0].set("primitives", .array(primitives))
        asset.json.set("meshes", .array(meshes))
        asset.json.set("extensionsUsed", .array([.string("KHR_draco_mesh_compression")]))
        asset.json.set("extensionsRequired", .array([.string("KHR_draco_mesh_compression")]))
        try asset.write(to: output)
    }

    /// A GLB container of a JSON document and one BIN chunk.
    static func glb(json: JSONValue, bin: [UInt8]) -> Data {
        var jsonBytes = Array(json.serialized().utf8)
        while jsonBytes.count % 4 != 0 { jsonBytes.append(0x20) }
        var binBytes = bin
        while binBytes.count % 4 != 0 { binBytes.append(0) }
        func le(_ v: Int) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        var out = Array("glTF".utf8) + le(2) + le(12 + 8 + jsonBytes.count + 8 + binBytes.count)
        out += le(jsonBytes.count) + Array("JSON".utf8) + jsonBytes
        out += le(binBytes.count) + Array("BIN".utf8) + [0] + binBytes
        return Data(out)
    }
}
