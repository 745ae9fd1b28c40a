import Foundation

/// What the blendshape authoring needs to know about each vertex of the default head.
struct VertexInfo {
    enum Kind: Int { case skin, innerLip, lidMargin, eyeball, teeth, gums, tongue, cavity }
    var kind: Kind
    /// +1 above the mouth (moves with the skull), -1 below (moves with the jaw), 0 on the lip line
    /// beside the mouth.
    var lipSide: Float
    /// The skin vertex whose region weights this vertex uses (itself for skin).
    var source: Int
    /// +1 left eye side (+X), -1 right, 0 neither (for eyeballs and lids).
    var eye: Float = 0
    /// Lid membership in [0, 1] and the lid's closing angle for blinks (radians).
    var upperLid: Float = 0
    var lowerLid: Float = 0
    var blinkAngle: Float = 0
    var row = -1
    var column = -1
}

/// Builds the default head: skin grid from the implicit surface, lips, eyes, teeth, tongue, mouth.
struct HeadBuilder {
    let shape: HeadShape
    static let columns = 168
    static let rows = 136

    var positions: [SIMD3<Float>] = []
    var colors: [SIMD3<Float>] = []
    var triangles: [SIMD3<UInt32>] = []
    var parts: [MeshPart] = []
    var info: [VertexInfo] = []

    // Grid bookkeeping, filled by buildSkin.
    var gridIndex: [Int] = []  // rows × columns → vertex
    var columnU: [Float] = []
    var mouthRow = 0  // the lower copy of the lip line; mouthRow + 1 is the upper copy
    var eyeRow = 0  // the lower lid margin; eyeRow + 1 is the upper
    var mouthSpan: [Bool] = []  // per column: inside the lip slit
    var eyeSpan: [Bool] = []  // per column: inside an eye opening
    var slitCenter = SIMD3<Float>.zero  // lip contact point on the midline
    var lipCorner = SIMD3<Float>.zero  // left lip corner (+X)

    init(identity: HeadIdentity) { shape = HeadShape(identity: identity) }

    mutating func addVertex(_ p: SIMD3<Float>, _ color: SIMD3<Float>, _ vertexInfo: VertexInfo) -> Int {
        positions.append(p)
        colors.append(color)
        var v = vertexInfo
        if v.source < 0 { v.source = positions.count - 1 }
        info.append(v)
        return positions.count - 1
    }

    mutating func beginPart() -> (Int, Int) { (positions.count, triangles.count) }

    mutating func endPart(_ name: String, _ start: (Int, Int), _ material: Material) {
        parts.append(MeshPart(name: name, vertices: start.0..<positions.count, triangles: start.1..<triangles.count, material: material))
    }

    /// Adds a triangle, dropping degenerate ones, wound so its normal points along `outward`.
    mutating func addTriangle(_ a: Int, _ b: Int, _ c: Int, outward: SIMD3<Float>) {
        if a == b || b == c || a == c { return }
        let n = cross(positions[b] - positions[a], positions[c] - positions[a])
        if dot(n, outward) >= 0 {
            triangles.append(SIMD3(UInt32(a), UInt32(b), UInt32(c)))
        } else {
            triangles.append(SIMD3(UInt32(a), UInt32(c), UInt32(b)))
        }
    }

    // MARK: Skin

    /// Base elevation of each row: denser over the face (chin to brow).
    static func baseRowPhis() -> [Float] {
        let phiMin: Float = -1.45, phiMax: Float = 1.50
        let samples = 4000
        var cumulative = [Float](repeating: 0, count: samples + 1)
        for s in 1...samples {
            let phi = phiMin + (phiMax - phiMin) * (Float(s) - 0.5) / Float(samples)
            let face = smoothstep(-1.0, -0.8, phi) * (1 - smoothstep(0.75, 0.95, phi))
            cumulative[s] = cumulative[s - 1] + 1 + 1.25 * face
        }
        var phis: [Float] = []
        var s = 0
        for i in 0..<rows {
            let target = cumulative[samples] * Float(i) / Float(rows - 1)
            while s < samples, cumulative[s + 1] < target { s += 1 }
            let span = cumulative[min(s + 1, samples)] - cumulative[s]
            let fraction = span > 0 ? (target - cumulative[s]) / span : 0
            phis.append(phiMin + (phiMax - phiMin) * (Float(s) + fraction) / Float(samples))
        }
        return phis
    }

    /// Re-spaces rows around a pair (c, c+1) so that they sit at lo and hi.
    static func pinRows(_ phis: inout [Float], base: [Float], pair c: Int, lo: Float, hi: Float, band k: Int) {
        for i in (c - k)...c {
            phis[i] = mix(base[c - k], lo, Float(i - (c - k)) / Float(k))
        }
        for i in (c + 1)...(c + 1 + k) {
            phis[i] = mix(hi, base[c + 1 + k], Float(i - (c + 1)) / Float(k))
        }
    }

    /// The eye opening of the left eye in ray angles: canthi and lid apexes.
    struct EyeOpening {
        var uMedial: Float, phiMedial: Float, uLateral: Float, phiLateral: Float
        var upHeight: Float, lowHeight: Float

        /// (lower margin, upper margin) elevations at |u|, or nil outside the opening.
        func margins(_ u: Float) -> (Float, Float)? {
            guard u > uMedial, u < uLateral else { return nil }
            let s = (u - uMedial) / (uLateral - uMedial)
            let t = 2 * s - 1
            let centre = mix(phiMedial, phiLateral, s)
            let bulge = max(0, 1 - t * t)
            return (centre - lowHeight * pow(bulge, 0.65), centre + upHeight * pow(bulge, 0.55))
        }

        /// Elevation of the merged margin rows outside the opening.
        func closedPhi(_ u: Float) -> Float { u <= uMedial ? phiMedial : phiLateral }
    }

    static func eyeOpening(_ shape: HeadShape) -> EyeOpening {
        let medial = shape.angles(of: shape.lidPoint(beta: -0.95, alpha: -0.03))
        let lateral = shape.angles(of: shape.lidPoint(beta: 1.15, alpha: 0.06))
        let upper = shape.angles(of: shape.lidPoint(beta: 0.12, alpha: 0.33))
        let lower = shape.angles(of: shape.lidPoint(beta: 0.18, alpha: -0.41))
        func centre(_ u: Float) -> Float { mix(medial.phi, lateral.phi, (u - medial.u) / (lateral.u - medial.u)) }
        return EyeOpening(uMedial: medial.u, phiMedial: medial.phi, uLateral: lateral.u, phiLateral: lateral.phi,
                          upHeight: upper.phi - centre(upper.u), lowHeight: centre(lower.u) - lower.phi)
    }

    /// Where the lip slit and the eye openings sit in the grid. Fixed by the default head, so that
    /// every identity has the same topology; identities warp the column angles to fit (see buildSkin).
    struct SkinLayout: Sendable {
        var columnU: [Float]
        var mouthRow: Int, eyeRow: Int
        var mouthSpan: [Bool], eyeSpan: [Bool]
        /// |u| of the lip corner and of the eye's canthi.
        var cornerU: Float, medialU: Float, lateralU: Float

        static let reference = SkinLayout(shape: HeadShape(identity: .neutral))

        init(shape: HeadShape) {
            let columns = HeadBuilder.columns
            columnU = (0..<columns).map { j in
                let s = -Float.pi + 2 * Float.pi * Float(j) / Float(columns)
                return s - 0.55 * sin(s)
            }
            let base = HeadBuilder.baseRowPhis()
            let eye = HeadBuilder.eyeOpening(shape)
            let phiMouthCentre = shape.angles(of: SIMD3(0, shape.mouthY, shape.lipArchZ(0))).phi
            mouthRow = base.indices.min { abs(base[$0] - phiMouthCentre) < abs(base[$1] - phiMouthCentre) }!
            let eyeMid = (eye.phiMedial + eye.phiLateral) / 2
            eyeRow = base.indices.min { abs(base[$0] - eyeMid) < abs(base[$1] - eyeMid) }!
            cornerU = HeadBuilder.mouthCornerU(shape)
            medialU = eye.uMedial
            lateralU = eye.uLateral
            let corner = cornerU
            mouthSpan = columnU.map { abs($0) < corner }
            eyeSpan = columnU.map { eye.margins(abs($0)) != nil }
        }
    }

    /// The lip line's elevation at azimuth u (it lands at mouthY) and the x where it meets the skin.
    static func mouthLine(_ shape: HeadShape, u: Float) -> (phi: Float, x: Float) {
        var phi = shape.angles(of: SIMD3(0, shape.mouthY, shape.lipArchZ(0))).phi
        var x: Float = 0
        for _ in 0..<3 {
            let d = shape.direction(u: u, phi: phi)
            let hit = shape.rayOrigin + d * shape.castRay(d)
            let horizontal = ((hit.x - shape.rayOrigin.x) * (hit.x - shape.rayOrigin.x)
                + (hit.z - shape.rayOrigin.z) * (hit.z - shape.rayOrigin.z)).squareRoot()
            phi = atan2(shape.mouthY - shape.rayOrigin.y, horizontal)
            x = hit.x
        }
        return (phi, x)
    }

    /// |u| at which the lip line reaches 97 % of the mouth half-width (bisection).
    static func mouthCornerU(_ shape: HeadShape) -> Float {
        var lo: Float = 0.05, hi: Float = 0.8
        for _ in 0..<20 {
            let mid = (lo + hi) / 2
            if abs(mouthLine(shape, u: mid).x) < shape.mouthHalfWidth * 0.97 { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    /// Piecewise-linear, odd, monotone map of |u| through matching knots.
    static func warp(_ u: Float, from: [Float], to: [Float]) -> Float {
        let a = abs(u)
        var k = 0
        while k < from.count - 2, a > from[k + 1] { k += 1 }
        let t = (a - from[k]) / (from[k + 1] - from[k])
        let mapped = to[k] + (to[k + 1] - to[k]) * t
        return u < 0 ? -mapped : mapped
    }

    mutating func buildSkin() {
        let columns = Self.columns, rows = Self.rows
        let start = beginPart()
        let layout = SkinLayout.reference
        columnU = layout.columnU
        mouthRow = layout.mouthRow
        eyeRow = layout.eyeRow
        mouthSpan = layout.mouthSpan
        eyeSpan = layout.eyeSpan
        let base = Self.baseRowPhis()
        let eye = Self.eyeOpening(shape)
        // This identity's corner and canthi land on the same columns as the default head's.
        let cornerU = shape.identity == .neutral ? layout.cornerU : Self.mouthCornerU(shape)
        func mouthU(_ u: Float) -> Float { Self.warp(u, from: [0, layout.cornerU, .pi], to: [0, cornerU, .pi]) }
        func eyeU(_ u: Float) -> Float {
            Self.warp(u, from: [0, layout.medialU, layout.lateralU, .pi], to: [0, eye.uMedial, eye.uLateral, .pi])
        }
        let mouthRowPhi = base[mouthRow], eyeRowPhi = base[eyeRow]
        func columnAngle(row i: Int, column j: Int) -> Float {
            let b = smoothstep(mouthRowPhi, eyeRowPhi, base[min(max(i, 0), rows - 1)])
            return mix(mouthU(columnU[j]), eyeU(columnU[j]), b)
        }

        // The lip line: per column, the elevation that lands at mouthY; beside the mouth the merged
        // lip-line rows keep the corner's elevation.
        let centreColumn = columns / 2
        let cornerColumn = (centreColumn..<columns).first { !mouthSpan[$0] }!
        let cornerPhi = Self.mouthLine(shape, u: mouthU(columnU[cornerColumn])).phi
        var mouthPhi = [Float](repeating: cornerPhi, count: columns)
        for j in 0..<columns where mouthSpan[j] { mouthPhi[j] = Self.mouthLine(shape, u: mouthU(columnU[j])).phi }

        // Vertices, column by column.
        gridIndex = [Int](repeating: -1, count: rows * columns)
        var rowPhis = [[Float]](repeating: [], count: columns)
        for j in 0..<columns {
            var phis = base
            Self.pinRows(&phis, base: base, pair: mouthRow, lo: mouthPhi[j], hi: mouthPhi[j], band: 8)
            let u = abs(eyeU(columnU[j]))
            var (lo, hi) = eye.margins(u) ?? (eye.closedPhi(u), eye.closedPhi(u))
            if !eyeSpan[j] { (lo, hi) = (eye.closedPhi(u), eye.closedPhi(u)) }
            Self.pinRows(&phis, base: base, pair: eyeRow, lo: lo, hi: hi, band: 9)
            rowPhis[j] = phis
        }
        // The surface points first, over the cores (each ray is independent), then the vertices in order.
        var hits = [SIMD3<Float>](repeating: .zero, count: rows * columns)
        let shape = self.shape
        let directions = (0..<(rows * columns)).map { shape.direction(u: columnAngle(row: $0 / columns, column: $0 % columns), phi: rowPhis[$0 % columns][$0 / columns]) }
        hits.withUnsafeMutableBufferPointer { output in
            let write = UncheckedPointers(output.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: rows) { i in
                for j in 0..<columns {
                    let d = directions[i * columns + j]
                    write.mutable[i * columns + j] = shape.rayOrigin + d * shape.castRay(d)
                }
            }
        }
        for i in 0..<rows {
            for j in 0..<columns {
                if i == mouthRow + 1, !mouthSpan[j] { gridIndex[i * columns + j] = gridIndex[mouthRow * columns + j]; continue }
                if i == eyeRow + 1, !eyeSpan[j] { gridIndex[i * columns + j] = gridIndex[eyeRow * columns + j]; continue }
                let p = hits[i * columns + j]
                var side: Float = i <= mouthRow ? -1 : 1
                if (i == mouthRow) && !mouthSpan[j] { side = 0 }
                gridIndex[i * columns + j] = addVertex(p, .zero, VertexInfo(kind: .skin, lipSide: side, source: -1, row: i, column: j))
            }
        }
        let pole = addVertex(shape.rayOrigin + SIMD3(0, shape.castRay(SIMD3(0, 1, 0)), 0), .zero,
                             VertexInfo(kind: .skin, lipSide: 1, source: -1, row: rows, column: 0))

        // Triangles (the lip slit and the eye openings are the skipped cells).
        let centre = shape.rayOrigin
        for i in 0..<(rows - 1) where i != mouthRow && i != eyeRow {
            for j in 0..<columns {
                let j1 = (j + 1) % columns
                let a = gridIndex[i * columns + j], b = gridIndex[i * columns + j1]
                let c = gridIndex[(i + 1) * columns + j1], d = gridIndex[(i + 1) * columns + j]
                let mid = (positions[a] + positions[b] + positions[c] + positions[d]) / 4
                addTriangle(a, b, c, outward: mid - centre)
                addTriangle(a, c, d, outward: mid - centre)
            }
        }
        // The neck's cut end is closed by a fan, so it never shows the inside.
        var bottomCentre = SIMD3<Float>.zero
        for j in 0..<columns { bottomCentre += positions[gridIndex[j]] }
        let bottom = addVertex(bottomCentre / Float(columns), .zero, VertexInfo(kind: .skin, lipSide: -1, source: -1, row: -1, column: 0))
        for j in 0..<columns {
            let a = gridIndex[(rows - 1) * columns + j], b = gridIndex[(rows - 1) * columns + (j + 1) % columns]
            addTriangle(a, b, pole, outward: SIMD3(0, 1, 0))
            addTriangle(gridIndex[j], gridIndex[(j + 1) % columns], bottom, outward: SIMD3(0, -1, 0))
        }
        relaxSkin()
        slitCenter = positions[gridIndex[mouthRow * columns + centreColumn]]
        lipCorner = positions[gridIndex[mouthRow * columns + cornerColumn]]
        endPart("skin", start, Material(specular: 0.12, shininess: 18, backColor: SIMD3(0.20, 0.05, 0.05)))
    }

    func vertex(row: Int, column: Int) -> Int { gridIndex[row * Self.columns + column] }

    /// Evens out the grid where rays graze the surface: each free vertex moves toward the mean of
    /// its grid neighbours, then back onto the surface by Newton steps along the field gradient.
    /// The lip-line and lid-margin rows, the bottom row and the crown stay where they are.
    mutating func relaxSkin(iterations: Int = 12) {
        let columns = Self.columns, rows = Self.rows
        var pinned = Set<Int>()
        for j in 0..<columns {
            for i in [0, rows - 1, mouthRow, mouthRow + 1, eyeRow, eyeRow + 1] { pinned.insert(vertex(row: i, column: j)) }
        }
        var neighbours: [Int: [Int]] = [:]
        for i in 1..<(rows - 1) {
            for j in 0..<columns {
                let v = vertex(row: i, column: j)
                if pinned.contains(v) || neighbours[v] != nil { continue }
                var list: [Int] = []
                for (di, dj) in [(-1, 0), (1, 0), (0, -1), (0, 1)] {
                    var r = i + di
                    var n = vertex(row: r, column: (j + dj + columns) % columns)
                    while n == v, r > 0, r < rows - 1 { r += di; n = vertex(row: r, column: j) }
                    if n != v { list.append(n) }
                }
                neighbours[v] = list
            }
        }
        let free = neighbours.keys.sorted()
        let lists = free.map { neighbours[$0]! }
        let shape = self.shape
        // Each vertex reads only the previous iteration's positions, so the vertices are independent:
        // split over the cores (the same numbers whatever the split; the head build was ~2 s serial).
        let chunks = Swift.max(1, Swift.min(free.count, ProcessInfo.processInfo.activeProcessorCount * 4))
        for _ in 0..<iterations {
            var moved = positions
            positions.withUnsafeBufferPointer { current in
                moved.withUnsafeMutableBufferPointer { output in
                    let (read, write) = (UncheckedPointers(current.baseAddress!), UncheckedPointers(output.baseAddress!))
                    let perChunk = (free.count + chunks - 1) / chunks
                    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                        // Contiguous blocks: neighbouring vertices (one cache line) stay on one thread.
                        let first = Swift.min(free.count, chunk * perChunk)
                        for index in first..<Swift.min(free.count, first + perChunk) {
                            write.mutable[free[index]] = Self.relaxed(read.value, vertex: free[index], neighbours: lists[index], shape: shape)
                        }
                    }
                }
            }
            positions = moved
        }
    }

    /// One smoothing step of a free skin vertex: halfway to its neighbours' mean, then projected back
    /// onto the surface by three Newton steps on the field.
    static func relaxed(_ positions: UnsafePointer<SIMD3<Float>>, vertex v: Int, neighbours list: [Int], shape: HeadShape) -> SIMD3<Float> {
        var mean = SIMD3<Float>.zero
        for n in list { mean += positions[n] }
        mean /= Float(list.count)
        var p = positions[v] * 0.5 + mean * 0.5
        for _ in 0..<3 {
            let f = shape.field(p)
            let h: Float = 1e-4
            let g = SIMD3<Float>(shape.field(p + SIMD3(h, 0, 0)) - shape.field(p - SIMD3(h, 0, 0)),
                                 shape.field(p + SIMD3(0, h, 0)) - shape.field(p - SIMD3(0, h, 0)),
                                 shape.field(p + SIMD3(0, 0, h)) - shape.field(p - SIMD3(0, 0, h))) / (2 * h)
            let g2 = dot(g, g)
            if g2 < 1e-12 { break }
            p -= g * (f / g2)
        }
        return p
    }
}

/// Pointers shared with `concurrentPerform` workers that read, or write disjoint indices.
struct UncheckedPointers<Element>: @unchecked Sendable {
    let raw: UnsafeRawPointer
    init(_ pointer: UnsafePointer<Element>) { raw = UnsafeRawPointer(pointer) }
    init(_ pointer: UnsafeMutablePointer<Element>) { raw = UnsafeRawPointer(pointer) }
    var value: UnsafePointer<Element> { raw.assumingMemoryBound(to: Element.self) }
    var mutable: UnsafeMutablePointer<Element> { UnsafeMutablePointer(mutating: value) }
}
