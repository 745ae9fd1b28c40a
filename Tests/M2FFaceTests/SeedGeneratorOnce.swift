import Foundation
import Testing
import M2FFace

/// One-off: writes the meshopt and Draco fuzz seeds (a two-triangle avatar) to /tmp/m2f-seeds.
@Suite struct SeedGeneratorOnce {
    @Test func writeSeeds() throws {
        var asset = GLTFAsset(json: .object([("asset", .object([("version", .string("2.0"))])), ("scene", .number(0))]), buffers: [])
        let positions: [Float] = [0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0]
        let position = asset.addFloatAccessor(positions, components: 3, type: "VEC3", bounds: true)
        let normal = asset.addFloatAccessor([0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1], components: 3, type: "VEC3")
        let indexView = asset.addBufferView([0, 1, 2, 2, 1, 3].flatMap { (v: UInt32) in [UInt8(v), 0, 0, 0] })
        let index = asset.addAccessor([("bufferView", .number(Double(indexView))), ("componentType", .number(5125)), ("count", .number(6)), ("type", .string("SCALAR"))])
        let sparseIndices = asset.addBufferView([UInt8]([2, 0, 0, 0]))
        let sparseValues = asset.addBufferView([Float(0), -0.25, 0].flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
        let target = asset.addAccessor([("componentType", .number(5126)), ("count", .number(4)), ("type", .string("VEC3")),
                                        ("sparse", .object([("count", .number(1)), ("indices", .object([("bufferView", .number(Double(sparseIndices))), ("componentType", .number(5125))])),
                                                            ("values", .object([("bufferView", .number(Double(sparseValues)))]))]))])
        asset.json.set("meshes", .array([.object([("name", .string("face")), ("extras", .object([("targetNames", .array([.string("jawOpen")]))])),
            ("primitives", .array([.object([("attributes", .object([("POSITION", .number(Double(position))), ("NORMAL", .number(Double(normal)))])),
                                            ("indices", .number(Double(index))), ("targets", .array([.object([("POSITION", .number(Double(target)))])]))])]))])]))
        asset.json.set("nodes", .array([.object([("name", .string("Head")), ("mesh", .number(0))])]))
        asset.json.set("scenes", .array([.object([("nodes", .array([.number(0)]))])]))
        let folder = URL(fileURLWithPath: "/tmp/m2f-seeds")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let plain = folder.appendingPathComponent("plain.glb")
        try asset.write(to: plain)
        try CompressedAvatars.meshopt(plain).write(to: folder.appendingPathComponent("seed-meshopt.glb"))
        try CompressedAvatars.meshopt(plain, extensionName: "KHR_meshopt_compression").write(to: folder.appendingPathComponent("seed-meshopt-khr.glb"))
        try CompressedAvatars.draco(plain, to: folder.appendingPathComponent("seed-draco.glb"))
        _ = try GLTFAsset.load(folder.appendingPathComponent("seed-meshopt.glb"))
        _ = try GLTFAsset.load(folder.appendingPathComponent("seed-draco.glb"))
    }
}
