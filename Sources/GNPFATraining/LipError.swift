import M2FEngine
import M2FFace
import M2FGNPFA

/// Lip-vertex error in millimetres on the default head between two weight vectors per frame.
///
/// Blendshapes are linear, so the offset of vertex v between weights a and b is Σₖ (aₖ − bₖ)·Δₖ[v]; the
/// meter keeps the dense deltas of the lip vertices only. Per frame the error is the **largest**
/// distance over the lip vertices (the LVE definition of docs/DESIGN.md).
package struct LipErrorMeter: Sendable {
    /// [52][L] offsets of the lip vertices, metres.
    private let deltas: [[SIMD3<Float>]]
    package let lipVertexCount: Int

    package init(rig: FaceRig = DefaultHead.shared) {
        let lips = rig.lipVertices
        lipVertexCount = lips.count
        deltas = rig.blendshapes.map { shape in
            let dense = shape.dense(vertexCount: rig.vertexCount)
            return lips.map { dense[$0] }
        }
    }

    /// The offsets as a [52, 3·L] matrix (x, y, z per lip vertex), times `scale` (100: centimetres), so
    /// that (weights [N, 52]) · matrix is the lip-vertex displacement of each frame.
    package func deltaMatrix(scale: Float = 1) -> Tensor {
        var values: [Float] = []
        values.reserveCapacity(ARKit.count * lipVertexCount * 3)
        for k in 0..<ARKit.count {
            for d in deltas[k] { values += [d.x * scale, d.y * scale, d.z * scale] }
        }
        return Tensor(values, shape: [ARKit.count, lipVertexCount * 3])
    }

    /// Largest lip-vertex distance (mm) for one frame of 52 weights each.
    package func frameError<A: Collection, B: Collection>(_ reference: A, _ predicted: B) -> Float
    where A.Element == Float, B.Element == Float {
        let difference = zip(reference, predicted).map { $0 - $1 }
        precondition(difference.count == ARKit.count, "lip error needs 52 weights per frame")
        var worst: Float = 0
        for v in 0..<lipVertexCount {
            var offset = SIMD3<Float>.zero
            for k in 0..<ARKit.count where difference[k] != 0 { offset += difference[k] * deltas[k][v] }
            worst = max(worst, (offset * offset).sum().squareRoot())
        }
        return worst * 1000
    }

    /// Per-frame errors (mm) for F × 52 flat arrays.
    package func frameErrors(reference: [Float], predicted: [Float]) -> [Float] {
        precondition(reference.count == predicted.count && reference.count % ARKit.count == 0, "lip error: F × 52 arrays of equal size")
        return (0..<(reference.count / ARKit.count)).map { f in
            let range = (f * ARKit.count)..<((f + 1) * ARKit.count)
            return frameError(reference[range], predicted[range])
        }
    }
}

/// Mean and 95th percentile of a list of errors.
package struct ErrorSummary: Codable, Sendable, Equatable {
    package var mean: Float
    package var p95: Float
    package var count: Int

    package init(_ values: [Float]) {
        count = values.count
        guard !values.isEmpty else { mean = 0; p95 = 0; return }
        mean = values.reduce(0, +) / Float(values.count)
        let sorted = values.sorted()
        p95 = sorted[min(sorted.count - 1, Int((Float(sorted.count - 1) * 0.95).rounded()))]
    }
}
