import Foundation
import Testing
import M2FFace

@Suite struct GLTFTests {
    @Test func glbHasTheHeadTargetsAndAnimation() throws {
        let animation = ScriptedAnimation.make(seconds: 1)
        let url = temporaryURL("head.glb")
        try GLTFWriter.write(animation, to: url, audio: "/home/someone/takes/speech.wav")
        let asset = try GLTFAsset.load(url)
        let mesh = asset.json["meshes"]!.arrayValue![0]
        #expect(mesh["extras"]?["targetNames"]?.arrayValue?.compactMap(\.stringValue) == ARKit.names)
        #expect(mesh["primitives"]?.arrayValue?[0]["targets"]?.arrayValue?.count == 52)
        // The file name, not the absolute path it was given.
        #expect(asset.json["extras"]?["audio"] == .string("speech.wav"))
        #expect(!String(decoding: try Data(contentsOf: url), as: UTF8.self).contains("/home/someone"))
        let channels = asset.json["animations"]!.arrayValue![0]["channels"]!.arrayValue!
        #expect(Set(channels.compactMap { $0["target"]?["path"]?.stringValue }) == ["weights", "rotation", "translation"])
        // Every morph target accessor reads back as the rig's offsets.
        let rig = DefaultHead.shared
        let jawAccessor = mesh["primitives"]!.arrayValue![0]["targets"]!.arrayValue![ARKitBlendshape.jawOpen.index]["POSITION"]!.intValue!
        let (values, components) = try asset.floats(accessor: jawAccessor)
        #expect(components == 3 && values.count == rig.vertexCount * 3)
        let dense = rig.blendshapes[ARKitBlendshape.jawOpen.index].dense(vertexCount: rig.vertexCount)
        #expect(maxDifference(values, dense.flatMap { [$0.x, $0.y, $0.z] }) == 0)
    }

    @Test func animationRoundTripsThroughGLB() throws {
        var animation = makeAnimation(frames: 40, fps: 30, eyes: false)
        animation.headPose = animation.headPose.map { HeadPose(yaw: $0.yaw * 0.5, pitch: $0.pitch * 0.5, roll: $0.roll * 0.5, tx: 0.01, ty: -0.02, tz: 0.003) }
        let url = temporaryURL("roundtrip.glb")
        try AnimationFile.write(animation, to: url)
        let back = try AnimationFile.read(url)
        #expect(back.frameCount == 40 && back.fps == 30)
        #expect(maxDifference(back.weights, animation.weights) <= 1e-6)
        #expect(maxDifference(back.headPose.flatMap(\.values), animation.headPose.flatMap(\.values)) <= 1e-5)
        #expect(back.metadata["test"] == "yes")
    }

    @Test func gltfTextVariantEmbedsTheBuffer() throws {
        let url = temporaryURL("head.gltf")
        try GLTFWriter.write(ScriptedAnimation.make(seconds: 0.5), to: url)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains("data:application/octet-stream;base64,"))
        #expect(try AnimationFile.read(url).frameCount == 15)
    }

    @Test func malformedFilesAreReported() {
        let url = temporaryURL("bad.glb")
        try? Data("glTF".utf8).write(to: url)
        #expect(throws: FaceError.self) { try GLTFAsset.load(url) }
        let json = temporaryURL("bad.gltf")
        try? Data(#"{"asset":{"version":"1.0"}}"#.utf8).write(to: json)
        do { _ = try GLTFAsset.load(json); Issue.record("expected an error") } catch {
            #expect(error.localizedDescription.contains("2.0"))
        }
    }
}
