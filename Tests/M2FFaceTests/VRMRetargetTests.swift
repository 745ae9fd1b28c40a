import Foundation
import Testing
import M2FFace

/// VRM avatars whose morph targets have VRoid-style names (`Fcl_…`): driven through their VRM 0.x
/// blendShapeGroups or VRM 1.0 expressions, presets by ARKit formulas, ARKit-named ones directly.
@Suite struct VRMRetargetTests {
    /// The test avatar with every target renamed away from ARKit, plus a VRM extension from `vrm`
    /// (given the node index of the face mesh, 2, and the target index of an ARKit shape).
    func makeVRM(_ vrm: (_ target: (ARKitBlendshape) -> Int) -> (String, JSONValue)) throws -> URL {
        let renames = Dictionary(uniqueKeysWithValues: ARKit.names.enumerated().map { ($1, "Fcl_MTH_\($0)") })
        var asset = try GLTFAsset.load(try makeAvatar(renames: renames))
        let (name, value) = vrm { $0.index }
        asset.json.set("extensionsUsed", .array([.string(name)]))
        asset.json.set("extensions", .object([(name, value)]))
        let url = temporaryURL("avatar-\(name)-\(UUID().uuidString.prefix(8)).vrm")
        try asset.write(to: url)
        return url
    }

    /// Values of the first weights channel, frames × targets.
    func writtenWeights(_ url: URL) throws -> [Float] {
        let asset = try GLTFAsset.load(url)
        let first = asset.json["animations"]!.arrayValue![0]
        let channel = try #require(first["channels"]!.arrayValue!.first { $0["target"]?["path"] == .string("weights") })
        #expect(channel["target"]?["node"] == .number(2))
        return try asset.floats(accessor: first["samplers"]!.arrayValue![channel["sampler"]!.intValue!]["output"]!.intValue!).values
    }

    @Test func vrm0PresetGroupsFollowTheirFormulas() throws {
        func group(_ name: String, _ preset: String, _ binds: [(Int, Double)]) -> JSONValue {
            .object([("name", .string(name)), ("presetName", .string(preset)),
                     ("binds", .array(binds.map { .object([("mesh", .number(0)), ("index", .number(Double($0.0))), ("weight", .number($0.1))]) })),
                     ("isBinary", .bool(false))])
        }
        let avatar = try makeVRM { target in
            ("VRM", .object([("blendShapeMaster", .object([("blendShapeGroups", .array([
                group("A", "a", [(target(.jawOpen), 100)]),
                group("Blink", "blink", [(target(.eyeBlinkLeft), 100), (target(.eyeBlinkRight), 100)]),
                group("Blink_L", "blink_l", [(target(.eyeBlinkLeft), 100)]),
                group("Blink_R", "blink_r", [(target(.eyeBlinkRight), 100)]),
                group("Joy", "joy", [(target(.mouthSmileLeft), 100), (target(.mouthSmileRight), 50)]),
                group("Neutral", "neutral", []),
            ]))]))]))
        }
        let animation = makeAnimation(frames: 12)
        let output = temporaryURL("vrm0-animated.vrm")
        let report = try Retarget.apply(animation, avatar: avatar, to: output)
        #expect(report.source == .vrmPresets)
        // `Blink` is dropped: the per-eye blinks exist. `Neutral` has no binds.
        #expect(report.expressions.map(\.name) == ["A", "Blink_L", "Blink_R", "Joy"])
        #expect(report.animatedNodes == ["Wolf3D_Head"])
        let weights = try writtenWeights(output)
        for f in 0..<animation.frameCount {
            let row = weights[(f * 52)..<(f * 52 + 52)]
            let smile = min(1, 0.5 * animation[f, .mouthSmileLeft] + 0.5 * animation[f, .mouthSmileRight])
            #expect(row[row.startIndex + ARKitBlendshape.jawOpen.index] == animation[f, .jawOpen])
            #expect(row[row.startIndex + ARKitBlendshape.eyeBlinkLeft.index] == animation[f, .eyeBlinkLeft])
            #expect(row[row.startIndex + ARKitBlendshape.eyeBlinkRight.index] == animation[f, .eyeBlinkRight])
            #expect(abs(row[row.startIndex + ARKitBlendshape.mouthSmileLeft.index] - smile) < 1e-6)
            #expect(abs(row[row.startIndex + ARKitBlendshape.mouthSmileRight.index] - 0.5 * smile) < 1e-6)
            #expect(row[row.startIndex + ARKitBlendshape.tongueOut.index] == 0)
        }
        // The VRM extension travels with the animated avatar.
        #expect(try GLTFAsset.load(output).json["extensions"]?["VRM"]?["blendShapeMaster"] != nil)
    }

    @Test func vrm1PerfectSyncExpressionsDriveTheirShapesDirectly() throws {
        // Perfect sync: custom expressions named after the ARKit shapes (as the app names them),
        // beside presets that must not add to them.
        let avatar = try makeVRM { target in
            let custom: [(String, JSONValue)] = ARKit.all.map { shape in
                (shape.liveLinkName, .object([("morphTargetBinds", .array([.object([
                    ("node", .number(2)), ("index", .number(Double(target(shape)))), ("weight", .number(1)),
                ])]))]))
            }
            let preset: [(String, JSONValue)] = [("aa", .object([("morphTargetBinds", .array([.object([
                ("node", .number(2)), ("index", .number(Double(target(.jawOpen)))), ("weight", .number(1)),
            ])]))]))]
            return ("VRMC_vrm", .object([("specVersion", .string("1.0")),
                                         ("expressions", .object([("preset", .object(preset)), ("custom", .object(custom))]))]))
        }
        let animation = makeAnimation(frames: 9)
        let output = temporaryURL("vrm1-animated.glb")
        let report = try Retarget.apply(animation, avatar: avatar, to: output)
        #expect(report.source == .vrmPerfectSync)
        #expect(report.expressions.count == 52 && report.missingShapes.isEmpty && report.unmatchedTargets.isEmpty)
        #expect(try writtenWeights(output) == animation.weights)
    }

    @Test func vrm1PresetsAndBinaryExpressions() throws {
        let avatar = try makeVRM { target in
            func expression(_ shape: ARKitBlendshape, binary: Bool) -> JSONValue {
                .object([("morphTargetBinds", .array([.object([("node", .number(2)), ("index", .number(Double(target(shape)))), ("weight", .number(0.8))])])),
                         ("isBinary", .bool(binary))])
            }
            return ("VRMC_vrm", .object([("expressions", .object([("preset", .object([
                ("ou", expression(.mouthPucker, binary: false)), ("blink", expression(.eyeBlinkLeft, binary: true)),
            ]))]))]))
        }
        let animation = makeAnimation(frames: 20)
        let output = temporaryURL("vrm1-presets.glb")
        let report = try Retarget.apply(animation, avatar: avatar, to: output)
        #expect(report.source == .vrmPresets)
        #expect(Set(report.expressions.map(\.name)) == ["ou", "blink"])
        let weights = try writtenWeights(output)
        for f in 0..<animation.frameCount {
            let blink = 0.5 * animation[f, .eyeBlinkLeft] + 0.5 * animation[f, .eyeBlinkRight]
            #expect(abs(weights[f * 52 + ARKitBlendshape.mouthPucker.index] - 0.8 * animation[f, .mouthPucker]) < 1e-6)
            #expect(weights[f * 52 + ARKitBlendshape.eyeBlinkLeft.index] == (blink > 0.5 ? 0.8 : 0))
        }
    }

    @Test func bindsOutsideTheMeshAreRefusedWithTheirPath() throws {
        let avatar = try makeVRM { _ in
            ("VRM", .object([("blendShapeMaster", .object([("blendShapeGroups", .array([
                .object([("name", .string("A")), ("presetName", .string("a")),
                         ("binds", .array([.object([("mesh", .number(0)), ("index", .number(52)), ("weight", .number(100))])]))]),
            ]))]))]))
        }
        expectError(try Retarget.apply(makeAnimation(frames: 2), avatar: avatar, to: temporaryURL("never.vrm")),
                    contains: [avatar.path, "blendShapeGroups[0].binds[0].index is 52"])
        #expect(!FileManager.default.fileExists(atPath: temporaryURL("never.vrm").path))
    }
}
