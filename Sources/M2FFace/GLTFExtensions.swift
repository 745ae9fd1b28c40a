/// The glTF extensions an avatar may require, and the bookkeeping when m2f decodes one away.
///
/// Compressed geometry (meshopt, Draco) is decoded on load by the libraries' own decoders
/// (`GLTFMeshopt.swift`, `GLTFDraco.swift`), so what m2f writes is plain glTF any importer reads.
/// Extensions that only describe materials, textures, lights or quantised (but plainly stored)
/// vertices are kept as they are. Any other required extension could change what the bytes mean,
/// so the file is refused with the extension's name.
extension GLTFAsset {
    /// Extensions whose data m2f decodes on load (and removes from the written file).
    static let decodedExtensions = ["EXT_meshopt_compression", "KHR_meshopt_compression", "KHR_draco_mesh_compression"]

    /// Required extensions m2f keeps as they are: they do not change how buffers, accessors or nodes are read.
    static let keptExtensions: Set<String> = [
        "KHR_mesh_quantization", "KHR_texture_transform", "KHR_texture_basisu", "EXT_texture_webp", "EXT_texture_avif",
        "KHR_lights_punctual", "KHR_materials_variants", "KHR_xmp_json_ld", "EXT_mesh_gpu_instancing",
    ]

    /// Throws for the first required extension that m2f can neither decode nor keep.
    static func checkRequiredExtensions(_ json: JSONValue, file: String) throws(FaceError) {
        for value in json["extensionsRequired"]?.arrayValue ?? [] {
            guard let name = value.stringValue else {
                throw .gltf(file: file, problem: "extensionsRequired holds \(value.serialized()), not an extension name")
            }
            if decodedExtensions.contains(name) || keptExtensions.contains(name) || name.hasPrefix("KHR_materials_") { continue }
            throw .gltf(file: file, problem: "the file requires the glTF extension \(name), which m2f cannot read "
                        + "(it decodes \(decodedExtensions.joined(separator: ", ")) and keeps material, texture and quantisation extensions)")
        }
    }

    /// Drops `name` from `extensionsUsed` and `extensionsRequired` (its data has been decoded).
    mutating func forgetExtension(_ name: String) {
        for list in ["extensionsUsed", "extensionsRequired"] {
            guard let names = json[list]?.arrayValue else { continue }
            let kept = names.filter { $0.stringValue != name }
            if kept.isEmpty { json.remove(list) } else { json.set(list, .array(kept)) }
        }
    }

    /// Appends decoded bytes to buffer 0 (8-byte aligned, as `mergeBuffers` aligns); returns their offset.
    mutating func appendDecoded(_ bytes: [UInt8]) -> Int {
        if buffers.isEmpty {
            buffers.append([])
            var list = json["buffers"]?.arrayValue ?? []
            list.insert(.object([("byteLength", .number(0))]), at: 0)
            json.set("buffers", .array(list))
        }
        while buffers[0].count % 8 != 0 { buffers[0].append(0) }
        let offset = buffers[0].count
        buffers[0] += bytes
        return offset
    }
}

extension JSONValue {
    /// Removes an object member; no effect on other kinds or a missing key.
    mutating func remove(_ key: String) {
        guard case var .object(members) = self else { return }
        members.removeAll { $0.0 == key }
        self = .object(members)
    }

    /// Removes `extensions.name`, and `extensions` when that leaves it empty.
    mutating func removeExtension(_ name: String) {
        guard var extensions = self["extensions"] else { return }
        extensions.remove(name)
        if case let .object(members) = extensions, members.isEmpty { remove("extensions") } else { set("extensions", extensions) }
    }
}
