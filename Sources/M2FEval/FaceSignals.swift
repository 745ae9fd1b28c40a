import M2FFace

/// Per-frame signals the metrics read from an animation on a rig: lip gap (metres), head rotation.
///
/// The lip gap here is the distance between the rig's `upperLip` and `lowerLip` midline landmarks
/// (0 on the neutral face, where the lips meet, and 0 when the upper lip ends up below the lower one:
/// pressed or rolled lips). It stands in for the teacher's `LipGeometry` until that lands on main;
/// both measure the same vertices the same way.
public struct FaceSignals: Sendable {
    let lips: RegionDeformer

    /// - Precondition: the rig has `upperLip` and `lowerLip` landmarks (the default head does).
    public init(rig: FaceRig = DefaultHead.shared) {
        guard let upper = rig.landmarks["upperLip"], let lower = rig.landmarks["lowerLip"] else {
            preconditionFailure("the rig needs upperLip and lowerLip landmarks")
        }
        lips = RegionDeformer(rig: rig, vertices: [upper, lower])
    }

    /// Lip gap per frame in metres [F].
    public func lipGap(_ animation: FaceAnimation) -> [Float] {
        let track = lips.track(animation)
        return (0..<track.frameCount).map { f in Self.gap(upper: track[f, 0], lower: track[f, 1]) }
    }

    /// Lip gap of one frame of 52 weights, in metres.
    public func lipGap(weights: [Float]) -> Float {
        let track = lips.track(weights: weights, frameCount: 1)
        return Self.gap(upper: track[0, 0], lower: track[0, 1])
    }

    static func gap(upper: SIMD3<Float>, lower: SIMD3<Float>) -> Float {
        let d = upper - lower
        return d.y <= 0 ? 0 : (d * d).sum().squareRoot()
    }

    /// Head rotation (yaw, pitch, roll) in degrees as a one-vertex track, for head-pose diversity.
    public static func headRotationDegrees(_ animation: FaceAnimation) -> VertexTrack {
        let toDegrees = Float(180 / Double.pi)
        return VertexTrack(frameCount: animation.frameCount, vertexCount: 1,
                           positions: animation.headPose.map { SIMD3($0.yaw, $0.pitch, $0.roll) * toDegrees })
    }
}
