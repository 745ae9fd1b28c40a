import Foundation
import Testing
import M2FFace

/// Avatars compressed with meshopt (EXT_ and KHR_meshopt_compression) and Draco
/// (KHR_draco_mesh_compression) by the libraries' own encoders: loading decodes every accessor to the
/// original values (exactly, or within the encoder's quantisation), and retarget writes plain glTF.
@Suite struct CompressedAvatarTests {
    static let renames = ["jawOpen": "ARKit_jawOpen", "eyeBlinkLeft": "eyeBlink_L"]

    /// Every accessor of `decoded` equals the one of `original` within `tolerance(a)` (absolute). The
    /// triangle indices of `rotatedTriangles` may start each triangle at another corner (meshopt's index
    /// codec does that; the winding and the triangles are the same).
    func expectSameAccessors(_ decoded: GLTFAsset, _ original: GLTFAsset, rotatedTriangles: Int? = nil, tolerance: (Int) -> Float) throws {
        let count = original.json["accessors"]!.arrayValue!.count
        #expect(decoded.json["accessors"]!.arrayValue!.count == count)
        for a in 0..<count {
            var want = try original.floats(accessor: a).values, got = try decoded.floats(accessor: a).values
            #expect(got.count == want.count, "accessor \(a)")
            guard got.count == want.count, !want.isEmpty else { continue }
            if a == rotatedTriangles { want = Self.canonicalTriangles(want); got = Self.canonicalTriangles(got) }
            let error = maxDifference(got, want)
            #expect(error <= tolerance(a), "accessor \(a): error \(error)")
        }
    }

    /// Each triangle rotated to start at its smallest index.
    static func canonicalTriangles(_ indices: [Float]) -> [Float] {
        stride(from: 0, to: indices.count, by: 3).flatMap { t -> [Float] in
            let tri = Array(indices[t..<(t + 3)])
            let first = tri.firstIndex(of: tri.min()!)!
            return (0..<3).map { tri[(first + $0) % 3] }
        }
    }

    /// Largest absolute value of an accessor.
    static func scale(_ asset: GLTFAsset, _ accessor: Int) throws -> Float {
        try asset.floats(accessor: accessor).values.map(abs).max() ?? 0
    }

    @Test(arguments: ["EXT_meshopt_compression", "KHR_meshopt_compression"])
    func meshoptAvatarDecodesAndRetargets(extensionName: String) throws {
        let source = try makeAvatar(renames: Self.renames)
        let data = try CompressedAvatars.meshopt(source, extensionName: extensionName)
        let url = temporaryURL("meshopt-\(extensionName).glb")
        try data.write(to: url)
        #expect(data.count < (try Data(contentsOf: source)).count / 2, "meshopt should shrink the avatar")
        let original = try GLTFAsset.load(source), decoded = try GLTFAsset.load(url)
        #expect(decoded.json["extensionsRequired"] == nil && decoded.json["extensionsUsed"] == nil)
        // Lossless codecs; only the morph offsets (metres) went through the 15-bit exponential filter: 0.1 mm.
        let accessors = original.json["accessors"]!.arrayValue!
        let filtered = Set(accessors.indices.filter { accessors[$0]["sparse"] != nil })
        let triangles = original.json["meshes"]!.arrayValue![0]["primitives"]!.arrayValue![0]["indices"]!.intValue!
        try expectSameAccessors(decoded, original, rotatedTriangles: triangles) { filtered.contains($0) ? 1e-4 : 0 }

        let animation = ScriptedAnimation.make(seconds: 1)
        let output = temporaryURL("meshopt-\(extensionName)-animated.glb")
        let report = try Retarget.apply(animation, avatar: url, to: output)
        #expect(report.matches.count == 52 && report.missingShapes.isEmpty)
        let written = try GLTFAsset.load(output)
        #expect(!String(decoding: try Data(contentsOf: output), as: UTF8.self).contains("meshopt"))
        // The avatar's own accessors come first in the written file, decoded and unchanged.
        for a in original.json["accessors"]!.arrayValue!.indices {
            #expect(try written.floats(accessor: a).values == decoded.floats(accessor: a).values, "accessor \(a)")
        }
        try expectWeights(written, animation)
    }

    @Test func dracoAvatarDecodesAndRetargets() throws {
        let source = try makeAvatar(renames: Self.renames)
        let url = temporaryURL("draco.glb")
        try CompressedAvatars.draco(source, to: url)
        let original = try GLTFAsset.load(source), decoded = try GLTFAsset.load(url)
        #expect(decoded.json["extensionsRequired"] == nil)
        #expect(decoded.json["meshes"]?.arrayValue?[0]["primitives"]?.arrayValue?[0]["extensions"] == nil)
        let primitive = original.json["meshes"]!.arrayValue![0]["primitives"]!.arrayValue![0]
        let position = primitive["attributes"]!["POSITION"]!.intValue!, normal = primitive["attributes"]!["NORMAL"]!.intValue!
        // 14-bit positions: a step of the bounding box; 10-bit normals (octahedral): about 2⁻⁸; the rest exact.
        let positionTolerance = try 2 * Self.scale(original, position) / 8192
        try expectSameAccessors(decoded, original) { a in a == position ? positionTolerance : a == normal ? 1.0 / 128 : 0 }

        let animation = ScriptedAnimation.make(seconds: 1)
        let output = temporaryURL("draco-animated.glb")
        let report = try Retarget.apply(animation, avatar: url, to: output)
        #expect(report.matches.count == 52 && report.headNode == "mixamorig:Head")
        let written = try GLTFAsset.load(output)
        #expect(!String(decoding: try Data(contentsOf: output), as: UTF8.self).contains("draco"))
        try expectWeights(written, animation)
    }

    @Test func damagedCompressedDataIsRefusedWithItsPlace() throws {
        let source = try makeAvatar(renames: [:])
        var meshopt = try CompressedAvatars.meshopt(source)
        // The BIN chunk's first bytes are the first view's compressed header: a vertex stream starts with 0xA0.
        let jsonLength = Int(meshopt[12]) | Int(meshopt[13]) << 8 | Int(meshopt[14]) << 16
        meshopt[12 + 8 + jsonLength + 8] = 0x13
        expectError(try GLTFAsset.parse(meshopt, file: "damaged.glb"), contains: ["damaged.glb", "bufferViews[0].extensions.EXT_meshopt_compression", "libmeshoptimizer"])

        let url = temporaryURL("draco-damaged.glb")
        try CompressedAvatars.draco(source, to: url)
        // Draco data starts with the magic "DRACO": break it in the file itself.
        var bytes = try Data(contentsOf: url)
        let at = try #require(bytes.range(of: Data("DRACO".utf8))).lowerBound
        bytes.replaceSubrange(at..<(at + 5), with: Data("XXXXX".utf8))
        expectError(try GLTFAsset.parse(bytes, file: "draco-damaged.glb"),
                    contains: ["draco-damaged.glb", "meshes[0].primitives[0].extensions.KHR_draco_mesh_compression", "Draco could not decode"])
    }

    @Test func unsupportedRequiredExtensionIsNamed() throws {
        var asset = try GLTFAsset.load(try makeAvatar(renames: [:]))
        asset.json.set("extensionsUsed", .array([.string("KHR_mesh_quantization"), .string("EXT_future_geometry")]))
        asset.json.set("extensionsRequired", .array([.string("KHR_mesh_quantization"), .string("EXT_future_geometry")]))
        let data = asset.data(binary: true)
        expectError(try GLTFAsset.parse(data, file: "future.glb"), contains: ["future.glb", "EXT_future_geometry"])
        // Kept extensions load and stay in the written file.
        asset.json.set("extensionsRequired", .array([.string("KHR_mesh_quantization"), .string("KHR_materials_unlit")]))
        let kept = try GLTFAsset.parse(asset.data(binary: true), file: "kept.glb")
        #expect(kept.json["extensionsRequired"]?.arrayValue?.count == 2)
    }

    /// The first animation's weights channel carries the animation's values in ARKit order.
    func expectWeights(_ asset: GLTFAsset, _ animation: FaceAnimation) throws {
        let first = asset.json["animations"]!.arrayValue![0]
        let channel = try #require(first["channels"]!.arrayValue!.first { $0["target"]?["path"] == .string("weights") })
        let sampler = first["samplers"]!.arrayValue![channel["sampler"]!.intValue!]
        let weights = try asset.floats(accessor: sampler["output"]!.intValue!).values
        #expect(weights.count == animation.frameCount * 52)
        #expect(weights == animation.weights)
    }
}

/// Expects `body` to throw a FaceError whose message contains every string in `parts`.
func expectError<T>(_ body: @autoclosure () throws -> T, contains parts: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        _ = try body()
        Issue.record("expected an error containing \(parts)", sourceLocation: sourceLocation)
    } catch {
        let message = error.localizedDescription
        for part in parts { #expect(message.contains(part), "\(message) lacks \(part)", sourceLocation: sourceLocation) }
    }
}
