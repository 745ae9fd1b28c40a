import Foundation
import Testing
@testable import M2FFace

/// Crafted avatars and animations: each family of the GLB/glTF crashers found by the reliability
/// review (issue 19) is built here and must be refused with a `FaceError.gltf` naming the field, on the
/// paths `convert`/`render` (AnimationFile.read) and `retarget` (GLTFAsset.load, Retarget.apply) take.
@Suite struct CraftedGLTFTests {
    /// A small valid document: a 3-vertex mesh with one ARKit morph target (a sparse accessor), and a
    /// 2-frame weights animation. Buffer layout (68 bytes): times 0–8, weights 8–16, sparse index
    /// 16–20, sparse value 20–32, positions 32–68.
    static func document() -> (json: [String: Any], bin: [UInt8]) {
        var floats: [Float] = [0, 1.0 / 30, 0.25, 0.75]
        var bin = floats.withUnsafeBytes { [UInt8]($0) }
        bin += withUnsafeBytes(of: UInt32(1).littleEndian) { [UInt8]($0) }
        floats = [0.5, -0.5, 2] + [0, 0, 0, 1, 0, 0, 0, 1, 0]
        bin += floats.withUnsafeBytes { [UInt8]($0) }
        let json: [String: Any] = [
            "asset": ["version": "2.0"],
            "buffers": [["byteLength": bin.count]],
            "bufferViews": [
                ["buffer": 0, "byteOffset": 0, "byteLength": 8], ["buffer": 0, "byteOffset": 8, "byteLength": 8],
                ["buffer": 0, "byteOffset": 16, "byteLength": 4], ["buffer": 0, "byteOffset": 20, "byteLength": 12],
                ["buffer": 0, "byteOffset": 32, "byteLength": 36],
            ],
            "accessors": [
                ["bufferView": 0, "componentType": 5126, "count": 2, "type": "SCALAR"],
                ["bufferView": 1, "componentType": 5126, "count": 2, "type": "SCALAR"],
                ["bufferView": 4, "componentType": 5126, "count": 3, "type": "VEC3"],
                ["componentType": 5126, "count": 3, "type": "VEC3",
                 "sparse": ["count": 1, "indices": ["bufferView": 2, "componentType": 5125], "values": ["bufferView": 3]]],
            ],
            "meshes": [["name": "face", "primitives": [["attributes": ["POSITION": 2], "targets": [["POSITION": 3]]]],
                        "extras": ["targetNames": ["jawOpen"]]]],
            "nodes": [["name": "Head", "mesh": 0]],
            "animations": [["channels": [["sampler": 0, "target": ["node": 0, "path": "weights"]]],
                            "samplers": [["input": 0, "output": 1]]]],
        ]
        return (json, bin)
    }

    /// GLB bytes: header, JSON chunk, BIN chunk.
    static func glb(_ json: [String: Any], bin: [UInt8]) throws -> Data {
        var text = try JSONSerialization.data(withJSONObject: json)
        while text.count % 4 != 0 { text.append(0x20) }
        var bytes = [UInt8]()
        func u32(_ v: Int) { bytes += withUnsafeBytes(of: UInt32(v).littleEndian) { [UInt8]($0) } }
        u32(0x4654_6C67); u32(2); u32(12 + 8 + text.count + 8 + bin.count)
        u32(text.count); u32(0x4E4F_534A); bytes += text
        u32(bin.count); u32(0x004E_4942); bytes += bin
        return Data(bytes)
    }

    /// Writes the base document changed by `edit` and expects every reader to refuse it, naming `field`.
    func expectRefused(_ name: String, mentioning field: String, _ edit: (inout [String: Any]) -> Void,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        var (json, bin) = Self.document()
        edit(&json)
        let url = temporaryURL("crafted-\(name).glb")
        try Self.glb(json, bin: bin).write(to: url)
        for (path, read) in [("load", { _ = try GLTFAsset.load(url) }), ("convert", { _ = try AnimationFile.read(url) }),
                             ("retarget", { try Retarget.apply(ScriptedAnimation.make(seconds: 0.2), avatar: url, to: temporaryURL("crafted-out.glb")) })]
            as [(String, () throws -> Void)] {
            do {
                try read()
                Issue.record("\(name): \(path) accepted a crafted file", sourceLocation: sourceLocation)
            } catch let error as FaceError {
                guard case let .gltf(file, problem) = error else {
                    Issue.record("\(name): \(path) threw \(error), not a glTF error", sourceLocation: sourceLocation); continue
                }
                #expect(file == url.path, sourceLocation: sourceLocation)
                #expect(problem.contains(field), "\(name): \(path): \(problem)", sourceLocation: sourceLocation)
            }
        }
    }

    static func set(_ json: inout [String: Any], _ list: String, _ index: Int, _ key: String, _ value: Any?) {
        var items = json[list] as! [[String: Any]]
        items[index][key] = value
        json[list] = items
    }

    static func setSparse(_ json: inout [String: Any], _ edit: (inout [String: Any]) -> Void) {
        var accessors = json["accessors"] as! [[String: Any]]
        var sparse = accessors[3]["sparse"] as! [String: Any]
        edit(&sparse)
        accessors[3]["sparse"] = sparse
        json["accessors"] = accessors
    }

    @Test func theBaseDocumentReadsBack() throws {
        let (json, bin) = Self.document()
        let url = temporaryURL("crafted-base.glb")
        try Self.glb(json, bin: bin).write(to: url)
        let asset = try GLTFAsset.load(url)
        #expect(try asset.floats(accessor: 3).values == [0, 0, 0, 0.5, -0.5, 2, 0, 0, 0])
        let animation = try AnimationFile.read(url)
        #expect(animation.frameCount == 2 && abs(animation.fps - 30) < 1e-3)
        #expect(animation.weights[ARKitBlendshape.jawOpen.index] == 0.25 && animation.weights[52 + ARKitBlendshape.jawOpen.index] == 0.75)
        let report = try Retarget.apply(ScriptedAnimation.make(seconds: 0.2), avatar: url, to: temporaryURL("crafted-base-out.glb"))
        #expect(report.matches.count == 1)
    }

    @Test func countsThatAreNegativeHugeOrNotWhole() throws {
        try expectRefused("count-negative", mentioning: "accessors[1].count") { Self.set(&$0, "accessors", 1, "count", -1) }
        try expectRefused("count-huge", mentioning: "accessors[1].count") { Self.set(&$0, "accessors", 1, "count", 1 << 62) }
        try expectRefused("count-float", mentioning: "accessors[1].count") { Self.set(&$0, "accessors", 1, "count", 1.5) }
        try expectRefused("count-past-view", mentioning: "runs past the end") { Self.set(&$0, "accessors", 1, "count", 3) }
        // 12-byte elements × 2^60 wraps to a small byte count in unchecked arithmetic.
        try expectRefused("count-wraps", mentioning: "accessors[2].count") { Self.set(&$0, "accessors", 2, "count", (1 << 60) + 1) }
        try expectRefused("count-missing", mentioning: "accessors[0].count is missing") { Self.set(&$0, "accessors", 0, "count", nil) }
    }

    @Test func stridesAndOffsetsOutOfRange() throws {
        try expectRefused("stride-huge", mentioning: "byteStride") { Self.set(&$0, "bufferViews", 4, "byteStride", 1 << 40) }
        try expectRefused("stride-negative", mentioning: "byteStride") { Self.set(&$0, "bufferViews", 4, "byteStride", -12) }
        try expectRefused("stride-short", mentioning: "byteStride 4 is less than") { Self.set(&$0, "bufferViews", 4, "byteStride", 4) }
        try expectRefused("stride-past-view", mentioning: "runs past the end") { Self.set(&$0, "bufferViews", 4, "byteStride", 16) }
        try expectRefused("accessor-offset-negative", mentioning: "accessors[1].byteOffset") { Self.set(&$0, "accessors", 1, "byteOffset", -8) }
        try expectRefused("accessor-offset-huge", mentioning: "accessors[1].byteOffset") { Self.set(&$0, "accessors", 1, "byteOffset", 1 << 62) }
        try expectRefused("accessor-offset-past", mentioning: "runs past the end") { Self.set(&$0, "accessors", 1, "byteOffset", 4) }
        try expectRefused("view-offset-negative", mentioning: "bufferViews[1].byteOffset") { Self.set(&$0, "bufferViews", 1, "byteOffset", -8) }
        try expectRefused("view-offset-huge", mentioning: "bufferViews[1].byteOffset") { Self.set(&$0, "bufferViews", 1, "byteOffset", 1 << 62) }
        try expectRefused("view-length-past-buffer", mentioning: "bufferViews[4].byteLength") { Self.set(&$0, "bufferViews", 4, "byteLength", 40) }
    }

    @Test func buffersAndViewsThatDoNotExist() throws {
        try expectRefused("buffer-minus-one", mentioning: "bufferViews[0].buffer") { Self.set(&$0, "bufferViews", 0, "buffer", -1) }
        try expectRefused("buffer-seven", mentioning: "bufferViews[0].buffer") { Self.set(&$0, "bufferViews", 0, "buffer", 7) }
        try expectRefused("byte-length-negative", mentioning: "buffers[0].byteLength") { Self.set(&$0, "buffers", 0, "byteLength", -5) }
        try expectRefused("byte-length-past-bin", mentioning: "byteLength says") { Self.set(&$0, "buffers", 0, "byteLength", 1000) }
        try expectRefused("view-minus-one", mentioning: "accessors[1].bufferView") { Self.set(&$0, "accessors", 1, "bufferView", -1) }
        try expectRefused("view-missing", mentioning: "bufferView 9 does not exist") { Self.set(&$0, "accessors", 1, "bufferView", 9) }
        try expectRefused("component-type", mentioning: "componentType") { Self.set(&$0, "accessors", 1, "componentType", 5124) }
        try expectRefused("type", mentioning: "accessors[1].type") { Self.set(&$0, "accessors", 1, "type", "VEC7") }
    }

    @Test func sparseIndicesOutOfRange() throws {
        try expectRefused("sparse-float-indices", mentioning: "not an unsigned integer type") {
            Self.setSparse(&$0) { $0["indices"] = ["bufferView": 2, "componentType": 5126] }
        }
        try expectRefused("sparse-signed-indices", mentioning: "not an unsigned integer type") {
            Self.setSparse(&$0) { $0["indices"] = ["bufferView": 2, "componentType": 5122] }
        }
        try expectRefused("sparse-count-negative", mentioning: "sparse.count") { Self.setSparse(&$0) { $0["count"] = -1 } }
        try expectRefused("sparse-count-float", mentioning: "sparse.count") { Self.setSparse(&$0) { $0["count"] = 0.5 } }
        try expectRefused("sparse-count-above-count", mentioning: "sparse.count") { Self.setSparse(&$0) { $0["count"] = 4 } }
        try expectRefused("sparse-values-past-view", mentioning: "sparse.values") { Self.setSparse(&$0) { $0["values"] = ["bufferView": 3, "byteOffset": 4] } }
        try expectRefused("sparse-offset-negative", mentioning: "sparse.indices.byteOffset") {
            Self.setSparse(&$0) { $0["indices"] = ["bufferView": 2, "componentType": 5125, "byteOffset": -4] }
        }
    }

    /// A sparse index past the accessor's count is only visible in the bytes: read refuses it.
    @Test func sparseIndexPastTheCountIsRefusedOnRead() throws {
        var (json, bin) = Self.document()
        bin.replaceSubrange(16..<20, with: withUnsafeBytes(of: UInt32(0xFFFF_FFF0).littleEndian) { [UInt8]($0) })
        Self.set(&json, "accessors", 3, "count", 3)
        let asset = try GLTFAsset.parse(try Self.glb(json, bin: bin), file: "sparse.glb")
        do { _ = try asset.floats(accessor: 3); Issue.record("accepted") } catch {
            #expect(error.localizedDescription.contains("sparse index 4294967280"))
        }
    }

    @Test func glbChunkLengthPastTheEnd() throws {
        var bytes = [UInt8](try Self.glb(Self.document().json, bin: Self.document().bin))
        bytes.replaceSubrange(12..<16, with: [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(throws: FaceError.self) { try GLTFAsset.parse(Data(bytes), file: "chunk.glb") }
    }

    @Test func animationFrameRateOutOfRange() throws {
        for fps in [0.0, -30, 1e9] {
            var (json, bin) = Self.document()
            var animations = json["animations"] as! [[String: Any]]
            animations[0]["extras"] = ["fps": fps]
            json["animations"] = animations
            let url = temporaryURL("crafted-fps.glb")
            try Self.glb(json, bin: bin).write(to: url)
            do { _ = try AnimationFile.read(url); Issue.record("fps \(fps) accepted") } catch {
                #expect(error.localizedDescription.contains("frame rate"))
            }
        }
        // Equal key times give an infinite rate.
        var (json, bin) = Self.document()
        bin.replaceSubrange(4..<8, with: [0, 0, 0, 0])
        #expect(throws: FaceError.self) { try GLTFAnimationReader.read(contentsOf: { let u = temporaryURL("crafted-times.glb"); try? Self.glb(json, bin: bin).write(to: u); return u }()) }
    }

    /// Node indices from extensions and `children` cycles: retarget finds no head rather than crashing.
    @Test func headNodeOutOfRangeAndParentCycles() throws {
        var (json, bin) = Self.document()
        json["extensionsUsed"] = ["VRMC_vrm"]
        json["extensions"] = ["VRMC_vrm": ["humanoid": ["humanBones": ["head": ["node": 99]]]]]
        let url = temporaryURL("crafted-head.glb")
        try Self.glb(json, bin: bin).write(to: url)
        #expect(try Retarget.apply(ScriptedAnimation.make(seconds: 0.2), avatar: url, to: temporaryURL("crafted-head-out.glb")).headNode == nil)

        (json, bin) = Self.document()
        json["nodes"] = [["name": "Head", "mesh": 0, "children": [1]], ["name": "neck", "children": [0]]]
        try Self.glb(json, bin: bin).write(to: url)
        #expect(try Retarget.apply(ScriptedAnimation.make(seconds: 0.2), avatar: url, to: temporaryURL("crafted-cycle-out.glb")).headNode == "Head")
    }

    /// Bytes in memory may not name external files (a fuzzer or a caller without a folder).
    @Test func externalBufferWithoutAFolderIsRefused() throws {
        var (json, _) = Self.document()
        json["buffers"] = [["byteLength": 68, "uri": "data.bin"]]
        let data = try JSONSerialization.data(withJSONObject: json)
        #expect(throws: FaceError.self) { try GLTFAsset.parse(data, file: "memory.gltf") }
    }
}
