import Foundation

/// What `Retarget.apply` found in an avatar.
public struct RetargetReport: Sendable {
    /// One morph target driven by an ARKit shape.
    public struct Match: Sendable, Equatable {
        public var mesh: String
        public var target: String
        public var shape: ARKitBlendshape
    }

    public var matches: [Match] = []
    /// Morph targets (as "mesh/target") that no ARKit shape drives.
    public var unmatchedTargets: [String] = []
    /// ARKit shapes that drive no morph target of the avatar.
    public var missingShapes: [ARKitBlendshape] = []
    /// Nodes that received a weights channel.
    public var animatedNodes: [String] = []
    /// The node that received the head rotation, if one was found.
    public var headNode: String?

    /// How the avatar's morph targets were found (see `Retarget.plan`).
    public enum Source: String, Sendable {
        case morphTargetNames = "morph target names"
        case vrmPerfectSync = "VRM perfect-sync expressions"
        case vrmPresets = "VRM preset expressions"
    }

    public var source = Source.morphTargetNames

    /// A VRM expression driven by the animation, with the ARKit shapes that drive it.
    public struct ExpressionMatch: Sendable, Equatable {
        public var name: String
        public var shapes: [ARKitBlendshape]
        public var binds: Int
    }

    /// The VRM expressions driven (empty when morph target names were used).
    public var expressions: [ExpressionMatch] = []
}

/// Writes an ARKit animation into a user's glTF/GLB/VRM avatar (Ready Player Me, VRM 0.x and 1.0
/// expressions, "perfect sync", or any mesh whose morph targets carry ARKit names in `extras.targetNames`).
/// Meshopt- and Draco-compressed avatars are decoded on load (`GLTFAsset`) and written plain.
public enum Retarget {
    /// The most morph targets one mesh may have (avatars have tens to a few hundred).
    static let maximumMorphTargets = 4096

    /// Reads a mapping file: a JSON object `{"avatarTarget": "arkitName", …}`, or lines
    /// `avatarTarget = arkitName` (or `avatarTarget,arkitName`); `#` starts a comment.
    public static func loadMapping(_ url: URL) throws(FaceError) -> [String: String] {
        let data: Data
        data = try readInput(url)
        let text = String(decoding: data, as: UTF8.self)
        var mapping: [String: String] = [:]
        if text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{") {
            guard case let .object(members) = try JSONValue.parse(data, file: url.path) else { throw .emptyFile(file: url.path) }
            for (key, value) in members {
                guard let name = value.stringValue else { throw .parse(file: url.path, line: 1, problem: "the value for \"\(key)\" must be an ARKit name string") }
                mapping[key] = name
            }
        } else {
            for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)?
                    .trimmingCharacters(in: .whitespaces) ?? ""
                if line.isEmpty { continue }
                let parts = line.split(whereSeparator: { $0 == "=" || $0 == "," }).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                    throw .parse(file: url.path, line: i + 1, problem: "expected 'avatarTarget = arkitName'")
                }
                mapping[parts[0]] = parts[1]
            }
        }
        for (key, value) in mapping where ARKitNameMatcher.match(value) == nil {
            throw .parse(file: url.path, line: 1, problem: "'\(value)' (for '\(key)') is not an ARKit blendshape name")
        }
        return mapping
    }

    /// Loads `avatar`, adds the animation (as the first animation) and writes `output` (.glb or .gltf).
    @discardableResult
    public static func apply(_ animation: FaceAnimation, avatar: URL, to output: URL, mapping: [String: String] = [:],
                             audio: String? = nil) throws(FaceError) -> RetargetReport {
        var asset = try GLTFAsset.load(avatar)
        let report = try apply(animation, to: &asset, mapping: mapping, audio: audio)
        try asset.write(to: output)
        return report
    }

    /// Adds the animation to an asset in memory.
    public static func apply(_ animation: FaceAnimation, to asset: inout GLTFAsset, mapping: [String: String] = [:],
                             audio: String? = nil) throws(FaceError) -> RetargetReport {
        let plan = try plan(asset, mapping: mapping)
        var report = plan.report
        let morphNodes = plan.nodes
        // Head rotation on the head bone, about world axes.
        var pose: GLTFWriter.PoseTarget?
        if let head = headNode(in: asset.json) {
            convertMatrixToTRS(&asset.json, node: head)
            let node = asset.json["nodes"]?.arrayValue?[safe: head] ?? .object([])
            let rest = quaternion(node["rotation"]) ?? SIMD4(0, 0, 0, 1)
            pose = GLTFWriter.PoseTarget(node: head, restRotation: rest, restTranslation: .zero,
                                         parentRotation: worldRotation(of: parent(of: head, in: asset.json), in: asset.json), translate: false)
            report.headNode = node["name"]?.stringValue ?? "node\(head)"
        }
        var extras: [(String, JSONValue)] = [("generator", .string("m2f retarget")), ("fps", .number(animation.fps)),
                                             ("frameCount", .number(Double(animation.frameCount)))]
        if let audio { extras.append(("audio", .string(audio))) }
        GLTFWriter.addAnimation(animation, to: &asset, morphNodes: morphNodes, poseNode: pose, extras: extras)
        // Ours first, so that viewers and importers play it by default.
        if var animations = asset.json["animations"]?.arrayValue, animations.count > 1 {
            animations.insert(animations.removeLast(), at: 0)
            asset.json.set("animations", .array(animations))
        }
        return report
    }

    /// The head bone: VRM's humanoid head, else a node named `Head` (`mixamorig:Head`, `J_Bip_C_Head`…).
    static func headNode(in json: JSONValue) -> Int? {
        let nodes = json["nodes"]?.arrayValue ?? []
        // A node index from a VRM extension is untrusted: one outside `nodes` means "no head bone".
        if let node = namedHeadNode(in: json) { return nodes.indices.contains(node) ? node : nil }
        return nodes.firstIndex { node in
            guard let name = node["name"]?.stringValue?.lowercased() else { return false }
            return name == "head" || [":head", "_head", ".head", "|head"].contains { name.hasSuffix($0) }
        }
    }

    private static func namedHeadNode(in json: JSONValue) -> Int? {
        if let bones = json["extensions"]?["VRM"]?["humanoid"]?["humanBones"]?.arrayValue,
           let node = bones.first(where: { $0["bone"]?.stringValue == "head" })?["node"]?.intValue { return node }
        return json["extensions"]?["VRMC_vrm"]?["humanoid"]?["humanBones"]?["head"]?["node"]?.intValue
    }

    static func parent(of node: Int, in json: JSONValue) -> Int? {
        (json["nodes"]?.arrayValue ?? []).firstIndex { ($0["children"]?.arrayValue ?? []).contains(.number(Double(node))) }
    }

    static func quaternion(_ value: JSONValue?) -> SIMD4<Float>? {
        guard let v = value?.arrayValue?.compactMap(\.doubleValue), v.count == 4 else { return nil }
        return SIMD4(Float(v[0]), Float(v[1]), Float(v[2]), Float(v[3]))
    }

    /// World rotation of a node (product of its and its ancestors' local rotations). A crafted file's
    /// `children` may form a cycle: the walk stops after as many steps as there are nodes.
    static func worldRotation(of node: Int?, in json: JSONValue) -> SIMD4<Float> {
        let nodes = json["nodes"]?.arrayValue ?? []
        var rotation = SIMD4<Float>(0, 0, 0, 1)
        var current = node, steps = 0
        while let index = current, steps <= nodes.count {
            rotation = quaternionProduct(localRotation(nodes[safe: index]), rotation)
            current = parent(of: index, in: json)
            steps += 1
        }
        return rotation
    }

    static func localRotation(_ node: JSONValue?) -> SIMD4<Float> {
        if let q = quaternion(node?["rotation"]) { return q }
        if let m = node?["matrix"]?.arrayValue?.compactMap(\.doubleValue), m.count == 16 { return decompose(m.map(Float.init)).rotation }
        return SIMD4(0, 0, 0, 1)
    }

    /// Translation, rotation and scale of a column-major 4×4 matrix without shear.
    static func decompose(_ m: [Float]) -> (translation: SIMD3<Float>, rotation: SIMD4<Float>, scale: SIMD3<Float>) {
        let c0 = SIMD3(m[0], m[1], m[2]), c1 = SIMD3(m[4], m[5], m[6]), c2 = SIMD3(m[8], m[9], m[10])
        let scale = SIMD3(length(c0), length(c1), length(c2))
        let r0 = c0 / scale.x, r1 = c1 / scale.y, r2 = c2 / scale.z
        // Rotation matrix R[row][col] with columns r0, r1, r2.
        let (m00, m11, m22) = (r0.x, r1.y, r2.z)
        var q: SIMD4<Float>
        let trace = m00 + m11 + m22
        if trace > 0 {
            let s = (trace + 1).squareRoot() * 2
            q = SIMD4((r1.z - r2.y) / s, (r2.x - r0.z) / s, (r0.y - r1.x) / s, s / 4)
        } else if m00 > m11 && m00 > m22 {
            let s = (1 + m00 - m11 - m22).squareRoot() * 2
            q = SIMD4(s / 4, (r1.x + r0.y) / s, (r2.x + r0.z) / s, (r1.z - r2.y) / s)
        } else if m11 > m22 {
            let s = (1 + m11 - m00 - m22).squareRoot() * 2
            q = SIMD4((r1.x + r0.y) / s, s / 4, (r2.y + r1.z) / s, (r2.x - r0.z) / s)
        } else {
            let s = (1 + m22 - m00 - m11).squareRoot() * 2
            q = SIMD4((r2.x + r0.z) / s, (r2.y + r1.z) / s, s / 4, (r0.y - r1.x) / s)
        }
        return (SIMD3(m[12], m[13], m[14]), q / (q * q).sum().squareRoot(), scale)
    }

    /// Animated nodes may not use `matrix`: replace it with translation/rotation/scale.
    static func convertMatrixToTRS(_ json: inout JSONValue, node index: Int) {
        guard var nodes = json["nodes"]?.arrayValue, nodes.indices.contains(index), case var .object(members) = nodes[index],
              let m = nodes[index]["matrix"]?.arrayValue?.compactMap(\.doubleValue), m.count == 16 else { return }
        let (t, r, s) = decompose(m.map(Float.init))
        members.removeAll { $0.0 == "matrix" }
        members.append(("translation", .array([t.x, t.y, t.z].map { .number(Double($0)) })))
        members.append(("rotation", .array([r.x, r.y, r.z, r.w].map { .number(Double($0)) })))
        members.append(("scale", .array([s.x, s.y, s.z].map { .number(Double($0)) })))
        nodes[index] = .object(members)
        json.set("nodes", .array(nodes))
    }
}
