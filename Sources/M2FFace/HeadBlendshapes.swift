import Foundation

/// The 52 ARKit blendshapes of the default head, authored procedurally: each is a deformation of
/// the neutral mesh (jaw rotation about the hinge, lid rotation about the eyeball centre, eyeball
/// rotation, corner pulls, lip rolls, pushes along the normal) weighted by smooth region masks.
extension HeadBuilder {
    /// Per-vertex region weights, computed once from the neutral mesh.
    struct Regions {
        var jaw: [Float] = []
        var upperLip: [Float] = []  // the upper lip skin, slit to nose
        var lowerLip: [Float] = []  // the lower lip skin, slit to the chin crease
        var upperRed: [Float] = []  // the upper vermilion (and inner lip)
        var lowerRed: [Float] = []
        var normals: [SIMD3<Float>] = []
    }

    func regions() -> Regions {
        var r = Regions()
        let count = positions.count
        let normals = FaceRig.normalsOf(positions: positions, triangles: triangles)
        let w = shape.mouthHalfWidth, ym = shape.mouthY, zm = slitCenter.z
        r.jaw = [Float](repeating: 0, count: count)
        r.upperLip = r.jaw; r.lowerLip = r.jaw; r.upperRed = r.jaw; r.lowerRed = r.jaw
        r.normals = [SIMD3<Float>](repeating: SIMD3(0, 0, 1), count: count)
        for v in 0..<count {
            let vi = info[v]
            let source = vi.source
            let p = positions[source]
            let x = abs(p.x)
            r.normals[v] = normals[source]
            switch vi.kind {
            case .eyeball, .lidMargin:
                continue
            case .teeth, .gums, .tongue:
                r.jaw[v] = vi.lipSide < 0 ? 1 : 0
                continue
            case .cavity:
                r.jaw[v] = smoothstep(ym + 0.004, ym - 0.012, positions[v].y)
                continue
            case .skin, .innerLip:
                break
            }
            let side = vi.lipSide
            // Jaw: a hard cut along the slit, a soft band beside the mouth widening over the cheeks.
            let d = ym - p.y
            let band: Float = 0.008 + 0.026 * smoothstep(0.012, 0.050, x)
            let soft = smoothstep(-band, band, d)
            let cut = 1 - smoothstep(0.5 * w, 1.02 * w, x)
            let hard: Float = side < 0 ? 1 : (side > 0 ? 0 : soft)
            var jaw = cut * hard + (1 - cut) * soft
            jaw *= smoothstep(-0.035, 0.012, p.z)  // nothing behind the jaw joint
            jaw *= smoothstep(-0.085, -0.030, p.y) // the throat stays
            r.jaw[v] = jaw
            // Lips.
            let lateral = 1 - smoothstep(w - 0.004, w + 0.012, x)
            let front = smoothstep(zm - 0.032, zm - 0.016, p.z)
            if side > 0 {
                r.upperLip[v] = (1 - smoothstep(0.004, 0.017, p.y - ym)) * lateral * front
                r.upperRed[v] = (1 - smoothstep(0.005, 0.010, p.y - ym)) * lateral * front
            } else if side < 0 {
                r.lowerLip[v] = (1 - smoothstep(0.006, 0.021, ym - p.y)) * lateral * front
                r.lowerRed[v] = (1 - smoothstep(0.006, 0.012, ym - p.y)) * lateral * front
            } else {
                // The lip line beside the corners belongs to both lips.
                r.upperLip[v] = 0.5 * lateral * front
                r.lowerLip[v] = 0.5 * lateral * front
            }
        }
        return r
    }

    func authorBlendshapes() -> [SparseDelta] {
        let r = regions()
        return ARKit.all.map { shape in
            var indices: [UInt32] = [], offsets: [SIMD3<Float>] = []
            for v in positions.indices {
                let delta = offset(of: shape, vertex: v, regions: r)
                if length(delta) > 1e-7 {
                    indices.append(UInt32(v))
                    offsets.append(delta)
                }
            }
            return SparseDelta(indices: indices, offsets: offsets)
        }
    }

    @inline(__always) func gauss(_ p: SIMD3<Float>, _ c: SIMD3<Float>, _ sigma: Float) -> Float {
        let d = p - c
        return exp(-dot(d, d) / (2 * sigma * sigma))
    }

    /// The offset of vertex v in `shape` at weight 1.
    func offset(of shape: ARKitBlendshape, vertex v: Int, regions r: Regions) -> SIMD3<Float> {
        let vi = info[v]
        let p = positions[v]
        let source = positions[vi.source]
        let s = Float(shape.side)  // +1 the face's left (+X), -1 its right
        let head = self.shape
        let ym = head.mouthY, zm = slitCenter.z
        // Which half of the face a vertex is on, with a soft midline.
        let onSide = s == 0 ? 1 : smoothstep(-0.004, 0.008, s * source.x)
        let corner = SIMD3<Float>(s * abs(lipCorner.x), lipCorner.y, lipCorner.z)
        let isFace = vi.kind == .skin || vi.kind == .innerLip
        let lips = r.upperLip[v] + r.lowerLip[v]
        let xAxis = SIMD3<Float>(1, 0, 0), yAxis = SIMD3<Float>(0, 1, 0)
        func jawRotation(_ amount: Float) -> SIMD3<Float> {
            rotate(p, about: head.hinge, axis: xAxis, angle: head.jawOpenAngle * amount * r.jaw[v]) - p
        }
        /// Lid rotation about the eyeball centre: `upper`/`lower` are fractions of the lid gap.
        func lids(upper: Float, lower: Float) -> SIMD3<Float> {
            guard vi.kind == .skin || vi.kind == .lidMargin else { return .zero }
            let sourceInfo = info[vi.source]
            guard sourceInfo.eye == s, sourceInfo.blinkAngle > 0 else { return .zero }
            let angle = sourceInfo.blinkAngle * (upper * sourceInfo.upperLid - lower * sourceInfo.lowerLid)
            if angle == 0 { return .zero }
            let centre = head.eyeCenter * SIMD3(s, 1, 1)
            return rotate(p, about: centre, axis: xAxis, angle: angle) - p
        }
        func eyeball(pitch: Float, yaw: Float) -> SIMD3<Float> {
            guard vi.kind == .eyeball, vi.eye == s else { return .zero }
            let centre = head.eyeCenter * SIMD3(s, 1, 1)
            var q = rotate(p, about: centre, axis: xAxis, angle: pitch)
            q = rotate(q, about: centre, axis: yAxis, angle: yaw)
            return q - p
        }

        switch shape {
        // MARK: Jaw
        case .jawOpen:
            // The lower lip falls a little more than the jaw, showing the lower incisors' edges.
            // Opening also narrows the mouth: the corners come in and the upper lip lifts a little.
            guard isFace else { return jawRotation(1) }
            let dx = source.x / 0.030, dy = (source.y - ym) / 0.020
            let around = exp(-(dx * dx + dy * dy)) * smoothstep(zm - 0.05, zm - 0.02, source.z)
            let centre = max(0, 1 - (source.x / head.mouthHalfWidth) * (source.x / head.mouthHalfWidth))
            return jawRotation(1) + SIMD3(0, -0.0022, -0.0008) * r.lowerRed[v]
                + SIMD3(-0.14 * source.x, 0, 0) * around + SIMD3(0, 0.0018 * centre, 0) * r.upperRed[v]
        case .jawForward:
            return SIMD3(0, 0, 0.0075) * r.jaw[v]
        case .jawLeft, .jawRight:
            return SIMD3(0.012 * s, 0, 0) * r.jaw[v]

        // MARK: Lips
        case .mouthClose:
            // Seals the lips while the jaw is open: the lower lip undoes the jaw's drop.
            guard isFace else { return .zero }
            let lower = r.lowerLip[v] * (vi.kind == .innerLip ? 1 : smoothstep(0.0, 0.5, r.lowerLip[v]))
            return -jawRotation(1) * lower + SIMD3(0, -0.0012, 0.0005) * r.upperRed[v]
        case .mouthFunnel:
            guard isFace || vi.kind == .teeth || vi.kind == .tongue || vi.kind == .gums || vi.kind == .cavity else { return .zero }
            let centre = max(0, 1 - (source.x / head.mouthHalfWidth) * (source.x / head.mouthHalfWidth))
            var d = jawRotation(0.18)
            guard isFace else { return d }
            let region = max(lips, 0.5 * gauss(source, SIMD3(0, ym, zm), 0.016))
            d += SIMD3(-0.30 * source.x, 0, 0.0065) * region
            d += SIMD3(0, 0.0036 * centre, 0.0012) * r.upperLip[v]
            d += SIMD3(0, -0.0040 * centre, 0.0012) * r.lowerLip[v]
            return d
        case .mouthPucker:
            guard isFace else { return .zero }
            let region = max(lips, gauss(source, SIMD3(0, ym, zm), 0.015))
            var d = SIMD3<Float>(-0.42 * source.x, 0, 0.0085) * region
            d += SIMD3(0, -0.0012, 0.001) * r.upperRed[v] + SIMD3(0, 0.0012, 0.001) * r.lowerRed[v]
            return d
        case .mouthLeft, .mouthRight:
            guard isFace else { return .zero }
            let dx = source.x / 0.030, dy = (source.y - ym) / 0.022
            let region = exp(-(dx * dx + dy * dy)) * smoothstep(zm - 0.05, zm - 0.02, source.z)
            return SIMD3(0.010 * s, 0, -0.002 * abs(source.x) / 0.03) * region
        case .mouthSmileLeft, .mouthSmileRight:
            guard isFace else { return .zero }
            let pull = gauss(source, corner, 0.013)
            let cheek = gauss(source, SIMD3(s * 0.040, 0.062, 0.075), 0.014)
            return SIMD3(0.0065 * s, 0.0085, -0.0045) * pull + (SIMD3(0, 0.0035, 0) + r.normals[v] * 0.0025) * cheek
        case .mouthFrownLeft, .mouthFrownRight:
            guard isFace else { return .zero }
            return SIMD3(0.0015 * s, -0.0075, -0.001) * gauss(source, corner, 0.012)
        case .mouthDimpleLeft, .mouthDimpleRight:
            guard isFace else { return .zero }
            return SIMD3(0.0060 * s, 0.0008, -0.0085) * gauss(source, corner, 0.011)
        case .mouthStretchLeft, .mouthStretchRight:
            guard isFace else { return .zero }
            let pull = gauss(source, corner, 0.017)
            return SIMD3(0.011 * s, -0.006, -0.003) * pull + SIMD3(0.004 * s, -0.003, 0) * r.lowerLip[v] * onSide
        case .mouthRollLower:
            guard isFace else { return .zero }
            let axisPoint = SIMD3<Float>(0, ym - 0.004, zm - 0.011)
            return rotate(p, about: axisPoint, axis: xAxis, angle: -0.75 * r.lowerLip[v]) - p + SIMD3(0, 0.0008, -0.001) * r.lowerLip[v]
        case .mouthRollUpper:
            guard isFace else { return .zero }
            let axisPoint = SIMD3<Float>(0, ym + 0.004, zm - 0.011)
            return rotate(p, about: axisPoint, axis: xAxis, angle: 0.75 * r.upperLip[v]) - p + SIMD3(0, -0.0008, -0.001) * r.upperLip[v]
        case .mouthShrugLower:
            guard isFace else { return .zero }
            let chin = gauss(source, SIMD3(0, -0.004 - head.chinDrop, 0.090), 0.014)
            return SIMD3(0, 0.0035, 0.0025) * r.lowerLip[v] + SIMD3(0, 0.003, 0.0025) * chin
        case .mouthShrugUpper:
            guard isFace else { return .zero }
            return SIMD3(0, 0.0032, 0.0022) * r.upperLip[v]
        case .mouthPressLeft, .mouthPressRight:
            guard isFace else { return .zero }
            let upper = rotate(p, about: SIMD3(0, ym + 0.005, zm - 0.008), axis: xAxis, angle: 0.4 * r.upperRed[v]) - p
            let lower = rotate(p, about: SIMD3(0, ym - 0.006, zm - 0.008), axis: xAxis, angle: -0.4 * r.lowerRed[v]) - p
            return (upper + lower + SIMD3(0.0015 * s, 0, -0.001) * lips) * onSide
        case .mouthLowerDownLeft, .mouthLowerDownRight:
            guard isFace else { return .zero }
            let dx = (source.x - s * 0.011) / 0.013
            return SIMD3(0.001 * s, -0.0068, 0.0008) * r.lowerLip[v] * exp(-dx * dx)
        case .mouthUpperUpLeft, .mouthUpperUpRight:
            guard isFace else { return .zero }
            let dx = (source.x - s * 0.011) / 0.013
            let nose = gauss(source, SIMD3(s * 0.013, 0.056, 0.097), 0.008)
            return SIMD3(0.0005 * s, 0.0068, 0.0008) * r.upperLip[v] * exp(-dx * dx) + SIMD3(0, 0.002, 0) * nose

        // MARK: Nose and cheeks
        case .noseSneerLeft, .noseSneerRight:
            guard isFace else { return .zero }
            let wing = gauss(source, SIMD3(s * 0.014, 0.060, 0.096), 0.009)
            let bridge = gauss(source, SIMD3(s * 0.010, 0.082, 0.098), 0.008)
            let brow = gauss(source, SIMD3(s * 0.016, 0.118, 0.088), 0.010)
            return SIMD3(0.001 * s, 0.0085, 0.0010) * wing + SIMD3(-0.0015 * s, 0.0035, -0.002) * bridge
                + SIMD3(0, -0.003, 0) * brow + SIMD3(0, 0.0025, 0) * r.upperLip[v] * onSide
        case .cheekPuff:
            guard vi.kind == .skin else { return .zero }
            let left = gauss(source, SIMD3(0.040, 0.042, 0.064), 0.019)
            let right = gauss(source, SIMD3(-0.040, 0.042, 0.064), 0.019)
            return r.normals[v] * 0.016 * (left + right) + SIMD3(0, 0, 0.0015) * lips
        case .cheekSquintLeft, .cheekSquintRight:
            let cheek = isFace ? gauss(source, SIMD3(s * 0.038, 0.074, 0.074), 0.012) : 0
            return SIMD3(0, 0.0065, 0.0015) * cheek + r.normals[v] * 0.002 * cheek + lids(upper: 0, lower: 0.30)

        // MARK: Brows
        case .browInnerUp:
            guard vi.kind == .skin else { return .zero }
            let left = gauss(source, SIMD3(0.016, 0.123, 0.088), 0.015)
            let right = gauss(source, SIMD3(-0.016, 0.123, 0.088), 0.015)
            return SIMD3(0, 0.0110, -0.0020) * max(left, right)
        case .browDownLeft, .browDownRight:
            let brow = vi.kind == .skin ? gauss(source, SIMD3(s * 0.028, 0.124, 0.085), 0.016) : 0
            let medial = vi.kind == .skin ? gauss(source, SIMD3(s * 0.014, 0.118, 0.092), 0.009) : 0
            return SIMD3(-0.0025 * s, -0.0055, 0.001) * brow + SIMD3(-0.0015 * s, -0.001, -0.001) * medial + lids(upper: 0.12, lower: 0)
        case .browOuterUpLeft, .browOuterUpRight:
            guard vi.kind == .skin else { return .zero }
            return SIMD3(0, 0.0100, -0.0020) * gauss(source, SIMD3(s * 0.047, 0.124, 0.072), 0.015)

        // MARK: Eyes
        case .eyeBlinkLeft, .eyeBlinkRight:
            return lids(upper: 0.76, lower: 0.24)
        case .eyeSquintLeft, .eyeSquintRight:
            let cheek = vi.kind == .skin ? gauss(source, SIMD3(s * 0.034, 0.082, 0.080), 0.010) : 0
            return lids(upper: 0.10, lower: 0.38) + SIMD3(0, 0.0015, 0.0005) * cheek
        case .eyeWideLeft, .eyeWideRight:
            let brow = vi.kind == .skin ? gauss(source, SIMD3(s * 0.032, 0.124, 0.082), 0.016) : 0
            return lids(upper: -0.30, lower: -0.08) + SIMD3(0, 0.002, 0) * brow
        case .eyeLookUpLeft, .eyeLookUpRight:
            return eyeball(pitch: -0.36, yaw: 0) + lids(upper: -0.12, lower: -0.05)
        case .eyeLookDownLeft, .eyeLookDownRight:
            return eyeball(pitch: 0.40, yaw: 0) + lids(upper: 0.32, lower: 0.06)
        case .eyeLookInLeft, .eyeLookInRight:
            return eyeball(pitch: 0, yaw: -0.45 * s)
        case .eyeLookOutLeft, .eyeLookOutRight:
            return eyeball(pitch: 0, yaw: 0.45 * s)

        // MARK: Tongue
        case .tongueOut:
            var d = jawRotation(0.45)
            if vi.kind == .tongue {
                let tipZ = slitCenter.z - 0.019
                let reach = smoothstep(tipZ - 0.055, tipZ, p.z)
                d += SIMD3(0, 0.002 * reach, 0.046 * reach) + SIMD3(-0.2 * p.x * reach, 0, 0)
            }
            if isFace { d += SIMD3(0, -0.003, 0.001) * r.lowerLip[v] }
            _ = zm
            return d
        }
    }
}

extension HeadBuilder {
    func landmarks() -> [String: Int] {
        let columns = Self.columns, centre = columns / 2
        var marks: [String: Int] = [
            "upperLip": vertex(row: mouthRow + 1, column: centre),
            "lowerLip": vertex(row: mouthRow, column: centre),
        ]
        let corner = (centre..<columns).first { !mouthSpan[$0] }!
        marks["mouthCornerLeft"] = vertex(row: mouthRow, column: corner)
        marks["mouthCornerRight"] = vertex(row: mouthRow, column: columns - corner)
        for (side, name) in [(Float(1), "Left"), (Float(-1), "Right")] {
            // The lid column closest to the pupil.
            let pupilX = side * shape.eyeCenter.x
            let column = (0..<columns).filter { eyeSpan[$0] && (columnU[$0] > 0) == (side > 0) }
                .min { abs(positions[vertex(row: eyeRow, column: $0)].x - pupilX) < abs(positions[vertex(row: eyeRow, column: $1)].x - pupilX) }!
            marks["upperLid" + name] = vertex(row: eyeRow + 1, column: column)
            marks["lowerLid" + name] = vertex(row: eyeRow, column: column)
        }
        let skin = parts[0].vertices
        marks["noseTip"] = skin.max { positions[$0].z < positions[$1].z }!
        marks["chin"] = skin.filter { abs(positions[$0].x) < 0.003 && positions[$0].y < shape.mouthY - 0.02 && positions[$0].y > -0.05 }
            .max { positions[$0].z < positions[$1].z }!
        return marks
    }

    func lipRegion() -> [Int] {
        parts[0].vertices.filter { v in
            let p = positions[v]
            return abs(p.x) < shape.mouthHalfWidth + 0.006 && abs(p.y - shape.mouthY) < 0.016 && p.z > slitCenter.z - 0.02
        }
    }

    func upperFaceRegion() -> [Int] {
        parts[0].vertices.filter { v in
            let p = positions[v]
            return p.y > shape.mouthY + 0.022 && p.y < 0.165 && p.z > 0.03 && abs(p.x) < 0.065
        }
    }
}
