/// The inner-lip gap of a tracked face, in inter-pupil distances: scale-free, so that faces far from
/// and near to the camera, and different people, read on one scale. The dataset's video importer
/// checks audio/lip sync and calibrates jawOpen against it (MediaPipe's jawOpen gain differs
/// several-fold between people; the lip gap is geometry).
public enum LipGap {
    /// MediaPipe Face Mesh indices: inner upper lip (centre), inner lower lip (centre), iris centres.
    static let upperInnerLip = 13, lowerInnerLip = 14, rightIris = 468, leftIris = 473

    /// The gap of one frame's 478 landmarks (x, y normalised to the image, z in image-width units)
    /// seen in a `width` × `height` image; nil without the iris landmarks or for a degenerate face.
    public static func ofLandmarks(_ landmarks: [SIMD3<Float>], width: Int, height: Int) -> Float? {
        guard landmarks.count > leftIris, width > 0, height > 0 else { return nil }
        let scale = SIMD3(Float(width), Float(height), Float(width))
        func distance(_ a: Int, _ b: Int) -> Float {
            let d = (landmarks[a] - landmarks[b]) * scale
            return (d * d).sum().squareRoot()
        }
        let pupils = distance(rightIris, leftIris)
        guard pupils > 1e-3, pupils.isFinite else { return nil }
        let gap = distance(upperInnerLip, lowerInnerLip) / pupils
        return gap.isFinite ? gap : nil
    }
}
