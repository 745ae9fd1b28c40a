import Foundation
import Testing
import M2FFace

/// Builds a stand-in user avatar from the default head: ARKit targets renamed the ways exporters
/// name them, one target with a foreign name, and a skeleton with a rotated parent and a Head bone.
func makeAvatar(renames: [String: String]) throws -> URL {
    var asset = try GLTFAsset.load({ () -> URL in
        // One file per call: the suite's tests run in parallel and would otherwise read each other's half-written source.
        let url = temporaryURL("avatar-source-\(UUID().uuidString).glb")
        try? GLTFWriter.write(nil, to: url)
        return url
    }())
    var meshes = asset.json["meshes"]!.arrayValue!
    let names = ARKit.names.map { renames[$0] ?? $0 }
    meshes[0].set("extras", .object([("targetNames", .array(names.map { .string($0) }))]))
    meshes[0].set("name", .string("Wolf3D_Head"))
    asset.json.set("meshes", .array(meshes))
    let s = Double(0.5).squareRoot()
    asset.json.set("nodes", .array([
        .object([("name", .string("Armature")), ("rotation", .array([.number(s), .number(0), .number(0), .number(s)])), ("children", .array([.number(1), .number(2)]))]),
        .object([("name", .string("mixamorig:Head")), ("rotation", .array([.number(-s), .number(0), .number(0), .number(s)]))]),
        .object([("name", .string("Wolf3D_Head")), ("mesh", .number(0))]),
    ]))
    asset.json.set("scenes", .array([.object([("nodes", .array([.number(0)]))])]))
    let url = temporaryURL("avatar-\(UUID().uuidString.prefix(8)).glb")
    try asset.write(to: url)
    return url
}

@Suite struct RetargetTests {
    @Test func namesMatchTheWaysExportersWriteThem() {
        let cases: [(String, ARKitBlendshape?)] = [
            ("eyeBlinkLeft", .eyeBlinkLeft), ("EyeBlinkLeft", .eyeBlinkLeft), ("blendShape1.eyeBlinkLeft", .eyeBlinkLeft),
            ("ARKit_jawOpen", .jawOpen), ("arkit.JawOpen", .jawOpen), ("eyeBlink_L", .eyeBlinkLeft), ("mouthSmile_R", .mouthSmileRight),
            ("Face:browInnerUp", .browInnerUp), ("eyeBlinkL", .eyeBlinkLeft), ("BS_tongueOut", .tongueOut), ("JAWOPEN", .jawOpen),
            ("viseme_aa", nil), ("mouthOpen", nil), ("Basis", nil),
        ]
        for (name, expected) in cases { #expect(ARKitNameMatcher.match(name) == expected, "\(name)") }
        #expect(ARKitNameMatcher.match("Mund_auf", mapping: ["mund_auf": "jawOpen"]) == .jawOpen)
    }

    @Test func retargetsOntoAnAvatarAndListsUnmatchedNames() throws {
        let avatar = try makeAvatar(renames: ["jawOpen": "ARKit_jawOpen", "eyeBlinkLeft": "blendShape1.eyeBlink_L",
                                              "mouthSmileRight": "MouthSmileRight", "tongueOut": "viseme_aa", "cheekPuff": "Mund_auf"])
        let animation = ScriptedAnimation.make(seconds: 1)
        let output = temporaryURL("avatar-animated.glb")
        let report = try Retarget.apply(animation, avatar: avatar, to: output)
        #expect(report.matches.count == 50)
        #expect(Set(report.unmatchedTargets) == ["Wolf3D_Head/viseme_aa", "Wolf3D_Head/Mund_auf"])
        #expect(report.missingShapes == [.cheekPuff, .tongueOut])
        #expect(report.headNode == "mixamorig:Head")
        #expect(report.animatedNodes == ["Wolf3D_Head"])
        // The written weights channel carries the animation's values in the avatar's target order.
        let asset = try GLTFAsset.load(output)
        let first = asset.json["animations"]!.arrayValue![0]
        let channel = first["channels"]!.arrayValue!.first { $0["target"]?["path"] == .string("weights") }!
        #expect(channel["target"]?["node"] == .number(2))
        let sampler = first["samplers"]!.arrayValue![channel["sampler"]!.intValue!]
        let weights = try asset.floats(accessor: sampler["output"]!.intValue!).values
        #expect(weights.count == animation.frameCount * 52)
        for f in [3, 11, 20] {
            #expect(weights[f * 52 + ARKitBlendshape.jawOpen.index] == animation[f, .jawOpen])
            #expect(weights[f * 52 + ARKitBlendshape.eyeBlinkLeft.index] == animation[f, .eyeBlinkLeft])
            #expect(weights[f * 52 + ARKitBlendshape.tongueOut.index] == 0)
        }
        // With a mapping file the foreign name is driven too.
        let mappingURL = temporaryURL("mapping.txt")
        try Data("# avatar = arkit\nMund_auf = cheekPuff\n".utf8).write(to: mappingURL)
        let mapped = try Retarget.apply(animation, avatar: avatar, to: output, mapping: Retarget.loadMapping(mappingURL))
        #expect(mapped.matches.count == 51 && mapped.missingShapes == [.tongueOut])
    }

    @Test func headRotationIsAppliedAboutWorldAxes() throws {
        let avatar = try makeAvatar(renames: [:])
        var animation = FaceAnimation(fps: 30, frameCount: 2)
        animation.headPose[1] = HeadPose(yaw: 0.4)
        let output = temporaryURL("avatar-yaw.glb")
        try Retarget.apply(animation, avatar: avatar, to: output)
        let asset = try GLTFAsset.load(output)
        let first = asset.json["animations"]!.arrayValue![0]
        let channel = first["channels"]!.arrayValue!.first { $0["target"]?["path"] == .string("rotation") }!
        #expect(channel["target"]?["node"] == .number(1))
        let q = try asset.floats(accessor: first["samplers"]!.arrayValue![channel["sampler"]!.intValue!]["output"]!.intValue!).values
        // Frame 0 is the bone's rest rotation.
        let s = Float(0.5).squareRoot()
        #expect(abs(q[0] + s) < 1e-6 && abs(q[3] - s) < 1e-6)
        // World rotation of frame 1 = parent · local = yaw(0.4) · parent · rest.
        let parent = SIMD4<Float>(s, 0, 0, s), rest = SIMD4<Float>(-s, 0, 0, s)
        let local = SIMD4<Float>(q[4], q[5], q[6], q[7])
        let world = quaternionProduct(parent, local)
        let expected = quaternionProduct(quaternionProduct(HeadPose(yaw: 0.4).quaternion, parent), rest)
        #expect(abs(abs(((world * expected).sum())) - 1) < 1e-5)
    }

    @Test func avatarsWithoutARKitTargetsAreRejected() throws {
        let avatar = try makeAvatar(renames: Dictionary(uniqueKeysWithValues: ARKit.names.map { ($0, "shape_\($0.count)") }))
        do {
            try Retarget.apply(ScriptedAnimation.make(seconds: 0.2), avatar: avatar, to: temporaryURL("x.glb"))
            Issue.record("expected an error")
        } catch {
            #expect(error.localizedDescription.contains("mapping"))
        }
    }
}
