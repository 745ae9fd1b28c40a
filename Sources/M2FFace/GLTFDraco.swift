import CDracoDecoder

/// KHR_draco_mesh_compression: mesh primitives whose attributes and indices are one Draco-compressed
/// bufferView, decoded by Draco's own decoder (through the `CDracoDecoder` adapter).
///
/// After `decodeDracoPrimitives` each such primitive's accessors point at their decoded values in
/// buffer 0 and the extension is gone. Morph targets are never Draco-compressed (the extension leaves
/// them plain); encoders keep the vertex order for them (Draco's sequential method), so they still fit.
extension GLTFAsset {
    static let dracoName = "KHR_draco_mesh_compression"

    /// Decodes every Draco-compressed primitive in place (see the type's comment).
    mutating func decodeDracoPrimitives() throws(FaceError) {
        var meshes = json["meshes"]?.arrayValue ?? []
        var found = false
        for m in meshes.indices {
            guard var primitives = meshes[m]["primitives"]?.arrayValue else { continue }
            for p in primitives.indices {
                guard let description = primitives[p]["extensions"]?[Self.dracoName] else { continue }
                try decodeDracoPrimitive(primitives[p], description, at: "meshes[\(m)].primitives[\(p)]")
                primitives[p].removeExtension(Self.dracoName)
                found = true
            }
            meshes[m].set("primitives", .array(primitives))
        }
        guard found else { forgetExtension(Self.dracoName); return }
        json.set("meshes", .array(meshes))
        forgetExtension(Self.dracoName)
    }

    private mutating func decodeDracoPrimitive(_ primitive: JSONValue, _ description: JSONValue, at path: String) throws(FaceError) {
        let extensionPath = "\(path).extensions.\(Self.dracoName)"
        let mode = try GLTFField.integer(primitive, "mode", at: path, file: file, default: 4, in: 0...6)
        guard mode == 4 else { throw .gltf(file: file, problem: "\(path).mode \(mode): Draco-compressed primitives must be triangle lists (mode 4)") }
        let viewIndex = try GLTFField.integer(description, "bufferView", at: extensionPath, file: file, in: 0...Int.max)
        let view = try bufferViewLayout(viewIndex)
        guard view.length > 0 else { throw .gltf(file: file, problem: "\(extensionPath): bufferViews[\(viewIndex)] is empty") }
        var message = [CChar](repeating: 0, count: 256)
        let decoded = buffers[view.buffer].withUnsafeBufferPointer { bytes in
            m2f_draco_decode(bytes.baseAddress! + view.start, view.length, &message, message.count)
        }
        guard let mesh = decoded else {
            let reason = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw .gltf(file: file, problem: "\(extensionPath): Draco could not decode bufferViews[\(viewIndex)]: \(reason)")
        }
        defer { m2f_draco_free(mesh) }
        let points = Int(m2f_draco_point_count(mesh)), faces = Int(m2f_draco_face_count(mesh))
        guard case let .object(attributes)? = description["attributes"] else {
            throw .gltf(file: file, problem: "\(extensionPath).attributes must be an object of attribute names and Draco ids")
        }
        var accessors = json["accessors"]?.arrayValue ?? []
        func accessorIndex(_ value: JSONValue?, _ what: String) throws(FaceError) -> Int {
            guard let index = value?.intValue, accessors.indices.contains(index) else {
                throw .gltf(file: file, problem: "\(path).\(what) does not name an accessor of the file")
            }
            return index
        }
        for (name, idValue) in attributes {
            guard let id = idValue.intValue, let uniqueID = UInt32(exactly: id) else {
                throw .gltf(file: file, problem: "\(extensionPath).attributes.\(name) is \(idValue.serialized()), not a Draco attribute id")
            }
            let index = try accessorIndex(primitive["attributes"]?[name], "attributes.\(name)")
            let accessorPath = "accessors[\(index)]"
            guard let type = accessors[index]["type"]?.stringValue, let components = Self.componentsPerType[type] else {
                throw .gltf(file: file, problem: "\(accessorPath).type must be one of SCALAR, VEC2, VEC3, VEC4, MAT2, MAT3, MAT4")
            }
            let componentType = try GLTFField.integer(accessors[index], "componentType", at: accessorPath, file: file, in: 5120...5126)
            let count = try GLTFField.integer(accessors[index], "count", at: accessorPath, file: file, in: 0...Int.max)
            guard let size = Self.componentBytes(componentType) else {
                throw .gltf(file: file, problem: "\(accessorPath).componentType \(componentType) is not a glTF component type")
            }
            guard count == points else {
                throw .gltf(file: file, problem: "\(accessorPath).count is \(count), the Draco data of \(path) has \(points) points")
            }
            guard m2f_draco_attribute_components(mesh, uniqueID) >= 1 else {
                throw .gltf(file: file, problem: "\(extensionPath).attributes.\(name): the Draco data has no attribute with id \(id)")
            }
            var values = [UInt8](repeating: 0, count: points * components * size)
            let status = values.withUnsafeMutableBytes { out in
                m2f_draco_attribute_values(mesh, uniqueID, Int32(componentType), Int32(components), out.baseAddress, out.count)
            }
            guard status == 0 else {
                throw .gltf(file: file, problem: "\(extensionPath).attributes.\(name): Draco could not convert attribute \(id) to \(accessorPath)'s \(type) of type \(componentType)")
            }
            accessors[index] = pointing(accessors[index], at: addBufferView(decoded: values))
        }
        if primitive["indices"] != nil {
            let index = try accessorIndex(primitive["indices"], "indices")
            let accessorPath = "accessors[\(index)]"
            let componentType = try GLTFField.integer(accessors[index], "componentType", at: accessorPath, file: file, in: 5120...5126)
            let count = try GLTFField.integer(accessors[index], "count", at: accessorPath, file: file, in: 0...Int.max)
            guard count == faces * 3 else {
                throw .gltf(file: file, problem: "\(accessorPath).count is \(count), the Draco data of \(path) has \(faces) triangles (\(faces * 3) indices)")
            }
            var indices = [UInt32](repeating: 0, count: faces * 3)
            indices.withUnsafeMutableBufferPointer { out in if let base = out.baseAddress { m2f_draco_indices(mesh, base) } }
            let bytes: [UInt8]
            switch componentType {
            case 5125: bytes = littleEndianBytes(indices)
            case 5123 where indices.allSatisfy({ $0 <= UInt32(UInt16.max) }):
                bytes = indices.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
            case 5121 where indices.allSatisfy({ $0 <= UInt32(UInt8.max) }): bytes = indices.map { UInt8($0) }
            default:
                throw .gltf(file: file, problem: "\(accessorPath).componentType \(componentType) cannot hold the Draco data's indices (up to \(indices.max() ?? 0))")
            }
            accessors[index] = pointing(accessors[index], at: addBufferView(decoded: bytes))
        }
        json.set("accessors", .array(accessors))
    }

    /// A new bufferView over decoded bytes in buffer 0; returns its index.
    private mutating func addBufferView(decoded bytes: [UInt8]) -> Int {
        let offset = appendDecoded(bytes)
        var views = json["bufferViews"]?.arrayValue ?? []
        views.append(.object([("buffer", .number(0)), ("byteOffset", .number(Double(offset))), ("byteLength", .number(Double(bytes.count)))]))
        json.set("bufferViews", .array(views))
        return views.count - 1
    }

    private func pointing(_ accessor: JSONValue, at view: Int) -> JSONValue {
        var accessor = accessor
        accessor.set("bufferView", .number(Double(view)))
        accessor.remove("byteOffset")
        return accessor
    }
}
