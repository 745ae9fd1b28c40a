import Foundation

/// How a part of the mesh is shaded.
public struct Material: Equatable, Sendable {
    /// Specular strength (0 = matte).
    public var specular: Float
    /// Blinn–Phong exponent.
    public var shininess: Float
    /// Colour drawn for back faces instead of lighting them (the inside of the head seen through
    /// the mouth); nil lights both sides.
    public var backColor: SIMD3<Float>?

    public init(specular: Float, shininess: Float, backColor: SIMD3<Float>? = nil) {
        (self.specular, self.shininess, self.backColor) = (specular, shininess, backColor)
    }
}

/// A named run of vertices and triangles of the rig (skin, eyes, teeth…).
public struct MeshPart: Equatable, Sendable {
    public var name: String
    public var vertices: Range<Int>
    public var triangles: Range<Int>
    public var material: Material
}

/// One blendshape as sparse per-vertex offsets (metres) from the neutral mesh.
public struct SparseDelta: Equatable, Sendable {
    public var indices: [UInt32]
    public var offsets: [SIMD3<Float>]

    /// The offsets expanded to one per vertex.
    public func dense(vertexCount: Int) -> [SIMD3<Float>] {
        var out = [SIMD3<Float>](repeating: .zero, count: vertexCount)
        for (i, index) in indices.enumerated() { out[Int(index)] = offsets[i] }
        return out
    }
}

/// A face mesh with 52 ARKit blendshapes: the default head, or any mesh with the same layout.
///
/// Positions are metres in glTF axes (+Y up, +Z out of the face); the origin is the head–neck
/// pivot that head rotation turns about. Colours are sRGB albedo in [0, 1].
public struct FaceRig: Sendable {
    /// Neutral vertex positions (V).
    public var positions: [SIMD3<Float>]
    /// Per-vertex albedo, sRGB (V).
    public var colors: [SIMD3<Float>]
    /// Triangles as vertex indices, counter-clockwise seen from outside (T).
    public var triangles: [SIMD3<UInt32>]
    /// Parts in vertex and triangle order.
    public var parts: [MeshPart]
    /// The 52 blendshapes in canonical ARKit order.
    public var blendshapes: [SparseDelta]
    /// Skin and lip vertices around the mouth, for LVE (largest lip error per frame).
    public var lipVertices: [Int]
    /// Skin vertices above the mouth (eyes, brows, forehead, cheeks), for FDD.
    public var upperFaceVertices: [Int]
    /// Named vertices: `upperLip`, `lowerLip` (midline, on the lip line), `mouthCornerLeft/Right`,
    /// `upperLidLeft/Right`, `lowerLidLeft/Right` (lid margins at the pupil), `noseTip`, `chin`.
    public var landmarks: [String: Int]

    public init(positions: [SIMD3<Float>], colors: [SIMD3<Float>], triangles: [SIMD3<UInt32>], parts: [MeshPart],
                blendshapes: [SparseDelta], lipVertices: [Int] = [], upperFaceVertices: [Int] = [], landmarks: [String: Int] = [:]) {
        precondition(colors.count == positions.count, "one colour per vertex")
        precondition(blendshapes.count == ARKit.count, "a rig has 52 blendshapes")
        self.positions = positions
        self.colors = colors
        self.triangles = triangles
        self.parts = parts
        self.blendshapes = blendshapes
        self.lipVertices = lipVertices
        self.upperFaceVertices = upperFaceVertices
        self.landmarks = landmarks
    }

    public var vertexCount: Int { positions.count }

    /// Positions with `weights` (52, canonical order) applied: neutral + Σ wₖ·Δₖ.
    public func deformed<C: Collection>(weights: C) -> [SIMD3<Float>] where C.Element == Float, C.Index == Int {
        var out = positions
        deform(weights: weights, into: &out)
        return out
    }

    /// Writes neutral + Σ wₖ·Δₖ into `out` (reused between frames to avoid allocation).
    public func deform<C: Collection>(weights: C, into out: inout [SIMD3<Float>]) where C.Element == Float, C.Index == Int {
        precondition(weights.count == ARKit.count, "deform needs 52 weights, got \(weights.count)")
        if out.count != positions.count { out = positions } else {
            out.withUnsafeMutableBufferPointer { dst in
                positions.withUnsafeBufferPointer { src in
                    for i in 0..<src.count { dst[i] = src[i] }
                }
            }
        }
        let base = weights.startIndex
        out.withUnsafeMutableBufferPointer { dst in
            for k in 0..<ARKit.count {
                let w = weights[base + k]
                if w == 0 { continue }
                let shape = blendshapes[k]
                shape.indices.withUnsafeBufferPointer { indices in
                    shape.offsets.withUnsafeBufferPointer { offsets in
                        for i in 0..<indices.count { dst[Int(indices[i])] += w * offsets[i] }
                    }
                }
            }
        }
    }

    /// Area-weighted vertex normals of `positions` (V, unit length).
    public func normals(of positions: [SIMD3<Float>]) -> [SIMD3<Float>] {
        var normals = [SIMD3<Float>](repeating: .zero, count: positions.count)
        positions.withUnsafeBufferPointer { p in
            normals.withUnsafeMutableBufferPointer { n in
                triangles.withUnsafeBufferPointer { tris in
                    for t in tris {
                        let a = Int(t.x), b = Int(t.y), c = Int(t.z)
                        let face = cross(p[b] - p[a], p[c] - p[a])
                        n[a] += face; n[b] += face; n[c] += face
                    }
                }
                for i in 0..<n.count {
                    let length = (n[i] * n[i]).sum().squareRoot()
                    n[i] = length > 1e-20 ? n[i] / length : SIMD3(0, 0, 1)
                }
            }
        }
        return normals
    }

    /// The part that holds vertex `index`.
    public func part(ofVertex index: Int) -> MeshPart? { parts.first { $0.vertices.contains(index) } }
}

@inline(__always) func cross(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> SIMD3<Float> {
    SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
}

@inline(__always) func dot(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> Float { (a * b).sum() }

@inline(__always) func length(_ a: SIMD3<Float>) -> Float { dot(a, a).squareRoot() }

@inline(__always) func normalize(_ a: SIMD3<Float>) -> SIMD3<Float> {
    let l = length(a)
    return l > 1e-20 ? a / l : a
}

@inline(__always) func smoothstep(_ edge0: Float, _ edge1: Float, _ x: Float) -> Float {
    let t = min(max((x - edge0) / (edge1 - edge0), 0), 1)
    return t * t * (3 - 2 * t)
}

@inline(__always) func mix(_ a: Float, _ b: Float, _ t: Float) -> Float { a + (b - a) * t }

@inline(__always) func mix(_ a: SIMD3<Float>, _ b: SIMD3<Float>, _ t: Float) -> SIMD3<Float> { a + (b - a) * t }

/// Rotates `p` about the axis through `center` with unit direction `axis` by `angle` (Rodrigues).
func rotate(_ p: SIMD3<Float>, about center: SIMD3<Float>, axis: SIMD3<Float>, angle: Float) -> SIMD3<Float> {
    let v = p - center
    let c = cos(angle), s = sin(angle)
    return center + v * c + cross(axis, v) * s + axis * dot(axis, v) * (1 - c)
}
