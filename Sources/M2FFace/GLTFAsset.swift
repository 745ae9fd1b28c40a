import Foundation

/// A glTF 2.0 asset in memory: its JSON (key order kept) and its buffers' bytes.
///
/// Loads `.glb` (binary container) and `.gltf` (JSON with data URIs or files beside it); saves
/// either, merging all buffers into one (the GLB BIN chunk, or a base64 data URI for `.gltf`).
public struct GLTFAsset: Sendable {
    public var json: JSONValue
    public var buffers: [[UInt8]]
    public let file: String

    static let glbMagic: UInt32 = 0x4654_6C67  // "glTF"
    static let jsonChunk: UInt32 = 0x4E4F_534A  // "JSON"
    static let binChunk: UInt32 = 0x004E_4942  // "BIN\0"

    public init(json: JSONValue, buffers: [[UInt8]], file: String = "<memory>") {
        self.json = json
        self.buffers = buffers
        self.file = file
    }

    public static func load(_ url: URL) throws(FaceError) -> GLTFAsset {
        try parse(readInput(url), file: url.path, folderOf: url)
    }

    /// Parses glTF or GLB bytes and checks every buffer, bufferView and accessor against the real bytes.
    /// - Parameter container: the file whose folder holds external buffers; nil refuses external buffers
    ///   (bytes from memory or a fuzzer).
    public static func parse(_ data: Data, file: String, folderOf container: URL? = nil) throws(FaceError) -> GLTFAsset {
        let bytes = [UInt8](data)
        if bytes.isEmpty { throw .emptyFile(file: file) }
        var json: JSONValue
        var bin: [UInt8]?
        if bytes.count >= 12, readUInt32(bytes, 0) == glbMagic {
            guard readUInt32(bytes, 4) == 2 else { throw .gltf(file: file, problem: "GLB version \(readUInt32(bytes, 4)) is not 2") }
            var offset = 12
            var jsonBytes: [UInt8]?
            while offset + 8 <= bytes.count {
                let length = Int(readUInt32(bytes, offset)), type = readUInt32(bytes, offset + 4)
                guard length <= bytes.count - offset - 8 else { throw .gltf(file: file, problem: "GLB chunk at byte \(offset) runs past the end of the file") }
                let chunk = Array(bytes[(offset + 8)..<(offset + 8 + length)])
                if type == jsonChunk, jsonBytes == nil { jsonBytes = chunk }
                if type == binChunk, bin == nil { bin = chunk }
                offset += 8 + length
            }
            guard let jsonBytes else { throw .gltf(file: file, problem: "GLB has no JSON chunk") }
            json = try JSONValue.parse(Data(jsonBytes), file: file)
        } else {
            json = try JSONValue.parse(data, file: file)
        }
        guard case .object = json else { throw .gltf(file: file, problem: "the glTF JSON must be an object") }
        guard json["asset"]?["version"]?.stringValue?.hasPrefix("2") == true else {
            throw .gltf(file: file, problem: "asset.version must be \"2.0\" (only glTF 2.0 is supported)")
        }
        try checkRequiredExtensions(json, file: file)
        var buffers: [[UInt8]] = []
        for (i, buffer) in (json["buffers"]?.arrayValue ?? []).enumerated() {
            let length = try GLTFField.integer(buffer, "byteLength", at: "buffers[\(i)]", file: file, in: 0...Int(UInt32.max))
            var bytes: [UInt8]
            if let uri = buffer["uri"]?.stringValue {
                if uri.hasPrefix("data:") {
                    guard let comma = uri.firstIndex(of: ","), let decoded = Data(base64Encoded: String(uri[uri.index(after: comma)...])) else {
                        throw .gltf(file: file, problem: "buffers[\(i)] has a data URI that is not base64")
                    }
                    bytes = [UInt8](decoded)
                } else {
                    guard let container else { throw .gltf(file: file, problem: "buffers[\(i)] names an external file, which bytes in memory cannot have") }
                    // Untrusted: only a plain file inside the avatar's folder (see ContainedFile).
                    bytes = try ContainedFile.read(uri, besideFile: container, maximumBytes: length)
                }
            } else if isMeshoptFallback(buffer), i > 0 || bin == nil {
                bytes = []  // a placeholder for meshopt-compressed views: decodeMeshoptViews gives them their bytes
                buffers.append(bytes)
                continue
            } else {
                guard i == 0, let bin else { throw .gltf(file: file, problem: "buffers[\(i)] has no uri and there is no GLB BIN chunk") }
                bytes = bin
            }
            guard bytes.count >= length else {
                throw .gltf(file: file, problem: "buffers[\(i)] holds \(bytes.count) bytes, byteLength says \(length)")
            }
            buffers.append(Array(bytes.prefix(length)))
        }
        var asset = GLTFAsset(json: json, buffers: buffers, file: file)
        // Compressed geometry is decoded by the libraries' own decoders, so the rest of m2f (and what
        // it writes) sees plain glTF: meshopt views first (Draco data may lie in one), then Draco.
        try asset.decodeMeshoptViews()
        try asset.validateLayout()
        try asset.decodeDracoPrimitives()
        try asset.validateLayout()
        return asset
    }

    // MARK: Reading accessors

    /// An accessor's elements as floats (normalised integers scaled to [0, 1] or [-1, 1]), with the
    /// number of components per element. Every size and offset is checked first (`accessorLayout`).
    public func floats(accessor index: Int) throws(FaceError) -> (values: [Float], components: Int) {
        let layout = try accessorLayout(index)
        let components = layout.components
        var values = [Float](repeating: 0, count: layout.count * components)
        if let dense = layout.dense {
            readFloats(dense, count: layout.count, components: components, componentType: layout.componentType,
                       normalized: layout.normalized) { i, v in values[i] = v }
        }
        if let sparse = layout.sparse {
            let targets = readIndices(sparse.indices, count: sparse.count, componentType: sparse.indexType)
            if let bad = targets.firstIndex(where: { $0 >= layout.count }) {
                throw .gltf(file: file, problem: "accessors[\(index)].sparse index \(targets[bad]) (entry \(bad)) is past the accessor's count \(layout.count)")
            }
            readFloats(sparse.values, count: sparse.count, components: components, componentType: layout.componentType,
                       normalized: layout.normalized) { i, v in values[targets[i / components] * components + i % components] = v }
        }
        return (values, components)
    }

    /// Reads `count` elements of a span whose bounds `accessorLayout` has checked.
    private func readFloats(_ span: ElementSpan, count: Int, components: Int, componentType: Int, normalized: Bool,
                            _ store: (Int, Float) -> Void) {
        let size = Self.componentBytes(componentType) ?? 4
        buffers[span.buffer].withUnsafeBytes { raw in
            for e in 0..<count {
                for c in 0..<components {
                    let at = span.start + e * span.stride + c * size
                    let v: Float
                    switch componentType {
                    case 5126: v = Float(bitPattern: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian)
                    case 5125: v = Float(raw.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian)
                    case 5123: let x = raw.loadUnaligned(fromByteOffset: at, as: UInt16.self).littleEndian; v = normalized ? Float(x) / 65535 : Float(x)
                    case 5122: let x = Int16(bitPattern: raw.loadUnaligned(fromByteOffset: at, as: UInt16.self).littleEndian); v = normalized ? max(Float(x) / 32767, -1) : Float(x)
                    case 5121: let x = raw[at]; v = normalized ? Float(x) / 255 : Float(x)
                    default: let x = Int8(bitPattern: raw[at]); v = normalized ? max(Float(x) / 127, -1) : Float(x)
                    }
                    store(e * components + c, v)
                }
            }
        }
    }

    /// Sparse indices as integers (exact above 2^24, unlike a trip through Float).
    private func readIndices(_ span: ElementSpan, count: Int, componentType: Int) -> [Int] {
        buffers[span.buffer].withUnsafeBytes { raw in
            (0..<count).map { e in
                let at = span.start + e * span.stride
                switch componentType {
                case 5125: return Int(raw.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian)
                case 5123: return Int(raw.loadUnaligned(fromByteOffset: at, as: UInt16.self).littleEndian)
                default: return Int(raw[at])
                }
            }
        }
    }

    // MARK: Writing

    /// Appends bytes to buffer 0 (4-byte aligned) and a bufferView for them; returns the view index.
    public mutating func addBufferView(_ bytes: [UInt8], target: Int? = nil) -> Int {
        if buffers.isEmpty {
            buffers.append([])
            var list = json["buffers"]?.arrayValue ?? []
            list.insert(.object([("byteLength", .number(0))]), at: 0)
            json.set("buffers", .array(list))
        }
        while buffers[0].count % 4 != 0 { buffers[0].append(0) }
        let offset = buffers[0].count
        buffers[0] += bytes
        var view: [(String, JSONValue)] = [("buffer", .number(0)), ("byteOffset", .number(Double(offset))), ("byteLength", .number(Double(bytes.count)))]
        if let target { view.append(("target", .number(Double(target)))) }
        var views = json["bufferViews"]?.arrayValue ?? []
        views.append(.object(view))
        json.set("bufferViews", .array(views))
        return views.count - 1
    }

    /// Appends an accessor; returns its index.
    public mutating func addAccessor(_ members: [(String, JSONValue)]) -> Int {
        var accessors = json["accessors"]?.arrayValue ?? []
        accessors.append(.object(members))
        json.set("accessors", .array(accessors))
        return accessors.count - 1
    }

    /// A float accessor over new data (`components` per element), with min/max when asked.
    public mutating func addFloatAccessor(_ values: [Float], components: Int, type: String, target: Int? = nil, bounds: Bool = false) -> Int {
        let view = addBufferView(littleEndianBytes(values), target: target)
        var members: [(String, JSONValue)] = [("bufferView", .number(Double(view))), ("componentType", .number(5126)),
                                              ("count", .number(Double(values.count / components))), ("type", .string(type))]
        if bounds { members += boundsMembers(values, components: components) }
        return addAccessor(members)
    }

    func boundsMembers(_ values: [Float], components: Int) -> [(String, JSONValue)] {
        var lo = [Float](repeating: .infinity, count: components), hi = [Float](repeating: -.infinity, count: components)
        for (i, v) in values.enumerated() { lo[i % components] = min(lo[i % components], v); hi[i % components] = max(hi[i % components], v) }
        if values.isEmpty { lo = [Float](repeating: 0, count: components); hi = lo }
        return [("min", .array(lo.map { .number(Double($0)) })), ("max", .array(hi.map { .number(Double($0)) }))]
    }

    /// Merges all buffers into buffer 0 (bufferViews re-pointed); external URIs are dropped.
    mutating func mergeBuffers() {
        guard buffers.count > 1 else { return }
        var merged: [UInt8] = []
        var bases: [Int] = []
        for buffer in buffers {
            while merged.count % 8 != 0 { merged.append(0) }
            bases.append(merged.count)
            merged += buffer
        }
        var views = json["bufferViews"]?.arrayValue ?? []
        for i in views.indices {
            let b = views[i]["buffer"]?.intValue ?? 0
            views[i].set("byteOffset", .number(Double(bases[b] + (views[i]["byteOffset"]?.intValue ?? 0))))
            views[i].set("buffer", .number(0))
        }
        json.set("bufferViews", .array(views))
        buffers = [merged]
        json.set("buffers", .array([.object([("byteLength", .number(Double(merged.count)))])]))
    }

    /// Serialises as GLB (`.glb`) or as JSON with an embedded base64 buffer (`.gltf`).
    public mutating func data(binary: Bool) -> Data {
        mergeBuffers()
        if !buffers.isEmpty {
            while buffers[0].count % 4 != 0 { buffers[0].append(0) }
            var buffer: [(String, JSONValue)] = [("byteLength", .number(Double(buffers[0].count)))]
            if !binary {
                buffer.insert(("uri", .string("data:application/octet-stream;base64," + Data(buffers[0]).base64EncodedString())), at: 0)
            }
            json.set("buffers", .array([.object(buffer)]))
        }
        if !binary { return Data(json.serialized(pretty: true).utf8) }
        var jsonBytes = Array(json.serialized().utf8)
        while jsonBytes.count % 4 != 0 { jsonBytes.append(0x20) }
        let bin = buffers.first ?? []
        let total = 12 + 8 + jsonBytes.count + (bin.isEmpty ? 0 : 8 + bin.count)
        var out: [UInt8] = []
        out.reserveCapacity(total)
        out += le32(Self.glbMagic) + le32(2) + le32(UInt32(total))
        out += le32(UInt32(jsonBytes.count)) + le32(Self.jsonChunk) + jsonBytes
        if !bin.isEmpty { out += le32(UInt32(bin.count)) + le32(Self.binChunk) + bin }
        return Data(out)
    }

    public mutating func write(to url: URL) throws(FaceError) {
        let binary = url.pathExtension.lowercased() != "gltf"
        try writeAtomically(data(binary: binary), to: url)
    }
}

func readUInt32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
    UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
}

func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)] }

func littleEndianBytes(_ values: [Float]) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: values.count * 4)
    for (i, v) in values.enumerated() {
        let b = v.bitPattern.littleEndian
        out[i * 4] = UInt8(b & 0xFF); out[i * 4 + 1] = UInt8((b >> 8) & 0xFF)
        out[i * 4 + 2] = UInt8((b >> 16) & 0xFF); out[i * 4 + 3] = UInt8(b >> 24)
    }
    return out
}

func littleEndianBytes(_ values: [UInt32]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(values.count * 4)
    for v in values { out += le32(v) }
    return out
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
