import M2FFace

/// Positions of V chosen vertices over F frames, frame-major: `positions[f * vertexCount + v]`
/// (metres, glTF axes). The input of the geometric metrics (LVE, FDD, diversity).
package struct VertexTrack: Sendable, Equatable {
    /// F.
    package var frameCount: Int
    /// V.
    package var vertexCount: Int
    /// F × V points, frame-major.
    package var positions: [SIMD3<Float>]

    package init(frameCount: Int, vertexCount: Int, positions: [SIMD3<Float>]) {
        precondition(positions.count == frameCount * vertexCount, "a track holds F × V = \(frameCount) × \(vertexCount) points, got \(positions.count)")
        self.frameCount = frameCount
        self.vertexCount = vertexCount
        self.positions = positions
    }

    /// Point of `vertex` (0..<V) at `frame`.
    package subscript(frame: Int, vertex: Int) -> SIMD3<Float> { positions[frame * vertexCount + vertex] }
}

/// Deforms a subset of a rig's vertices for every frame of an animation: neutral + Σₖ wₖ·Δₖ on
/// those vertices only, so per-frame cost is 52 × V instead of the whole mesh.
///
/// Head pose is not applied: the metrics compare expressions on a head that stays still, as LVE and
/// FDD are defined on registered meshes.
package struct RegionDeformer: Sendable {
    /// Rig vertex indices of the region, in track order.
    package let vertices: [Int]
    /// V neutral positions.
    package let neutral: [SIMD3<Float>]
    /// The blendshapes that move the region: (ARKit index, V offsets).
    let shapes: [(index: Int, offsets: [SIMD3<Float>])]

    package init(rig: FaceRig, vertices: [Int]) {
        precondition(vertices.allSatisfy { (0..<rig.vertexCount).contains($0) }, "region vertex outside the rig")
        self.vertices = vertices
        neutral = vertices.map { rig.positions[$0] }
        var slot = [Int: Int]()
        for (i, v) in vertices.enumerated() { slot[v] = i }
        var shapes: [(Int, [SIMD3<Float>])] = []
        for (k, delta) in rig.blendshapes.enumerated() {
            var offsets = [SIMD3<Float>](repeating: .zero, count: vertices.count)
            var moves = false
            for (j, index) in delta.indices.enumerated() {
                if let i = slot[Int(index)] { offsets[i] = delta.offsets[j]; moves = true }
            }
            if moves { shapes.append((k, offsets)) }
        }
        self.shapes = shapes
    }

    /// The region of every frame of `animation` (its weights; the head pose is ignored).
    package func track(_ animation: FaceAnimation) -> VertexTrack {
        track(weights: animation.weights, frameCount: animation.frameCount)
    }

    /// The region for F × 52 frame-major weights.
    package func track(weights: [Float], frameCount: Int) -> VertexTrack {
        precondition(weights.count == frameCount * ARKit.count, "weights must hold F × 52 values")
        let count = vertices.count
        var positions = [SIMD3<Float>](repeating: .zero, count: frameCount * count)
        positions.withUnsafeMutableBufferPointer { out in
            for f in 0..<frameCount {
                let row = f * count
                for i in 0..<count { out[row + i] = neutral[i] }
                for shape in shapes {
                    let w = weights[f * ARKit.count + shape.index]
                    if w == 0 { continue }
                    shape.offsets.withUnsafeBufferPointer { offsets in
                        for i in 0..<count { out[row + i] += w * offsets[i] }
                    }
                }
            }
        }
        return VertexTrack(frameCount: frameCount, vertexCount: count, positions: positions)
    }
}
