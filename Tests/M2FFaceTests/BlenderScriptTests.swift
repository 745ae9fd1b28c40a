import Foundation
import Testing
import M2FFace
import M2FSystem

/// `scripts/blender/m2f_import.py` in Debian's Blender (background mode): our CSV and JSON onto a plain
/// mesh with a few ARKit-named shape keys (any case) and onto our head imported from GLB; the scene is
/// set to 30 fps over the animation's frames, and the keys hold each frame's weights at the right frame.
@Suite(.enabled(if: Executable.find("blender") != nil,
                "Blender is not installed (apt-get install blender python3-numpy, or `make test`): import script check skipped"))
struct BlenderScriptTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Imports each file with the add-on's `import_file`, then prints the scene and sampled key values.
    static let driver = #"""
    import bpy, sys, json
    args = sys.argv[sys.argv.index("--") + 1:]
    scripts, glb, samples = args[0], args[1], args[4:]
    sys.path.insert(0, scripts)
    import m2f_import
    results = {}
    for label, path in (("csv", args[2]), ("json", args[3])):
        bpy.ops.wm.read_factory_settings(use_empty=True)
        if label == "csv":
            # Any mesh: a cube with a few ARKit-named keys in mixed case, and one unrelated key.
            bpy.ops.mesh.primitive_cube_add()
            obj = bpy.context.active_object
            obj.shape_key_add(name="Basis")
            for name in ("JawOpen", "eyeBlinkLeft", "MOUTHSMILELEFT", "notARKit"):
                obj.shape_key_add(name=name)
        else:
            # Our head from GLB, without the animation the GLB carries (Blender 3.4 + numpy 1.24 needs
            # SMOOTH shading: the default path calls the removed np.bool).
            bpy.ops.import_scene.gltf(filepath=glb, import_shading="SMOOTH")
            obj = next(o for o in bpy.context.scene.objects if o.type == "MESH" and o.data.shape_keys)
            obj.data.shape_keys.animation_data_clear()
        fps, frames, animated = m2f_import.import_file(path)
        scene = bpy.context.scene
        keys = {k.name.lower(): k for k in obj.data.shape_keys.key_blocks}
        values = {}
        for request in samples:
            name, frame = request.split("@")
            if name.lower() in keys:
                scene.frame_set(int(frame))
                values[request] = keys[name.lower()].value
        action = obj.data.shape_keys.animation_data.action
        results[label] = {"fps": scene.render.fps, "fpsBase": scene.render.fps_base, "start": scene.frame_start,
                          "end": scene.frame_end, "animated": animated, "curves": len(action.fcurves), "values": values}
    print("M2F_RESULT " + json.dumps(results))
    """#

    struct SceneResult: Decodable {
        var fps: Int
        var fpsBase: Double
        var start: Int
        var end: Int
        var animated: [String]
        var curves: Int
        var values: [String: Float]
    }

    @Test func csvAndJSONLandOnShapeKeysAtTheRightFrames() throws {
        let animation = ScriptedAnimation.make(seconds: 2)
        let folder = temporaryURL("blender-script")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let csv = folder.appendingPathComponent("take.csv"), json = folder.appendingPathComponent("take.json")
        let glb = folder.appendingPathComponent("head.glb"), driver = folder.appendingPathComponent("driver.py")
        try LiveLinkCSV.write(animation, to: csv)
        try AnimationJSON.write(animation, to: json)
        try GLTFWriter.write(animation, to: glb)
        try Data(Self.driver.utf8).write(to: driver)

        // Frames where the weights move, and their neighbours (scene frame = 1 + animation frame).
        var requests: [String] = []
        for shape in [ARKitBlendshape.jawOpen, .eyeBlinkLeft, .mouthSmileLeft] {
            let moving = (1..<animation.frameCount - 1).max { abs(animation[$0, shape] - animation[$0 - 1, shape]) < abs(animation[$1, shape] - animation[$1 - 1, shape]) }!
            for f in [moving - 1, moving, moving + 1] { requests.append("\(shape.rawValue)@\(1 + f)") }
        }
        let scripts = Self.repository.appendingPathComponent("scripts/blender").path
        let result = try Subprocess.run(Executable.find("blender")!, ["-b", "--factory-startup", "--python", driver.path, "--",
                                                                      scripts, glb.path, csv.path, json.path] + requests)
        let output = String(decoding: result.output, as: UTF8.self)
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("M2F_RESULT ") }) else {
            Issue.record("Blender printed no result (status \(result.status)):\n\(output.suffix(2000))\n\(result.errors.suffix(2000))")
            return
        }
        let scenes = try JSONDecoder().decode([String: SceneResult].self, from: Data(line.dropFirst("M2F_RESULT ".count).utf8))
        for (label, expectedCurves) in [("csv", 3), ("json", 52)] {
            let scene = try #require(scenes[label])
            #expect(scene.fps == 30 && abs(scene.fpsBase - 1) < 1e-9, "\(label): \(scene.fps) / \(scene.fpsBase)")
            #expect(scene.start == 1 && scene.end == animation.frameCount, "\(label): frames \(scene.start)…\(scene.end)")
            #expect(scene.curves == expectedCurves && scene.animated.count == 1, "\(label)")
            #expect(scene.values.count == requests.count)
            for request in requests {
                let parts = request.split(separator: "@")
                let expected = animation[Int(parts[1])! - 1, ARKitBlendshape(rawValue: String(parts[0]))!]
                let value = scene.values[request] ?? -1
                #expect(abs(value - expected) < 1e-5, "\(label) \(request): Blender \(value), ours \(expected)")
            }
        }
    }

    @Test func aSceneWithoutARKitKeysIsAClearError() throws {
        let csv = temporaryURL("blender-nokeys.csv")
        try LiveLinkCSV.write(ScriptedAnimation.make(seconds: 1), to: csv)
        let script = Self.repository.appendingPathComponent("scripts/blender/m2f_import.py").path
        // The factory scene has a cube without shape keys.
        let result = try Subprocess.run(Executable.find("blender")!, ["-b", "--factory-startup", "--python", script, "--", csv.path])
        #expect(result.status != 0)
        #expect(result.errors.contains("m2f_import: error: no mesh has shape keys named by ARKit"), "\(result.errors.suffix(1000))")
    }
}
