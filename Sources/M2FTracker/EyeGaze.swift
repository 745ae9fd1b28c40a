import Foundation
import M2FFace

/// Eye gaze from the iris landmarks: each iris centre against its eye's corners, in the canonical face's
/// frame (head motion removed by the geometry pipeline's pose), turned into angles on a 12 mm eyeball.
///
/// MediaPipe's 478 landmarks: 468 is the centre of the face's right iris (corners 33 outer, 133 inner),
/// 473 the left (263 outer, 362 inner).
public struct EyeGaze: Sendable {
    /// Eyeball radius in cm (the adult average).
    public var eyeballRadius: Double = 1.2
    /// Iris height above the corner line when looking straight ahead, in cm.
    public var restingIrisHeight: Double = 0
    /// Angles (radians) at which an eyeLook* weight reaches 1: sideways, up, down.
    public var fullSideways = 30.0 * Double.pi / 180, fullUp = 20.0 * Double.pi / 180, fullDown = 25.0 * Double.pi / 180

    public init() {}

    struct Eye { let iris: Int, outer: Int, inner: Int }
    static let right = Eye(iris: 468, outer: 33, inner: 133)
    static let left = Eye(iris: 473, outer: 263, inner: 362)

    /// Per-eye yaw (toward the face's left) and pitch (down) in radians; nil without iris landmarks.
    public func eyePose(_ pose: FaceGeometry.Pose) -> EyePose? {
        guard pose.metricLandmarks.count > 477 else { return nil }
        func angles(_ eye: Eye) -> (yaw: Float, pitch: Float) {
            let iris = pose.faceSpace(eye.iris)
            let centre = 0.5 * (pose.faceSpace(eye.outer) + pose.faceSpace(eye.inner))
            let sideways = max(-1, min(1, (iris.x - centre.x) / eyeballRadius))
            let downward = max(-1, min(1, -(iris.y - centre.y - restingIrisHeight) / eyeballRadius))
            return (Float(asin(sideways)), Float(asin(downward)))
        }
        let l = angles(Self.left), r = angles(Self.right)
        return EyePose(leftYaw: l.yaw, leftPitch: l.pitch, rightYaw: r.yaw, rightPitch: r.pitch)
    }

    /// The eight eyeLook* weights (ARKit names) for a gaze: yaw toward the face's left is out for the left
    /// eye and in for the right one.
    public func lookWeights(_ eyes: EyePose) -> [String: Float] {
        func share(_ angle: Float, _ full: Double) -> Float { max(0, min(1, angle / Float(full))) }
        return [
            "eyeLookOutLeft": share(eyes.leftYaw, fullSideways), "eyeLookInLeft": share(-eyes.leftYaw, fullSideways),
            "eyeLookInRight": share(eyes.rightYaw, fullSideways), "eyeLookOutRight": share(-eyes.rightYaw, fullSideways),
            "eyeLookDownLeft": share(eyes.leftPitch, fullDown), "eyeLookUpLeft": share(-eyes.leftPitch, fullUp),
            "eyeLookDownRight": share(eyes.rightPitch, fullDown), "eyeLookUpRight": share(-eyes.rightPitch, fullUp),
        ]
    }
}
