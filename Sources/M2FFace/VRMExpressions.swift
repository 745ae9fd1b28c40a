/// A VRM avatar's expressions: VRM 0.x `blendShapeMaster.blendShapeGroups` and VRM 1.0
/// `VRMC_vrm.expressions`, each a named set of morph-target binds, and the ARKit weights that drive them.
public struct VRMExpression: Sendable, Equatable {
    /// One morph target the expression moves: on a mesh (VRM 0.x) or on a node's mesh (VRM 1.0).
    public struct Bind: Sendable, Equatable {
        public var nodes: [Int]
        public var target: Int
        /// 0 … 1 (VRM 0.x's 0 … 100 scaled).
        public var weight: Float
    }

    public var name: String
    /// The VRM 1.0 preset name (`aa`, `blinkLeft`, `happy`…; VRM 0.x presets renamed to these), nil for custom ones.
    public var preset: String?
    public var binds: [Bind]
    public var isBinary: Bool
}

enum VRMExpressions {
    /// VRM 0.x preset names and their VRM 1.0 names.
    static let vrm0Presets = [
        "a": "aa", "i": "ih", "u": "ou", "e": "ee", "o": "oh", "blink": "blink", "blink_l": "blinkLeft", "blink_r": "blinkRight",
        "joy": "happy", "angry": "angry", "sorrow": "sad", "fun": "relaxed", "surprised": "surprised",
        "lookup": "lookUp", "lookdown": "lookDown", "lookleft": "lookLeft", "lookright": "lookRight", "neutral": "neutral",
    ]

    /// What drives each VRM 1.0 preset, from ARKit weights (an approximation: a viseme or emotion is a
    /// whole-face pose, ARKit splits it into muscles). `neutral` has no formula.
    static let presetFormulas: [String: [(String, Float)]] = [
        "aa": [("jawOpen", 1)], "ih": [("mouthStretchLeft", 0.5), ("mouthStretchRight", 0.5)], "ou": [("mouthPucker", 1)],
        "ee": [("mouthLowerDownLeft", 0.5), ("mouthLowerDownRight", 0.5)], "oh": [("mouthFunnel", 1)],
        "blink": [("eyeBlinkLeft", 0.5), ("eyeBlinkRight", 0.5)], "blinkLeft": [("eyeBlinkLeft", 1)], "blinkRight": [("eyeBlinkRight", 1)],
        "happy": [("mouthSmileLeft", 0.5), ("mouthSmileRight", 0.5)], "angry": [("browDownLeft", 0.5), ("browDownRight", 0.5)],
        "sad": [("mouthFrownLeft", 0.25), ("mouthFrownRight", 0.25), ("browInnerUp", 0.5)],
        "relaxed": [("cheekSquintLeft", 0.5), ("cheekSquintRight", 0.5)], "surprised": [("eyeWideLeft", 0.5), ("eyeWideRight", 0.5)],
        "lookUp": [("eyeLookUpLeft", 0.5), ("eyeLookUpRight", 0.5)], "lookDown": [("eyeLookDownLeft", 0.5), ("eyeLookDownRight", 0.5)],
        // The avatar looks to its left: its left eye turns out, its right eye in.
        "lookLeft": [("eyeLookOutLeft", 0.5), ("eyeLookInRight", 0.5)], "lookRight": [("eyeLookOutRight", 0.5), ("eyeLookInLeft", 0.5)],
    ]

    /// The ARKit formula of a preset, nil for `neutral` and unknown names.
    static func formula(preset: String) -> ExpressionFormula? {
        presetFormulas[preset].map { terms in
            ExpressionFormula(terms: terms.map { .init(shape: ARKitBlendshape(rawValue: $0.0)!, factor: $0.1) })
        }
    }

    /// The expressions of a VRM 0.x or 1.0 document; empty for other glTF files. Every bind is checked
    /// against the file's meshes and nodes (`morphTargets[mesh]` = targets of that mesh).
    static func read(_ json: JSONValue, morphTargets: [Int], file: String) throws(FaceError) -> [VRMExpression] {
        let nodes = json["nodes"]?.arrayValue ?? []
        if let groups = json["extensions"]?["VRM"]?["blendShapeMaster"]?["blendShapeGroups"]?.arrayValue {
            var result: [VRMExpression] = []
            for (g, group) in groups.enumerated() {
                let path = "extensions.VRM.blendShapeMaster.blendShapeGroups[\(g)]"
                var binds: [VRMExpression.Bind] = []
                for (b, bind) in (group["binds"]?.arrayValue ?? []).enumerated() {
                    let mesh = try GLTFField.integer(bind, "mesh", at: "\(path).binds[\(b)]", file: file, in: 0...max(0, morphTargets.count - 1))
                    let target = try targetIndex(bind, at: "\(path).binds[\(b)]", targets: morphTargets[safe: mesh] ?? 0, file: file)
                    let weight = bind["weight"]?.doubleValue ?? 100
                    let meshNodes = nodes.indices.filter { nodes[$0]["mesh"]?.intValue == mesh }
                    binds.append(.init(nodes: meshNodes, target: target, weight: Float(min(max(weight, 0), 100) / 100)))
                }
                let preset = group["presetName"]?.stringValue.flatMap { vrm0Presets[$0.lowercased()] }
                result.append(VRMExpression(name: group["name"]?.stringValue ?? preset ?? "group\(g)", preset: preset, binds: binds,
                                            isBinary: group["isBinary"] == .bool(true)))
            }
            return result
        }
        guard let expressions = json["extensions"]?["VRMC_vrm"]?["expressions"] else { return [] }
        var result: [VRMExpression] = []
        for kind in ["preset", "custom"] {
            guard case let .object(members)? = expressions[kind] else { continue }
            for (name, expression) in members {
                let path = "extensions.VRMC_vrm.expressions.\(kind).\(name)"
                var binds: [VRMExpression.Bind] = []
                for (b, bind) in (expression["morphTargetBinds"]?.arrayValue ?? []).enumerated() {
                    let node = try GLTFField.integer(bind, "node", at: "\(path).morphTargetBinds[\(b)]", file: file, in: 0...max(0, nodes.count - 1))
                    guard let mesh = nodes[safe: node]?["mesh"]?.intValue, morphTargets.indices.contains(mesh) else {
                        throw .gltf(file: file, problem: "\(path).morphTargetBinds[\(b)].node \(node) has no mesh")
                    }
                    let target = try targetIndex(bind, at: "\(path).morphTargetBinds[\(b)]", targets: morphTargets[mesh], file: file)
                    let weight = bind["weight"]?.doubleValue ?? 1
                    binds.append(.init(nodes: [node], target: target, weight: Float(min(max(weight, 0), 1))))
                }
                result.append(VRMExpression(name: name, preset: kind == "preset" ? name : nil, binds: binds,
                                            isBinary: expression["isBinary"] == .bool(true)))
            }
        }
        return result
    }

    private static func targetIndex(_ bind: JSONValue, at path: String, targets: Int, file: String) throws(FaceError) -> Int {
        guard targets > 0 else { throw .gltf(file: file, problem: "\(path) binds a mesh that has no morph targets") }
        return try GLTFField.integer(bind, "index", at: path, file: file, in: 0...(targets - 1))
    }
}
