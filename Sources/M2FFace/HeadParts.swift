import Foundation

/// Albedo colours of the default head (sRGB).
enum HeadColors {
    static let skin = SIMD3<Float>(0.86, 0.66, 0.55)
    static let cheek = SIMD3<Float>(0.87, 0.60, 0.52)
    static let lips = SIMD3<Float>(0.72, 0.34, 0.36)
    static let brows = SIMD3<Float>(0.22, 0.15, 0.10)
    static let hair = SIMD3<Float>(0.24, 0.16, 0.11)
    static let lashes = SIMD3<Float>(0.10, 0.07, 0.06)
    static let lidMargin = SIMD3<Float>(0.78, 0.52, 0.48)
    static let nostril = SIMD3<Float>(0.40, 0.22, 0.20)
    static let sclera = SIMD3<Float>(0.94, 0.92, 0.89)
    static let iris = SIMD3<Float>(0.40, 0.27, 0.15)
    static let irisRim = SIMD3<Float>(0.18, 0.12, 0.08)
    static let pupil = SIMD3<Float>(0.02, 0.02, 0.02)
    static let teeth = SIMD3<Float>(0.96, 0.94, 0.87)
    static let gums = SIMD3<Float>(0.82, 0.45, 0.45)
    static let tongue = SIMD3<Float>(0.82, 0.42, 0.42)
    static let cavity = SIMD3<Float>(0.32, 0.09, 0.09)
}

extension HeadBuilder {
    /// Eye-centred elevation of a point (about the eye on its side).
    func eyeElevation(_ p: SIMD3<Float>) -> Float {
        let e = shape.eyeCenter
        return atan2(p.y - e.y, p.z - e.z)
    }

    /// Lid membership and blink angles for skin vertices around the eyes.
    mutating func assignLids() {
        let columns = Self.columns
        for j in 0..<columns where eyeSpan[j] {
            let upperMargin = positions[vertex(row: eyeRow + 1, column: j)]
            let lowerMargin = positions[vertex(row: eyeRow, column: j)]
            let alphaUp = eyeElevation(upperMargin), alphaLow = eyeElevation(lowerMargin)
            let angle = max(0, alphaUp - alphaLow)
            for i in 0..<Self.rows {
                let v = vertex(row: i, column: j)
                let alpha = eyeElevation(positions[v])
                if i >= eyeRow + 1 {
                    info[v].upperLid = 1 - smoothstep(0.04, 0.75, alpha - alphaUp)
                } else {
                    info[v].lowerLid = 1 - smoothstep(0.04, 0.55, alphaLow - alpha)
                }
                info[v].blinkAngle = angle
                info[v].eye = columnU[j] > 0 ? 1 : -1
            }
        }
    }

    /// Paints the skin: lips, brows, hair, nostrils, lash line; raises the brows slightly.
    mutating func paintSkin() {
        let skin = parts[0]
        let normals = FaceRig.normalsOf(positions: positions, triangles: triangles)
        let w = shape.mouthHalfWidth
        for v in skin.vertices {
            let p = positions[v]
            let x = abs(p.x)
            var color = HeadColors.skin
            // Cheeks a little warmer.
            let cheek = exp(-((x - 0.045) * (x - 0.045) + (p.y - 0.060) * (p.y - 0.060)) / (2 * 0.014 * 0.014)) * smoothstep(0.03, 0.06, p.z)
            color = mix(color, HeadColors.cheek, cheek * 0.8)
            // Lips: the vermilion above and below the lip line, tapering to the corners.
            if x < w * 1.05, p.z > slitCenter.z - 0.03 {
                let taper = max(0, 1 - (x / w) * (x / w)).squareRoot()
                let bow = 1 + 0.18 * exp(-(x - 0.006) * (x - 0.006) / (2 * 0.003 * 0.003))  // Cupid's bow
                let up = (0.0068 * bow * taper + 0.0006) * shape.lipScale
                let down = (0.0082 * taper + 0.0006) * shape.lipScale
                let dy = p.y - shape.mouthY
                let lip: Float = info[v].lipSide > 0
                    ? 1 - smoothstep(up - 0.0012, up + 0.0012, dy)
                    : 1 - smoothstep(down - 0.0012, down + 0.0012, -dy)
                color = mix(color, HeadColors.lips, lip * smoothstep(w * 1.07, w * 0.93, x))
            }
            // Brows.
            if x > 0.010, x < 0.064, p.z > 0.04 {
                let s = (x - 0.012) / 0.050
                let browY: Float = 0.1215 + 0.0075 * sin(Float.pi * min(max(s, 0), 1) * 0.9) - 0.004 * max(0, s - 0.8) * 5
                let half = mix(0.0042, 0.0020, min(max(s, 0), 1))
                let brow = (1 - smoothstep(half * 0.7, half * 1.3, abs(p.y - browY)))
                    * smoothstep(0.010, 0.016, x) * (1 - smoothstep(0.058, 0.064, x))
                color = mix(color, HeadColors.brows, brow)
                positions[v] += normals[v] * 0.0012 * brow
            }
            // Hair: above a hairline that drops toward the back; ears stay skin.
            let hairline = mix(0.170, 0.065, smoothstep(0.07, -0.07, p.z)) - 0.025 * smoothstep(0.05, 0.072, x) * smoothstep(0.06, -0.02, p.z)
            let ear = x > 0.062 && abs(p.y - 0.088) < 0.032 && abs(p.z + 0.014) < 0.024
            if !ear {
                color = mix(color, HeadColors.hair, smoothstep(hairline - 0.004, hairline + 0.004, p.y))
            }
            // Nostrils: the underside of the nose wings.
            let nostril = exp(-((x - 0.0085) * (x - 0.0085) + (p.y - 0.0515) * (p.y - 0.0515) + (p.z - 0.104) * (p.z - 0.104)) / (2 * 0.0035 * 0.0035))
            color = mix(color, HeadColors.nostril, nostril * smoothstep(-0.2, -0.6, normals[v].y) * 0.95)
            colors[v] = color
        }
        // Lash line on the upper lid margin; the lip slit slightly darker.
        for j in 0..<Self.columns where eyeSpan[j] {
            colors[vertex(row: eyeRow + 1, column: j)] = HeadColors.lashes
            colors[vertex(row: eyeRow + 2, column: j)] = mix(colors[vertex(row: eyeRow + 2, column: j)], HeadColors.lashes, 0.6)
            colors[vertex(row: eyeRow, column: j)] = mix(HeadColors.lidMargin, HeadColors.lashes, 0.4)
        }
        // Soften the lip border: the grid is coarse next to a curved colour edge, so average the
        // colours around the mouth with their neighbours a few times (box-filtering the edge).
        var neighbours: [Int: Set<Int>] = [:]
        let mouthY = shape.mouthY, slitZ = slitCenter.z
        func nearMouth(_ p: SIMD3<Float>) -> Bool { abs(p.x) < w + 0.008 && abs(p.y - mouthY) < 0.016 && p.z > slitZ - 0.02 }
        for t in triangles {
            let corners = [Int(t.x), Int(t.y), Int(t.z)]
            for a in corners where nearMouth(positions[a]) {
                for b in corners where b != a { neighbours[a, default: []].insert(b) }
            }
        }
        for _ in 0..<1 {
            var smoothed = colors
            for (v, list) in neighbours {
                var sum = colors[v] * 2
                // In index order: a Set's order changes from run to run, and with it the float sum's last bit.
                for n in list.sorted() { sum += colors[n] }
                smoothed[v] = sum / Float(list.count + 2)
            }
            colors = smoothed
        }
        for j in 0..<Self.columns where mouthSpan[j] {
            for r in [mouthRow, mouthRow + 1] { colors[vertex(row: r, column: j)] *= 0.8 }
        }
    }

    /// Inner surfaces of both lips, running from the slit back toward the teeth.
    mutating func buildInnerLips() {
        let start = beginPart()
        let columns = Self.columns
        let spanColumns = (0..<columns).filter { mouthSpan[$0] }.sorted { columnU[$0] < columnU[$1] }
        let ordered = [spanColumns.first! - 1] + spanColumns + [spanColumns.last! + 1]
        for (side, row) in [(Float(1), mouthRow + 1), (Float(-1), mouthRow)] {
            let offsets: [SIMD2<Float>] = [SIMD2(0.0012, -0.0030), SIMD2(0.0038, -0.0055), SIMD2(0.0070, -0.0072), SIMD2(0.0105, -0.0078)]
            var rings: [[Int]] = []  // rings[k][c]
            var slit: [Int] = []
            for j in ordered { slit.append(vertex(row: row, column: j)) }
            rings.append(slit)
            for k in offsets.indices {
                var ring: [Int] = []
                for (c, j) in ordered.enumerated() {
                    let parent = slit[c]
                    if c == 0 || c == ordered.count - 1 { ring.append(parent); continue }
                    let p = positions[parent]
                    let taper = max(0, 1 - (p.x / shape.mouthHalfWidth) * (p.x / shape.mouthHalfWidth)).squareRoot()
                    let o = offsets[k] * SIMD2(side, 1) * taper * SIMD2(shape.lipScale, 1)
                    let q = p + SIMD3(0, o.x, o.y)
                    _ = j
                    // Region weights come from the inner vertex's own position (source -1 = itself).
                    ring.append(addVertex(q, mix(HeadColors.lips, HeadColors.cavity, Float(k) * 0.12),
                                          VertexInfo(kind: .innerLip, lipSide: side, source: -1)))
                }
                rings.append(ring)
            }
            for k in 0..<(rings.count - 1) {
                for c in 0..<(ordered.count - 1) {
                    let a = rings[k][c], b = rings[k][c + 1], cc = rings[k + 1][c + 1], d = rings[k + 1][c]
                    // Faces toward the opposite lip (and a little forward).
                    let outward = SIMD3<Float>(0, -side, 0.4)
                    addTriangle(a, b, cc, outward: outward)
                    addTriangle(a, cc, d, outward: outward)
                }
            }
        }
        endPart("innerLips", start, Material(specular: 0.25, shininess: 30))
    }

    /// Thin strips from the lid margins in to the eyeball, so the lids have thickness.
    mutating func buildLidMargins() {
        let start = beginPart()
        let columns = Self.columns
        for eyeSide: Float in [1, -1] {
            let spanColumns = (0..<columns).filter { eyeSpan[$0] && (columnU[$0] > 0) == (eyeSide > 0) }.sorted { columnU[$0] < columnU[$1] }
            let ordered = [spanColumns.first! - 1] + spanColumns + [spanColumns.last! + 1]
            let centre = shape.eyeCenter * SIMD3(eyeSide, 1, 1)
            for row in [eyeRow + 1, eyeRow] {
                var outer: [Int] = [], inner: [Int] = []
                for j in ordered {
                    let parent = vertex(row: row, column: j)
                    outer.append(parent)
                    let q = centre + normalize(positions[parent] - centre) * (shape.eyeRadius + 0.0004)
                    let color = row == eyeRow + 1 ? HeadColors.lashes : HeadColors.lidMargin
                    inner.append(addVertex(q, color, VertexInfo(kind: .lidMargin, lipSide: 1, source: parent, eye: eyeSide)))
                }
                for c in 0..<(ordered.count - 1) {
                    let mid = (positions[outer[c]] + positions[inner[c]]) / 2
                    let towardOpening = SIMD3<Float>(0, row == eyeRow ? 1 : -1, 0) + (centre + SIMD3(0, 0, shape.lidRadius) - mid) * 10
                    addTriangle(outer[c], outer[c + 1], inner[c + 1], outward: towardOpening)
                    addTriangle(outer[c], inner[c + 1], inner[c], outward: towardOpening)
                }
            }
        }
        endPart("lidMargins", start, Material(specular: 0.3, shininess: 30))
    }

    /// A UV sphere (pole along +Z) with per-ring radius and colour; returns the vertex of each (ring, segment).
    mutating func addSphere(center: SIMD3<Float>, radii: SIMD3<Float>, thetas: [Float], segments: Int,
                            radius: (Float) -> Float, color: (Float) -> SIMD3<Float>, info base: VertexInfo,
                            keep: (SIMD3<Float>) -> Bool = { _ in true }, inward: Bool = false) {
        var ringIndex: [[Int?]] = []
        for theta in thetas {
            var ring: [Int?] = []
            let count = (theta == 0 || abs(theta - .pi) < 1e-6) ? 1 : segments
            for s in 0..<count {
                let phi = 2 * Float.pi * Float(s) / Float(segments)
                let d = SIMD3<Float>(sin(theta) * cos(phi), sin(theta) * sin(phi), cos(theta))
                let p = center + d * radii * radius(theta)
                ring.append(keep(p) ? addVertex(p, color(theta), base) : nil)
            }
            ringIndex.append(ring)
        }
        for r in 0..<(thetas.count - 1) {
            let a = ringIndex[r], b = ringIndex[r + 1]
            for s in 0..<segments {
                let s1 = (s + 1) % segments
                let p0 = a[a.count == 1 ? 0 : s], p1 = a[a.count == 1 ? 0 : s1]
                let q0 = b[b.count == 1 ? 0 : s], q1 = b[b.count == 1 ? 0 : s1]
                for tri in [(p0, q0, q1), (p0, q1, p1)] {
                    guard let x = tri.0, let y = tri.1, let z = tri.2 else { continue }
                    let mid = (positions[x] + positions[y] + positions[z]) / 3
                    addTriangle(x, y, z, outward: inward ? center - mid : mid - center)
                }
            }
        }
    }

    mutating func buildEyes() {
        for eyeSide: Float in [1, -1] {
            let start = beginPart()
            let centre = shape.eyeCenter * SIMD3(eyeSide, 1, 1)
            let thetas: [Float] = [0, 0.10, 0.19, 0.215, 0.32, 0.44, 0.50, 0.535, 0.62, 0.80, 1.05, 1.35, 1.7, 2.1, 2.6, .pi]
            let r = shape.eyeRadius, bulge = shape.corneaHeight
            addSphere(center: centre, radii: SIMD3(repeating: 1), thetas: thetas, segments: 28,
                      radius: { theta in r + bulge * max(0, cos(min(theta / 0.56, 1) * .pi / 2)) },
                      color: { theta in
                          if theta < 0.2 { return HeadColors.pupil }
                          if theta < 0.52 { return mix(HeadColors.iris, HeadColors.irisRim, smoothstep(0.33, 0.51, theta)) }
                          return HeadColors.sclera
                      },
                      info: VertexInfo(kind: .eyeball, lipSide: 1, source: 0, eye: eyeSide))
            // Eyeballs use no skin weights.
            for v in start.0..<positions.count { info[v].source = v }
            endPart(eyeSide > 0 ? "eyeLeft" : "eyeRight", start, Material(specular: 0.8, shininess: 60))
        }
    }

    /// Upper and lower teeth along a parabolic arch, with gums.
    mutating func buildTeeth() {
        // (width along the arch, crown height, thickness at the edge, at the root) from the midline back.
        let teeth: [(Float, Float, Float, Float)] = [
            (0.0085, 0.0105, 0.0018, 0.0060), (0.0068, 0.0092, 0.0018, 0.0058), (0.0076, 0.0100, 0.0030, 0.0070),
            (0.0070, 0.0080, 0.0060, 0.0075), (0.0068, 0.0076, 0.0065, 0.0078), (0.0095, 0.0068, 0.0085, 0.0090),
        ]
        let curvature: Float = 24
        func archPoint(_ s: Float, front: Float) -> (SIMD2<Float>, SIMD2<Float>) {
            // Walk along z = front - c x² by arc length s (x ≥ 0); returns point (x, z) and outward normal.
            var x: Float = 0, travelled: Float = 0
            let dx: Float = 0.0002
            while travelled < s {
                let slope = 2 * curvature * x
                travelled += dx * (1 + slope * slope).squareRoot()
                x += dx
            }
            let slope = -2 * curvature * x
            let tangent = normalize2(SIMD2(1, slope))
            return (SIMD2(x, front - curvature * x * x), SIMD2(tangent.y * -1, tangent.x))
        }
        let upperFront = slitCenter.z - 0.0085
        let lowerFront = upperFront - 0.0022
        let upperEdge = slitCenter.y - 0.0013
        let lowerEdge = slitCenter.y + 0.0008
        for (name, jaw) in [("teethUpper", Float(1)), ("teethLower", Float(-1))] {
            let start = beginPart()
            let front = jaw > 0 ? upperFront : lowerFront
            let edge = jaw > 0 ? upperEdge : lowerEdge
            for side: Float in [1, -1] {
                var s: Float = 0
                for (k, tooth) in teeth.enumerated() {
                    let (width, heightUpper, edgeThick, rootThick) = tooth
                    let height = jaw > 0 ? heightUpper : heightUpper * 0.9
                    let w = jaw > 0 ? width : width * (k < 2 ? 0.72 : 1.0)
                    let a = s + w * 0.04, b = s + w * 0.96
                    s += w
                    var corners: [Int] = []
                    let centreArch = archPoint((a + b) / 2, front: front)
                    for sEnd in [a, b] {
                        let (point, normal) = archPoint(sEnd, front: front)
                        for level in [Float(0), 1] {  // 0 edge, 1 root
                            let thickness = mix(edgeThick, rootThick, level)
                            let y = edge + jaw * height * level
                            for depth in [Float(0), thickness] {
                                let xz = point - normal * depth
                                let p = SIMD3<Float>(xz.x * side, y, xz.y)
                                corners.append(addVertex(p, HeadColors.teeth, VertexInfo(kind: .teeth, lipSide: jaw, source: 0)))
                            }
                        }
                    }
                    // Box faces: corners indexed [end][level][depth].
                    func c(_ e: Int, _ l: Int, _ d: Int) -> Int { corners[e * 4 + l * 2 + d] }
                    let mid = SIMD3<Float>(centreArch.0.x * side, edge + jaw * height * 0.5, centreArch.0.y) - SIMD3(centreArch.1.x * side, 0, centreArch.1.y) * rootThick * 0.5
                    let quads = [[c(0, 0, 0), c(1, 0, 0), c(1, 1, 0), c(0, 1, 0)], [c(0, 0, 1), c(1, 0, 1), c(1, 1, 1), c(0, 1, 1)],
                                 [c(0, 0, 0), c(1, 0, 0), c(1, 0, 1), c(0, 0, 1)], [c(0, 1, 0), c(1, 1, 0), c(1, 1, 1), c(0, 1, 1)],
                                 [c(0, 0, 0), c(0, 1, 0), c(0, 1, 1), c(0, 0, 1)], [c(1, 0, 0), c(1, 1, 0), c(1, 1, 1), c(1, 0, 1)]]
                    for q in quads {
                        let centre = (positions[q[0]] + positions[q[1]] + positions[q[2]] + positions[q[3]]) / 4
                        addTriangle(q[0], q[1], q[2], outward: centre - mid)
                        addTriangle(q[0], q[2], q[3], outward: centre - mid)
                    }
                }
            }
            for v in start.0..<positions.count { info[v].source = v }
            endPart(name, start, Material(specular: 0.5, shininess: 40))
        }
        // Gums: a band along each arch at the tooth roots.
        let start = beginPart()
        for jaw: Float in [1, -1] {
            let front = jaw > 0 ? upperFront : lowerFront
            let rootY = (jaw > 0 ? upperEdge : lowerEdge) + jaw * (jaw > 0 ? 0.0095 : 0.0085)
            var rows: [[Int]] = [[], [], []]
            let samples = 24
            let total: Float = 0.046
            for n in -samples...samples {
                let s = total * Float(abs(n)) / Float(samples)
                let side: Float = n < 0 ? -1 : 1
                let (point, normal) = archPoint(s, front: front)
                let profile: [(Float, Float)] = [(-0.0012, -0.0004), (0.0030, 0.0008), (0.0075, 0.0002)]
                for (r, (up, out)) in profile.enumerated() {
                    let xz = point + normal * out
                    let p = SIMD3<Float>(xz.x * side, rootY + jaw * up, xz.y)
                    rows[r].append(addVertex(p, HeadColors.gums, VertexInfo(kind: .gums, lipSide: jaw, source: 0)))
                }
            }
            for r in 0..<2 {
                for c in 0..<(rows[r].count - 1) {
                    let a = rows[r][c], b = rows[r][c + 1], cc = rows[r + 1][c + 1], d = rows[r + 1][c]
                    let outward = SIMD3<Float>(positions[a].x, 0, positions[a].z - (front - 0.03))
                    addTriangle(a, b, cc, outward: outward)
                    addTriangle(a, cc, d, outward: outward)
                }
            }
        }
        for v in start.0..<positions.count { info[v].source = v }
        endPart("gums", start, Material(specular: 0.3, shininess: 30))
    }

    mutating func buildTongue() {
        let start = beginPart()
        let tip = slitCenter.z - 0.019
        let radii = SIMD3<Float>(0.019, 0.0072, 0.030)
        let centre = SIMD3<Float>(0, slitCenter.y - 0.0150, tip - radii.z)
        let thetas: [Float] = stride(from: 0, through: 12, by: 1).map { Float($0) / 12 * .pi }
        addSphere(center: centre, radii: radii, thetas: thetas, segments: 20,
                  radius: { _ in 1 }, color: { _ in HeadColors.tongue },
                  info: VertexInfo(kind: .tongue, lipSide: -1, source: 0))
        for v in start.0..<positions.count {
            info[v].source = v
            // Flatten the underside and round the back into the throat.
            if positions[v].y < centre.y { positions[v].y = mix(positions[v].y, centre.y - 0.003, 0.6) }
        }
        endPart("tongue", start, Material(specular: 0.45, shininess: 35))
    }

    mutating func buildCavity() {
        let start = beginPart()
        let centre = SIMD3<Float>(0, slitCenter.y - 0.004, slitCenter.z - 0.042)
        let cut = slitCenter.z - 0.010
        let thetas: [Float] = stride(from: 0, through: 14, by: 1).map { Float($0) / 14 * .pi }
        addSphere(center: centre, radii: SIMD3(0.027, 0.021, 0.036), thetas: thetas, segments: 24,
                  radius: { _ in 1 }, color: { _ in HeadColors.cavity },
                  info: VertexInfo(kind: .cavity, lipSide: 1, source: 0), keep: { $0.z < cut }, inward: true)
        for v in start.0..<positions.count {
            info[v].source = v
            info[v].lipSide = positions[v].y > slitCenter.y - 0.002 ? 1 : -1
        }
        endPart("mouthCavity", start, Material(specular: 0.1, shininess: 10))
    }
}

@inline(__always) func normalize2(_ v: SIMD2<Float>) -> SIMD2<Float> {
    let l = (v * v).sum().squareRoot()
    return l > 0 ? v / l : v
}

extension FaceRig {
    /// Area-weighted vertex normals for any positions and triangles.
    static func normalsOf(positions: [SIMD3<Float>], triangles: [SIMD3<UInt32>]) -> [SIMD3<Float>] {
        var normals = [SIMD3<Float>](repeating: .zero, count: positions.count)
        for t in triangles {
            let a = Int(t.x), b = Int(t.y), c = Int(t.z)
            let face = cross(positions[b] - positions[a], positions[c] - positions[a])
            normals[a] += face; normals[b] += face; normals[c] += face
        }
        return normals.map { length($0) > 1e-20 ? normalize($0) : SIMD3(0, 0, 1) }
    }
}
