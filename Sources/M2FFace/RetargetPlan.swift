/// Retarget's first half: which morph targets of an avatar follow which ARKit weights.
///
/// Three ways, the one that drives the most ARKit shapes wins (ties go to the earlier):
/// 1. morph targets named after ARKit shapes (Ready Player Me, "perfect sync" avatars, `--mapping`);
/// 2. VRM expressions named after ARKit shapes ("perfect sync" VRMs whose targets have other names);
/// 3. VRM preset expressions (visemes, blinks, emotions, gaze), driven by the formulas of `VRMExpressions`,
///    used only when neither of the first two finds anything.
extension Retarget {
    struct MorphPlan {
        var nodes: [(node: Int, columns: [MorphDrive?])] = []
        var report = RetargetReport()
    }

    static func plan(_ asset: GLTFAsset, mapping: [String: String]) throws(FaceError) -> MorphPlan {
        let meshes = asset.json["meshes"]?.arrayValue ?? []
        var targetCounts: [Int] = []
        for (m, mesh) in meshes.enumerated() {
            let count = mesh["primitives"]?.arrayValue?.first?["targets"]?.arrayValue?.count ?? 0
            // The weights output is frames × targets values: a crafted mesh must not size it.
            guard count <= maximumMorphTargets else {
                throw .gltf(file: asset.file, problem: "meshes[\(m)] has \(count) morph targets; at most \(maximumMorphTargets) are animated")
            }
            targetCounts.append(count)
        }
        let byName = namedTargetPlan(asset.json, targetCounts: targetCounts, mapping: mapping)
        let expressions = try VRMExpressions.read(asset.json, morphTargets: targetCounts, file: asset.file).filter { !$0.binds.isEmpty }
        let perfectSync = expressions.compactMap { e in
            ARKitNameMatcher.match(e.name, mapping: mapping).map { (e, ExpressionFormula.arkit($0)) }
        }
        let drivenByName = Set(byName.report.matches.map(\.shape)).count
        let drivenBySync = Set(perfectSync.map { $0.1.terms[0].shape }).count
        if drivenBySync > drivenByName {
            return expressionPlan(asset.json, perfectSync, targetCounts: targetCounts, source: .vrmPerfectSync)
        }
        if drivenByName > 0 { return byName }
        var presets = expressions.compactMap { e in e.preset.flatMap(VRMExpressions.formula(preset:)).map { (e, $0) } }
        // A separate blink per eye moves each eye on its own; `blink` on top would close both twice.
        if Set(["blinkLeft", "blinkRight"]).isSubset(of: Set(presets.compactMap(\.0.preset))) { presets.removeAll { $0.0.preset == "blink" } }
        if !presets.isEmpty { return expressionPlan(asset.json, presets, targetCounts: targetCounts, source: .vrmPresets) }
        throw .gltf(file: asset.file, problem: "no morph target is named after an ARKit blendshape (looked in mesh.extras.targetNames) "
                    + "and the file has no VRM expressions; give a mapping file (--mapping) that names them")
    }

    /// Way 1: one ARKit shape per morph target, matched by name.
    private static func namedTargetPlan(_ json: JSONValue, targetCounts: [Int], mapping: [String: String]) -> MorphPlan {
        var plan = MorphPlan()
        plan.report.source = .morphTargetNames
        let meshes = json["meshes"]?.arrayValue ?? []
        var columnsByMesh: [Int: [MorphDrive?]] = [:]
        var driven = Set<ARKitBlendshape>()
        for (m, mesh) in meshes.enumerated() where targetCounts[m] > 0 {
            let meshName = mesh["name"]?.stringValue ?? "mesh\(m)"
            let names = targetNames(of: mesh)
            var columns: [MorphDrive?] = []
            for t in 0..<targetCounts[m] {
                let name = t < names.count ? names[t] : "target\(t)"
                if t < names.count, let shape = ARKitNameMatcher.match(name, mapping: mapping) {
                    columns.append(.arkit(shape.index))
                    driven.insert(shape)
                    plan.report.matches.append(.init(mesh: meshName, target: name, shape: shape))
                } else {
                    columns.append(nil)
                    plan.report.unmatchedTargets.append("\(meshName)/\(name)")
                }
            }
            if columns.contains(where: { $0 != nil }) { columnsByMesh[m] = columns }
        }
        plan.report.missingShapes = ARKit.all.filter { !driven.contains($0) }
        for (n, node) in (json["nodes"]?.arrayValue ?? []).enumerated() {
            if let m = node["mesh"]?.intValue, let columns = columnsByMesh[m] {
                plan.nodes.append((n, columns))
                plan.report.animatedNodes.append(node["name"]?.stringValue ?? "node\(n)")
            }
        }
        return plan
    }

    /// Ways 2 and 3: each expression's binds add its value, times the bind weight, to their targets.
    private static func expressionPlan(_ json: JSONValue, _ expressions: [(VRMExpression, ExpressionFormula)], targetCounts: [Int],
                                       source: RetargetReport.Source) -> MorphPlan {
        var plan = MorphPlan()
        plan.report.source = source
        let nodes = json["nodes"]?.arrayValue ?? [], meshes = json["meshes"]?.arrayValue ?? []
        var columnsByNode: [Int: [MorphDrive?]] = [:]
        var driven = Set<ARKitBlendshape>()
        for (expression, baseFormula) in expressions {
            var formula = baseFormula
            formula.isBinary = expression.isBinary
            for bind in expression.binds where bind.weight > 0 {
                for node in bind.nodes {
                    guard let mesh = nodes[safe: node]?["mesh"]?.intValue, targetCounts.indices.contains(mesh) else { continue }
                    var columns = columnsByNode[node] ?? [MorphDrive?](repeating: nil, count: targetCounts[mesh])
                    var drive = columns[bind.target] ?? MorphDrive(parts: [])
                    drive.parts.append(.init(weight: bind.weight, expression: formula))
                    columns[bind.target] = drive
                    columnsByNode[node] = columns
                }
            }
            driven.formUnion(formula.terms.map(\.shape))
            plan.report.expressions.append(.init(name: expression.name, shapes: formula.terms.map(\.shape), binds: expression.binds.count))
        }
        plan.report.missingShapes = ARKit.all.filter { !driven.contains($0) }
        for node in columnsByNode.keys.sorted() {
            let columns = columnsByNode[node]!
            plan.nodes.append((node, columns))
            plan.report.animatedNodes.append(nodes[node]["name"]?.stringValue ?? "node\(node)")
            let mesh = nodes[node]["mesh"]?.intValue ?? 0
            let meshName = meshes[safe: mesh]?["name"]?.stringValue ?? "mesh\(mesh)"
            let names = meshes[safe: mesh].map(targetNames(of:)) ?? []
            for (t, drive) in columns.enumerated() where drive == nil {
                plan.report.unmatchedTargets.append("\(meshName)/\(t < names.count ? names[t] : "target\(t)")")
            }
        }
        return plan
    }

    /// A mesh's morph-target names, where exporters put them (the mesh's or its first primitive's extras).
    static func targetNames(of mesh: JSONValue) -> [String] {
        (mesh["extras"]?["targetNames"] ?? mesh["primitives"]?.arrayValue?.first?["extras"]?["targetNames"])?
            .arrayValue?.compactMap(\.stringValue) ?? []
    }
}
