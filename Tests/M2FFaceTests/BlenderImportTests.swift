import Foundation
import Testing
import M2FFace
import M2FSystem

/// Imports our GLB files into Blender in background mode: 52 shape keys, the frame count, and
/// keyed values. Runs where `blender` is on PATH (`make test` installs it); skipped elsewhere.
@Suite(.enabled(if: Executable.find("blender") != nil,
                "Blender is not installed (apt-get install blender python3-numpy, or `make test`): glTF import check skipped"))
struct BlenderImportTests {
    /// Prints one JSON line: shape keys, keyframe count and sampled values per mesh object.
    static let script = #"""
    import bpy, sys, json
    import numpy
    if not hasattr(numpy, "bool"):
        numpy.bool = bool  # Blender 3.4's glTF importer uses an alias that numpy 1.24 removed
    args = sys.argv[sys.argv.index("--") + 1:]
    path, fps = args[0], int(args[1])
    bpy.ops.wm.read_factory_settings(use_empty=True)
    bpy.context.scene.render.fps = fps
    bpy.ops.import_scene.gltf(filepath=path)
    result = []
    for obj in bpy.context.scene.objects:
        if obj.type != 'MESH' or obj.data.shape_keys is None:
            continue
        keys = obj.data.shape_keys
        entry = {"name": obj.name, "shapeKeys": [k.name for k in keys.key_blocks if k != keys.reference_key]}
        action = keys.animation_data.action if keys.animation_data else None
        if action:
            entry["keyframes"] = max(len(fc.keyframe_points) for fc in action.fcurves)
            samples = {}
            for request in args[2:]:
                key, frame = request.split("@")
                bpy.context.scene.frame_set(int(frame))
                samples[request] = keys.key_blocks[key].value
            entry["samples"] = samples
        result.append(entry)
    print("M2F_RESULT " + json.dumps(result))
    """#

    struct Imported: Decodable {
        var name: String
        var shapeKeys: [String]
        var keyframes: Int?
        var samples: [String: Float]?
    }

    func importIntoBlender(_ url: URL, fps: Int, samples: [String]) throws -> [Imported] {
        let scriptURL = temporaryURL("check_import.py")
        try Data(Self.script.utf8).write(to: scriptURL)
        let process = Process()
        process.executableURL = Executable.find("blender").map { URL(fileURLWithPath: $0) }
        process.arguments = ["-b", "--factory-startup", "--python", scriptURL.path, "--", url.path, String(fps)] + samples
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("M2F_RESULT ") }) else {
            Issue.record("Blender printed no result:\n\(output.suffix(2000))")
            return []
        }
        return try JSONDecoder().decode([Imported].self, from: Data(line.dropFirst("M2F_RESULT ".count).utf8))
    }

    @Test func defaultHeadGLBImports() throws {
        let animation = ScriptedAnimation.make(seconds: 2)
        let url = temporaryURL("blender-head.glb")
        try GLTFWriter.write(animation, to: url)
        let requests = ["jawOpen@11", "eyeBlinkLeft@27", "mouthSmileLeft@50"]
        let objects = try importIntoBlender(url, fps: 30, samples: requests)
        #expect(objects.count == 1)
        guard let head = objects.first else { return }
        #expect(head.shapeKeys == ARKit.names)
        #expect(head.keyframes == animation.frameCount)
        for request in requests {
            let parts = request.split(separator: "@")
            let expected = animation[Int(parts[1])!, ARKitBlendshape(rawValue: String(parts[0]))!]
            #expect(abs((head.samples?[request] ?? -1) - expected) < 1e-4, "\(request): Blender \(head.samples?[request] ?? -1), ours \(expected)")
        }
    }

    @Test func retargetedAvatarImports() throws {
        let avatar = try makeAvatar(renames: ["jawOpen": "ARKit_jawOpen", "eyeBlinkLeft": "eyeBlink_L"])
        let animation = ScriptedAnimation.make(seconds: 1)
        let output = temporaryURL("blender-avatar.glb")
        try Retarget.apply(animation, avatar: avatar, to: output)
        let objects = try importIntoBlender(output, fps: 30, samples: ["ARKit_jawOpen@7", "eyeBlink_L@20"])
        guard let head = objects.first else { Issue.record("no mesh imported"); return }
        #expect(head.shapeKeys.count == 52)
        #expect(head.keyframes == animation.frameCount)
        #expect(abs((head.samples?["ARKit_jawOpen@7"] ?? -1) - animation[7, .jawOpen]) < 1e-4)
        #expect(abs((head.samples?["eyeBlink_L@20"] ?? -1) - animation[20, .eyeBlinkLeft]) < 1e-4)
    }

    /// Meshopt- and Draco-compressed avatars and a VRM, retargeted (written plain): Blender imports each
    /// with its shape keys, and the keys move with the animation (values at two frames match ours).
    @Test func compressedAndVRMAvatarsImportAfterRetarget() throws {
        let source = try makeAvatar(renames: ["jawOpen": "ARKit_jawOpen", "eyeBlinkLeft": "eyeBlink_L"])
        let meshopt = temporaryURL("blender-meshopt.glb"), draco = temporaryURL("blender-draco.glb")
        try CompressedAvatars.meshopt(source).write(to: meshopt)
        try CompressedAvatars.draco(source, to: draco)
        // The VRM's targets have VRoid-style names; its `aa` preset drives the jaw.
        let vrmRenames = Dictionary(uniqueKeysWithValues: ARKit.names.enumerated().map { ($1, "Fcl_MTH_\($0)") })
        var vrm = try GLTFAsset.load(try makeAvatar(renames: vrmRenames))
        vrm.json.set("extensions", .object([("VRMC_vrm", .object([("expressions", .object([("preset", .object([
            ("aa", .object([("morphTargetBinds", .array([.object([("node", .number(2)), ("index", .number(Double(ARKitBlendshape.jawOpen.index))),
                                                                  ("weight", .number(1))])]))])),
        ]))]))]))]))
        let vrmURL = temporaryURL("blender-avatar.vrm")
        try vrm.write(to: vrmURL)
        let animation = ScriptedAnimation.make(seconds: 1)
        // Frames where the jaw is at two different openings, so a key that did not move would fail.
        let frames = (0..<animation.frameCount).sorted { animation[$0, .jawOpen] < animation[$1, .jawOpen] }
        let (low, high) = (frames.first!, frames.last!)
        #expect(animation[high, .jawOpen] - animation[low, .jawOpen] > 0.2)
        let jawKeys = [meshopt: "ARKit_jawOpen", draco: "ARKit_jawOpen", vrmURL: "Fcl_MTH_\(ARKitBlendshape.jawOpen.index)"]
        for avatar in [meshopt, draco, vrmURL] {
            let output = temporaryURL("blender-\(avatar.deletingPathExtension().lastPathComponent)-animated.glb")
            try Retarget.apply(animation, avatar: avatar, to: output)
            let requests = ["\(jawKeys[avatar]!)@\(low)", "\(jawKeys[avatar]!)@\(high)"]
            let objects = try importIntoBlender(output, fps: 30, samples: requests)
            guard let head = objects.first else { Issue.record("\(avatar.lastPathComponent): no mesh imported"); continue }
            #expect(head.shapeKeys.count == 52, "\(avatar.lastPathComponent)")
            #expect(head.keyframes == animation.frameCount, "\(avatar.lastPathComponent)")
            for (request, frame) in zip(requests, [low, high]) {
                let value = head.samples?[request] ?? -1
                #expect(abs(value - animation[frame, .jawOpen]) < 1e-4, "\(avatar.lastPathComponent) \(request): Blender \(value)")
            }
        }
    }
}
