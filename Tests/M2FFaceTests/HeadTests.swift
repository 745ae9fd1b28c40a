import Testing
import M2FFace

@Suite struct HeadTests {
    let rig = DefaultHead.shared

    func point(_ name: String, _ positions: [SIMD3<Float>]? = nil) -> SIMD3<Float> {
        (positions ?? rig.positions)[rig.landmarks[name]!]
    }

    func distance(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> Float { ((a - b) * (a - b)).sum().squareRoot() }

    @Test func sizeAndScaleAreHuman() {
        print("default head: \(rig.vertexCount) vertices, \(rig.triangles.count) triangles")
        #expect((5_000...30_000).contains(rig.vertexCount))
        let ys = rig.positions.map(\.y), xs = rig.positions.map(\.x)
        // Real-world metres: crown to chin about 0.23 m, head about 0.15 m wide.
        let crownToChin = ys.max()! - point("chin").y
        #expect(crownToChin > 0.19 && crownToChin < 0.27)
        #expect(xs.max()! - xs.min()! > 0.13 && xs.max()! - xs.min()! < 0.19)
        let mouthWidth = distance(point("mouthCornerLeft"), point("mouthCornerRight"))
        #expect(mouthWidth > 0.04 && mouthWidth < 0.06)
        #expect(point("noseTip").z > point("upperLip").z)
    }

    @Test func hasEveryPart() {
        let names = Set(rig.parts.map(\.name))
        for part in ["skin", "innerLips", "lidMargins", "eyeLeft", "eyeRight", "teethUpper", "teethLower", "gums", "tongue", "mouthCavity"] {
            #expect(names.contains(part), "missing part \(part)")
        }
        for part in rig.parts { #expect(!part.vertices.isEmpty && !part.triangles.isEmpty, "empty part \(part.name)") }
        #expect(rig.triangles.allSatisfy { Int($0.x) < rig.vertexCount && Int($0.y) < rig.vertexCount && Int($0.z) < rig.vertexCount })
    }

    @Test func everyShapeMovesSomething() {
        #expect(rig.blendshapes.count == 52)
        for shape in ARKit.all {
            let delta = rig.blendshapes[shape.index]
            let largest = delta.offsets.map { ($0 * $0).sum().squareRoot() }.max() ?? 0
            #expect(largest > 0.002, "\(shape.rawValue) moves at most \(largest * 1000) mm")
            #expect(largest < 0.06, "\(shape.rawValue) moves \(largest * 1000) mm")
        }
    }

    @Test func sidedShapesActOnTheirSide() {
        // Left is the face's own left, +X.
        for shape in ARKit.all where shape.side != 0 && shape != .jawLeft && shape != .jawRight && shape != .mouthLeft && shape != .mouthRight {
            let delta = rig.blendshapes[shape.index]
            var own: Float = 0, other: Float = 0
            for (i, index) in delta.indices.enumerated() {
                let moved = (delta.offsets[i] * delta.offsets[i]).sum().squareRoot()
                if rig.positions[Int(index)].x * Float(shape.side) > 0.002 { own += moved } else if rig.positions[Int(index)].x * Float(shape.side) < -0.01 { other += moved }
            }
            #expect(own > 10 * other, "\(shape.rawValue): \(own) on its side, \(other) on the other")
        }
        let left = rig.blendshapes[ARKitBlendshape.jawLeft.index].offsets.map(\.x).reduce(0, +)
        #expect(left > 0)
    }

    @Test func jawOpenOpensTheMouthAndBlinkClosesTheEyes() {
        var weights = [Float](repeating: 0, count: 52)
        weights[ARKitBlendshape.jawOpen.index] = 1
        let open = rig.deformed(weights: weights)
        let gap = distance(point("upperLip", open), point("lowerLip", open))
        #expect(gap > 0.018, "jawOpen parts the lips by \(gap * 1000) mm")
        weights = [Float](repeating: 0, count: 52)
        let restLid = distance(point("upperLidLeft"), point("lowerLidLeft"))
        #expect(restLid > 0.007, "open eye: \(restLid * 1000) mm between the lids")
        weights[ARKitBlendshape.eyeBlinkLeft.index] = 1
        let closed = rig.deformed(weights: weights)
        #expect(distance(point("upperLidLeft", closed), point("lowerLidLeft", closed)) < 0.0015)
        // The other eye stays open.
        #expect(distance(point("upperLidRight", closed), point("lowerLidRight", closed)) > 0.007)
        // mouthClose with jawOpen brings the lips back together.
        weights = [Float](repeating: 0, count: 52)
        weights[ARKitBlendshape.jawOpen.index] = 1
        weights[ARKitBlendshape.mouthClose.index] = 1
        let sealed = rig.deformed(weights: weights)
        #expect(distance(point("upperLip", sealed), point("lowerLip", sealed)) < 0.004)
    }

    @Test func regionsForMetrics() {
        #expect(rig.lipVertices.count > 200)
        #expect(rig.upperFaceVertices.count > 1000)
        #expect(Set(rig.lipVertices).isDisjoint(with: rig.upperFaceVertices))
        let lipY = rig.lipVertices.map { rig.positions[$0].y }
        #expect(lipY.max()! < rig.upperFaceVertices.map { rig.positions[$0].y }.min()!)
    }

    @Test func identityChangesShapeNotTopology() {
        let other = DefaultHead.build(identity: HeadIdentity(faceWidth: 1, jawLength: 1, noseSize: -1, lipThickness: 1, eyeSpacing: 1))
        #expect(other.vertexCount == rig.vertexCount)
        #expect(other.triangles == rig.triangles)
        #expect(other.landmarks == rig.landmarks)
        #expect(other.lipVertices.count > 0)
        let width = { (r: FaceRig) in r.positions[r.landmarks["mouthCornerLeft"]!].x - r.positions[r.landmarks["mouthCornerRight"]!].x }
        #expect(width(other) > width(rig) + 0.002)
        let eyes = { (r: FaceRig) in r.positions[r.landmarks["upperLidLeft"]!].x }
        #expect(eyes(other) > eyes(rig) + 0.001)
        let lowestChin = { (r: FaceRig) in r.positions.filter { abs($0.x) < 0.003 && $0.z > 0.065 }.map(\.y).min()! }
        #expect(lowestChin(other) < lowestChin(rig) - 0.003)
        #expect(HeadIdentity.random(seed: 3) == HeadIdentity.random(seed: 3))
    }
}
