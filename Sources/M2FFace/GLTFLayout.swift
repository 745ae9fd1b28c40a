import M2FCheckedInput

/// Where the bytes of a glTF bufferView and accessor lie, with every number the file supplies
/// (indices, counts, offsets, strides, lengths) checked against the real buffers with
/// overflow-checked arithmetic before a byte is read. A crafted avatar gets a `FaceError.gltf` naming
/// the field, never an out-of-bounds read or write.
extension GLTFAsset {
    /// The most values (elements × components) one accessor may hold: 2²⁸, 1 GiB of floats.
    static let maximumAccessorValues = 1 << 28

    /// A contiguous or strided run of elements inside one buffer.
    struct ElementSpan {
        var buffer: Int
        /// Absolute byte offset of the first element in the buffer.
        var start: Int
        var stride: Int
    }

    /// An accessor whose numbers are all in range; reading it cannot leave its buffer.
    struct AccessorLayout {
        var count: Int
        var components: Int
        var componentType: Int
        var normalized: Bool
        /// The dense elements; nil when the accessor has no bufferView (zeros, then sparse values).
        var dense: ElementSpan?
        var sparse: SparseLayout?
    }

    struct SparseLayout {
        var count: Int
        var indexType: Int
        var indices: ElementSpan
        var values: ElementSpan
    }

    /// Bytes per component of a glTF componentType, nil for an unknown type.
    static func componentBytes(_ componentType: Int) -> Int? {
        [5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4][componentType]
    }

    static let componentsPerType = ["SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4, "MAT2": 4, "MAT3": 9, "MAT4": 16]

    /// The bufferView `index`: its buffer, where it starts and how long it is, and its stride.
    func bufferViewLayout(_ index: Int) throws(FaceError) -> (buffer: Int, start: Int, length: Int, stride: Int?) {
        let views = json["bufferViews"]?.arrayValue ?? []
        guard views.indices.contains(index) else {
            throw .gltf(file: file, problem: "bufferView \(index) does not exist (the file has \(views.count))")
        }
        let view = views[index], path = "bufferViews[\(index)]"
        let buffer = try GLTFField.integer(view, "buffer", at: path, file: file, in: 0...max(0, buffers.count - 1))
        guard buffers.indices.contains(buffer) else { throw .gltf(file: file, problem: "\(path).buffer \(buffer) does not exist") }
        let bufferLength = buffers[buffer].count
        let start = try GLTFField.integer(view, "byteOffset", at: path, file: file, default: 0, in: 0...bufferLength)
        let length = try GLTFField.integer(view, "byteLength", at: path, file: file, in: 0...(bufferLength - start))
        let stride: Int? = view["byteStride"] == nil ? nil : try GLTFField.integer(view, "byteStride", at: path, file: file, in: 4...252)
        return (buffer, start, length, stride)
    }

    /// The accessor `index` with every number checked (see `AccessorLayout`).
    func accessorLayout(_ index: Int) throws(FaceError) -> AccessorLayout {
        let accessors = json["accessors"]?.arrayValue ?? []
        guard accessors.indices.contains(index) else {
            throw .gltf(file: file, problem: "accessor \(index) does not exist (the file has \(accessors.count))")
        }
        let accessor = accessors[index], path = "accessors[\(index)]"
        guard let type = accessor["type"]?.stringValue, let components = Self.componentsPerType[type] else {
            throw .gltf(file: file, problem: "\(path).type must be one of SCALAR, VEC2, VEC3, VEC4, MAT2, MAT3, MAT4")
        }
        let componentType = try GLTFField.integer(accessor, "componentType", at: path, file: file, in: 5120...5126)
        guard let componentBytes = Self.componentBytes(componentType) else {
            throw .gltf(file: file, problem: "\(path).componentType \(componentType) is not a glTF component type")
        }
        let count = try GLTFField.integer(accessor, "count", at: path, file: file, in: 0...(Self.maximumAccessorValues / components))
        let elementBytes = componentBytes * components
        var layout = AccessorLayout(count: count, components: components, componentType: componentType,
                                    normalized: accessor["normalized"] == .bool(true))
        if accessor["bufferView"] != nil {
            let viewIndex = try GLTFField.integer(accessor, "bufferView", at: path, file: file, in: 0...Int.max)
            let view = try bufferViewLayout(viewIndex)
            let offset = try GLTFField.integer(accessor, "byteOffset", at: path, file: file, default: 0, in: 0...view.length)
            let stride = view.stride ?? elementBytes
            guard stride >= elementBytes else {
                throw .gltf(file: file, problem: "bufferViews[\(viewIndex)].byteStride \(stride) is less than the \(elementBytes)-byte element of \(path)")
            }
            guard CheckedSize.stridedSpanFits(start: offset, stride: stride, count: count, elementBytes: elementBytes, length: view.length) else {
                throw .gltf(file: file, problem: "\(path) (\(count) × \(elementBytes) bytes, stride \(stride), byteOffset \(offset)) "
                            + "runs past the end of bufferViews[\(viewIndex)] (\(view.length) bytes)")
            }
            layout.dense = ElementSpan(buffer: view.buffer, start: view.start + offset, stride: stride)
        }
        if let sparse = accessor["sparse"] {
            layout.sparse = try sparseLayout(sparse, at: path + ".sparse", accessorCount: count, elementBytes: elementBytes)
        }
        return layout
    }

    private func sparseLayout(_ sparse: JSONValue, at path: String, accessorCount: Int, elementBytes: Int) throws(FaceError) -> SparseLayout {
        let count = try GLTFField.integer(sparse, "count", at: path, file: file, in: 1...max(1, accessorCount))
        guard let indices = sparse["indices"], let values = sparse["values"] else {
            throw .gltf(file: file, problem: "\(path) needs both \"indices\" and \"values\"")
        }
        let indexType = try GLTFField.integer(indices, "componentType", at: path + ".indices", file: file, in: 5120...5126)
        guard [5121, 5123, 5125].contains(indexType) else {
            throw .gltf(file: file, problem: "\(path).indices.componentType \(indexType) is not an unsigned integer type (5121, 5123, 5125)")
        }
        func span(_ member: JSONValue, _ name: String, elementBytes: Int) throws(FaceError) -> ElementSpan {
            let viewIndex = try GLTFField.integer(member, "bufferView", at: "\(path).\(name)", file: file, in: 0...Int.max)
            let view = try bufferViewLayout(viewIndex)
            let offset = try GLTFField.integer(member, "byteOffset", at: "\(path).\(name)", file: file, default: 0, in: 0...view.length)
            guard CheckedSize.stridedSpanFits(start: offset, stride: elementBytes, count: count, elementBytes: elementBytes, length: view.length) else {
                throw .gltf(file: file, problem: "\(path).\(name) (\(count) × \(elementBytes) bytes from byteOffset \(offset)) "
                            + "runs past the end of bufferViews[\(viewIndex)] (\(view.length) bytes)")
            }
            return ElementSpan(buffer: view.buffer, start: view.start + offset, stride: elementBytes)
        }
        return SparseLayout(count: count, indexType: indexType,
                            indices: try span(indices, "indices", elementBytes: Self.componentBytes(indexType) ?? 4),
                            values: try span(values, "values", elementBytes: elementBytes))
    }

    /// Checks every bufferView and accessor of the document (called by `load`, so that a malformed
    /// file is refused up front, including parts that `mergeBuffers` re-points on save).
    func validateLayout() throws(FaceError) {
        let buffersDeclared = json["buffers"]?.arrayValue?.count ?? 0
        guard buffersDeclared == buffers.count else {
            throw .gltf(file: file, problem: "\(buffersDeclared) buffers declared, \(buffers.count) read")
        }
        for view in (json["bufferViews"]?.arrayValue ?? []).indices { _ = try bufferViewLayout(view) }
        for accessor in (json["accessors"]?.arrayValue ?? []).indices { _ = try accessorLayout(accessor) }
    }
}

/// Reads one integer member of a glTF object: it must be a whole number in its allowed range.
enum GLTFField {
    /// `object[key]`: absent → `fallback` (an error when nil); present → a whole number in `range`.
    static func integer(_ object: JSONValue, _ key: String, at path: String, file: String, default fallback: Int? = nil,
                        in range: ClosedRange<Int>) throws(FaceError) -> Int {
        guard let member = object[key] else {
            if let fallback { return fallback }
            throw .gltf(file: file, problem: "\(path).\(key) is missing")
        }
        guard let value = member.intValue else {
            throw .gltf(file: file, problem: "\(path).\(key) is \(member.serialized()), not a whole number")
        }
        guard range.contains(value) else {
            throw .gltf(file: file, problem: "\(path).\(key) is \(value); allowed: \(range.lowerBound) … \(range.upperBound)")
        }
        return value
    }
}
