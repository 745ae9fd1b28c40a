import M2FFace

/// The lip gap the stats use: the inner-lip distance (mm) at the midline of the default head.
public struct DatasetLipMeasure: Sendable {
    /// Gap (mm) of one frame of 52 weights.
    public let gap: @Sendable ([Float]) -> Float
    /// Below this gap (mm) the lips count as closed.
    public let closedThreshold: Float

    public init(gap: @escaping @Sendable ([Float]) -> Float, closedThreshold: Float) {
        self.gap = gap
        self.closedThreshold = closedThreshold
    }

    /// The default head's midline lip landmarks deformed by the weights (temporary until the shared
    /// `LipGeometry` lands in M2FFace).
    public static let defaultHead: DatasetLipMeasure = {
        let rig = DefaultHead.shared
        let upper = rig.landmarks["upperLip"]!, lower = rig.landmarks["lowerLip"]!
        func deltas(_ vertex: Int) -> [SIMD3<Float>] {
            rig.blendshapes.map { shape in shape.indices.firstIndex(of: UInt32(vertex)).map { shape.offsets[$0] } ?? .zero }
        }
        let upperRest = rig.positions[upper], lowerRest = rig.positions[lower]
        let upperDeltas = deltas(upper), lowerDeltas = deltas(lower)
        return DatasetLipMeasure(gap: { weights in
            var a = upperRest, b = lowerRest
            for k in 0..<ARKit.count where weights[k] != 0 {
                a += weights[k] * upperDeltas[k]
                b += weights[k] * lowerDeltas[k]
            }
            let d = a - b
            return d.y <= 0 ? 0 : (d * d).sum().squareRoot() * 1000
        }, closedThreshold: 1.0)
    }()
}
