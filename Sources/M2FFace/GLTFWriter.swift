import Foundation

/// Writes the default head (or any `FaceRig`) as glTF 2.0 / GLB: one mesh with 52 morph targets
/// named by ARKit (`mesh.extras.targetNames`), and the animation as a `weights` channel sampled per
/// frame plus `rotation`/`translation` channels for the head pose. The audio file, frame rate and
/// metadata go in the root `extras` (and the animation's). See docs/FORMATS.md.
public enum GLTFWriter {
    /// The glTF bytes: GLB when `binary`, else JSON with an embedded base64 buffer.
    public static func data(_ animation: FaceAnimation?, rig: FaceRig = DefaultHead.shared, audio: String? = nil, binary: Bool = true) -> Data {
        var document = makeDocument(animation, rig: rig, audio: audio)
        return document.data(binary: binary)
    }

    /// Writes `.glb` or `.gltf` (chosen by the extension of `url`), atomically.
    public static func write(_ animation: FaceAnimation?, rig: FaceRig = DefaultHead.shared, to url: URL, audio: String? = nil) throws(FaceError) {
        var document = makeDocument(animation, rig: rig, audio: audio)
        try document.write(to: url)
    }

    static func makeDocument(_ animation: FaceAnimation?, rig: FaceRig, audio: String?) -> GLTFAsset {
        var doc = GLTFAsset(json: .object([
            ("asset", .object([("version", .string("2.0")), ("generator", .string("m2f (Media2Face-Swift)"))])),
            ("scene", .number(0)),
        ]), buffers: [], file: "<default head>")
        // Geometry.
        let positions = rig.positions.flatMap { [$0.x, $0.y, $0.z] }
        let normals = rig.normals(of: rig.positions).flatMap { [$0.x, $0.y, $0.z] }
        let colors = rig.colors.flatMap { c -> [Float] in
            let l = srgbToLinear(c)
            return [l.x, l.y, l.z]
        }
        let positionAccessor = doc.addFloatAccessor(positions, components: 3, type: "VEC3", target: 34962, bounds: true)
        let normalAccessor = doc.addFloatAccessor(normals, components: 3, type: "VEC3", target: 34962)
        let colorAccessor = doc.addFloatAccessor(colors, components: 3, type: "VEC3", target: 34962)
        let indices = rig.triangles.flatMap { [$0.x, $0.y, $0.z] }
        let indexView = doc.addBufferView(littleEndianBytes(indices), target: 34963)
        let indexAccessor = doc.addAccessor([("bufferView", .number(Double(indexView))), ("componentType", .number(5125)),
                                             ("count", .number(Double(indices.count))), ("type", .string("SCALAR"))])
        // Morph targets as sparse accessors: only the vertices a shape moves are stored.
        var targets: [JSONValue] = []
        for shape in rig.blendshapes {
            let values = shape.offsets.flatMap { [$0.x, $0.y, $0.z] }
            var members: [(String, JSONValue)] = [("componentType", .number(5126)), ("count", .number(Double(rig.vertexCount))), ("type", .string("VEC3"))]
            members += doc.boundsMembers(values + [0, 0, 0], components: 3)
            if !shape.indices.isEmpty {
                let indexView = doc.addBufferView(littleEndianBytes(shape.indices))
                let valueView = doc.addBufferView(littleEndianBytes(values))
                members.append(("sparse", .object([
                    ("count", .number(Double(shape.indices.count))),
                    ("indices", .object([("bufferView", .number(Double(indexView))), ("componentType", .number(5125))])),
                    ("values", .object([("bufferView", .number(Double(valueView)))])),
                ])))
            }
            targets.append(.object([("POSITION", .number(Double(doc.addAccessor(members))))]))
        }
        let primitive: JSONValue = .object([
            ("attributes", .object([("POSITION", .number(Double(positionAccessor))), ("NORMAL", .number(Double(normalAccessor))),
                                    ("COLOR_0", .number(Double(colorAccessor)))])),
            ("indices", .number(Double(indexAccessor))),
            ("material", .number(0)),
            ("targets", .array(targets)),
        ])
        doc.json.set("materials", .array([.object([
            ("name", .string("face")),
            ("pbrMetallicRoughness", .object([("baseColorFactor", .array([1, 1, 1, 1].map { .number($0) })),
                                               ("metallicFactor", .number(0)), ("roughnessFactor", .number(0.6))])),
            ("doubleSided", .bool(true)),
        ])]))
        doc.json.set("meshes", .array([.object([
            ("name", .string("m2f_default_head")),
            ("primitives", .array([primitive])),
            ("weights", .array([JSONValue](repeating: .number(0), count: rig.blendshapes.count))),
            ("extras", .object([("targetNames", .array(ARKit.names.map { .string($0) }))])),
        ])]))
        doc.json.set("nodes", .array([.object([("name", .string("Head")), ("mesh", .number(0))])]))
        doc.json.set("scenes", .array([.object([("name", .string("m2f")), ("nodes", .array([.number(0)]))])]))
        var extras: [(String, JSONValue)] = [("generator", .string("m2f"))]
        // The file name only: a path would give away the user's folders and break once the files move.
        if let audio { extras.append(("audio", .string(URL(fileURLWithPath: audio).lastPathComponent))) }
        if let animation {
            extras.append(("fps", .number(animation.fps)))
            extras.append(("frameCount", .number(Double(animation.frameCount))))
            if !animation.metadata.isEmpty {
                extras.append(("metadata", .object(animation.metadata.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
            }
            addAnimation(animation, to: &doc, morphNodes: [(0, (0..<ARKit.count).map { MorphDrive.arkit($0) })],
                         poseNode: PoseTarget(node: 0, restRotation: SIMD4(0, 0, 0, 1), restTranslation: .zero, parentRotation: SIMD4(0, 0, 0, 1)),
                         extras: extras)
        }
        doc.json.set("extras", .object(extras))
        return doc
    }

    /// Where head pose goes: a node, its rest transform, and its parent's world rotation (so that
    /// the pose is applied about world axes whatever the bone's local axes are).
    struct PoseTarget {
        var node: Int
        var restRotation: SIMD4<Float>
        var restTranslation: SIMD3<Float>
        var parentRotation: SIMD4<Float>
        var translate = true
    }

    /// Appends an animation: per morph node a `weights` channel with one column per morph target, each
    /// following its drive (nil = weight 0), and optionally rotation/translation channels for the head pose.
    static func addAnimation(_ animation: FaceAnimation, to doc: inout GLTFAsset, name: String = "m2f",
                             morphNodes: [(node: Int, columns: [MorphDrive?])], poseNode: PoseTarget?, extras: [(String, JSONValue)]) {
        let frames = animation.frameCount
        let times = (0..<frames).map { Float(Double($0) / animation.fps) }
        let timeAccessor = doc.addFloatAccessor(times, components: 1, type: "SCALAR", bounds: true)
        var samplers: [JSONValue] = [], channels: [JSONValue] = []
        func add(_ output: Int, node: Int, path: String) {
            samplers.append(.object([("input", .number(Double(timeAccessor))), ("interpolation", .string("LINEAR")), ("output", .number(Double(output)))]))
            channels.append(.object([("sampler", .number(Double(samplers.count - 1))),
                                     ("target", .object([("node", .number(Double(node))), ("path", .string(path))]))]))
        }
        let n = ARKit.count
        for (node, columns) in morphNodes {
            var values = [Float](repeating: 0, count: frames * columns.count)
            for f in 0..<frames {
                let frame = animation.weights[(f * n)..<(f * n + n)]
                for (c, drive) in columns.enumerated() {
                    if let drive { values[f * columns.count + c] = drive.value(frame) }
                }
            }
            add(doc.addFloatAccessor(values, components: 1, type: "SCALAR"), node: node, path: "weights")
        }
        if let pose = poseNode {
            var rotations: [Float] = [], translations: [Float] = []
            rotations.reserveCapacity(frames * 4)
            let parentInverse = SIMD4(-pose.parentRotation.x, -pose.parentRotation.y, -pose.parentRotation.z, pose.parentRotation.w)
            for f in 0..<frames {
                let p = animation.headPose[f]
                // local = parent⁻¹ · pose · parent · rest
                let q = quaternionProduct(quaternionProduct(quaternionProduct(parentInverse, p.quaternion), pose.parentRotation), pose.restRotation)
                rotations += [q.x, q.y, q.z, q.w]
                let t = rotateByQuaternion(SIMD3(p.tx, p.ty, p.tz), parentInverse) + pose.restTranslation
                translations += [t.x, t.y, t.z]
            }
            add(doc.addFloatAccessor(rotations, components: 4, type: "VEC4"), node: pose.node, path: "rotation")
            if pose.translate { add(doc.addFloatAccessor(translations, components: 3, type: "VEC3"), node: pose.node, path: "translation") }
        }
        var animations = doc.json["animations"]?.arrayValue ?? []
        animations.append(.object([("name", .string(name)), ("channels", .array(channels)), ("samplers", .array(samplers)), ("extras", .object(extras))]))
        doc.json.set("animations", .array(animations))
    }
}

/// Reads an ARKit animation back from a glTF/GLB: the first animation's `weights` channel on a mesh
/// whose morph targets are named by ARKit, and its rotation/translation channel on the same node.
public enum GLTFAnimationReader {
    /// The highest frame rate a file may state (a crafted 1e9 would ask for a frame every nanosecond).
    static let maximumFrameRate = 1000.0

    public static func read(contentsOf url: URL) throws(FaceError) -> FaceAnimation {
        let doc = try GLTFAsset.load(url)
        guard let animation = doc.json["animations"]?.arrayValue?.first else {
            throw .gltf(file: url.path, problem: "the file has no animation to read")
        }
        let samplers = animation["samplers"]?.arrayValue ?? []
        var weightChannel: (node: Int, sampler: Int)?
        var rotationSampler: Int?, translationSampler: Int?
        for channel in animation["channels"]?.arrayValue ?? [] {
            guard let node = channel["target"]?["node"]?.intValue, let sampler = channel["sampler"]?.intValue else { continue }
            switch channel["target"]?["path"]?.stringValue {
            case "weights": if weightChannel == nil { weightChannel = (node, sampler) }
            case "rotation": rotationSampler = sampler
            case "translation": translationSampler = sampler
            default: break
            }
        }
        guard let (node, sampler) = weightChannel, let samplerValue = samplers[safe: sampler],
              let input = samplerValue["input"]?.intValue, let output = samplerValue["output"]?.intValue else {
            throw .gltf(file: url.path, problem: "the animation has no morph-target weights channel")
        }
        guard let mesh = doc.json["nodes"]?.arrayValue?[safe: node]?["mesh"]?.intValue,
              let names = doc.json["meshes"]?.arrayValue?[safe: mesh]?["extras"]?["targetNames"]?.arrayValue?.compactMap(\.stringValue) else {
            throw .gltf(file: url.path, problem: "the animated mesh has no extras.targetNames naming its morph targets")
        }
        let columns = names.map { ARKitNameMatcher.match($0)?.index }
        let times = try doc.floats(accessor: input).values
        let weights = try doc.floats(accessor: output).values
        let frames = times.count
        guard frames > 0, weights.count == frames * names.count else {
            throw .gltf(file: url.path, problem: "weights output holds \(weights.count) values, expected \(frames) × \(names.count)")
        }
        let fps = (doc.json["animations"]?.arrayValue?.first?["extras"]?["fps"]?.doubleValue)
            ?? (frames > 1 ? Double(frames - 1) / Double(times[frames - 1] - times[0]) : 30)
        guard fps.isFinite, fps > 0, fps <= maximumFrameRate else {
            throw .gltf(file: url.path, problem: "the frame rate (extras.fps or the key times) is \(fps); allowed: above 0, at most \(maximumFrameRate)")
        }
        var result = FaceAnimation(fps: fps, frameCount: frames)
        for f in 0..<frames {
            for (c, index) in columns.enumerated() {
                if let index { result.weights[f * ARKit.count + index] = weights[f * names.count + c] }
            }
        }
        if let s = rotationSampler, let out = samplers[safe: s]?["output"]?.intValue {
            let q = try doc.floats(accessor: out).values
            if q.count == frames * 4 {
                for f in 0..<frames {
                    let (yaw, pitch, roll) = eulerAngles(SIMD4(q[f * 4], q[f * 4 + 1], q[f * 4 + 2], q[f * 4 + 3]))
                    result.headPose[f].yaw = yaw
                    result.headPose[f].pitch = pitch
                    result.headPose[f].roll = roll
                }
            }
        }
        if let s = translationSampler, let out = samplers[safe: s]?["output"]?.intValue {
            let t = try doc.floats(accessor: out).values
            if t.count == frames * 3 {
                for f in 0..<frames {
                    result.headPose[f].tx = t[f * 3]; result.headPose[f].ty = t[f * 3 + 1]; result.headPose[f].tz = t[f * 3 + 2]
                }
            }
        }
        if case let .object(members)? = doc.json["extras"]?["metadata"] {
            for (key, value) in members { result.metadata[key] = value.stringValue ?? value.serialized() }
        }
        return result
    }

    /// (yaw, pitch, roll) of a unit quaternion for R = Ry(yaw) · Rx(pitch) · Rz(roll).
    static func eulerAngles(_ q: SIMD4<Float>) -> (Float, Float, Float) {
        let (x, y, z, w) = (q.x, q.y, q.z, q.w)
        let r02 = 2 * (x * z + w * y), r22 = 1 - 2 * (x * x + y * y)
        let r12 = 2 * (y * z - w * x)
        let r10 = 2 * (x * y + w * z), r11 = 1 - 2 * (x * x + z * z)
        return (atan2(r02, r22), asin(min(max(-r12, -1), 1)), atan2(r10, r11))
    }
}
