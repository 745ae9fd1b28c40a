import M2FFace

/// Per-frame signals the metrics read from an animation on a rig: lip gap (metres), head rotation.
///
/// The lip gap is the teacher's `LipGeometry`: the inner-lip distance between the rig's `upperLip` and
/// `lowerLip` midline landmarks, 0 at rest (where the lips meet) and when the upper lip ends up below
/// the lower one (pressed or rolled lips). The teacher checks, the dataset statistics and these metrics
/// therefore judge closure by the same measure.
package struct FaceSignals: Sendable {
    let geometry: LipGeometry

    /// - Precondition: the rig has `upperLip` and `lowerLip` landmarks (the default head does).
    package init(rig: FaceRig = DefaultHead.shared) {
        do { geometry = try LipGeometry(rig: rig) } catch { preconditionFailure("\(error.localizedDescription)") }
    }

    /// Lip gap per frame in metres [F].
    package func lipGap(_ animation: FaceAnimation) -> [Float] {
        geometry.gapsMillimetres(of: animation).map { $0 / 1000 }
    }

    /// Lip gap of one frame of 52 weights, in metres.
    package func lipGap(weights: [Float]) -> Float {
        geometry.gapMillimetres(weights: weights) / 1000
    }

    /// Head rotation (yaw, pitch, roll) in degrees as a one-vertex track, for head-pose diversity.
    package static func headRotationDegrees(_ animation: FaceAnimation) -> VertexTrack {
        let toDegrees = Float(180 / Double.pi)
        return VertexTrack(frameCount: animation.frameCount, vertexCount: 1,
                           positions: animation.headPose.map { SIMD3($0.yaw, $0.pitch, $0.roll) * toDegrees })
    }
}
