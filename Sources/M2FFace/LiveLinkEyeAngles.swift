import Foundation

/// The eye yaw/pitch/roll columns of a Live Link Face take, and how they relate to the eyeLook* weights
/// and to the project's `EyePose`.
///
/// Measured on a real take (Tests/Fixtures/livelink/SOURCE.md; the test reproduces its six eye columns
/// from its eyeLook* columns to 3e-8 rad):
/// - An eye turns θ = 35° · (eyeLookDown − eyeLookUp) down and φ = 35° · (turn toward ARKit's *right*)
///   sideways, where the turn is eyeLookOut − eyeLookIn for the eye whose shapes end in `Right` and
///   eyeLookIn − eyeLookOut for the `Left` one (ARKit: eyeLookOutRight and eyeLookInLeft both look right).
/// - Its rotation is R = Ry(φ) · Rx(θ); the columns are R's intrinsic X-Y-Z Euler angles with
///   yaw = the Y angle, pitch = the X angle, roll = minus the Z angle. So pitch is positive looking down,
///   yaw positive looking toward ARKit's right, and roll ≈ yaw · pitch (a second-order term, not a tilt).
/// - The app's `LeftEye*` columns follow the eye of the `…Right` shapes, `RightEye*` the `…Left` ones.
///
/// The project's `EyePose` uses the face's left as positive yaw for the eye of the `…Left` shapes
/// (the teacher's gaze), so reading swaps the eyes and negates yaw; writing does the reverse.
enum LiveLinkEyeAngles {
    /// The eye rotation at a full eyeLook* weight (35°).
    static let fullLookAngle = 35.0 * Double.pi / 180

    /// One eye's three columns (radians).
    struct Columns: Equatable {
        var yaw: Double, pitch: Double, roll: Double
    }

    /// The columns of an eye turned `down` radians down and `right` radians toward ARKit's right.
    static func columns(down θ: Double, right φ: Double) -> Columns {
        Columns(yaw: asin(sin(φ) * cos(θ)), pitch: atan2(sin(θ), cos(φ) * cos(θ)), roll: atan2(sin(φ) * sin(θ), cos(φ)))
    }

    /// The columns for a known yaw and pitch: roll follows from them (the rotation has no twist of its own).
    static func columns(yaw: Double, pitch: Double) -> Columns {
        // The gaze direction R·ẑ = (sin yaw, −cos yaw · sin pitch, cos yaw · cos pitch) gives θ and φ back.
        let θ = asin(cos(yaw) * sin(pitch))
        let φ = atan2(sin(yaw), cos(yaw) * cos(pitch))
        return Columns(yaw: yaw, pitch: pitch, roll: atan2(sin(φ) * sin(θ), cos(φ)))
    }

    /// The eye angles of one frame of weights (canonical order), as the project's `EyePose`.
    static func eyePose(weights w: ArraySlice<Float>) -> EyePose {
        func weight(_ shape: ARKitBlendshape) -> Double { Double(w[w.startIndex + shape.index]) }
        // The eye of the …Left shapes: the app's RightEye columns.
        let left = columns(down: fullLookAngle * (weight(.eyeLookDownLeft) - weight(.eyeLookUpLeft)),
                           right: fullLookAngle * (weight(.eyeLookInLeft) - weight(.eyeLookOutLeft)))
        let right = columns(down: fullLookAngle * (weight(.eyeLookDownRight) - weight(.eyeLookUpRight)),
                            right: fullLookAngle * (weight(.eyeLookOutRight) - weight(.eyeLookInRight)))
        return EyePose(leftYaw: Float(-left.yaw), leftPitch: Float(left.pitch), rightYaw: Float(-right.yaw), rightPitch: Float(right.pitch))
    }

    /// The app's (LeftEyeYaw, LeftEyePitch, RightEyeYaw, RightEyePitch) from an `EyePose`.
    static func appAngles(_ eyes: EyePose) -> (leftYaw: Float, leftPitch: Float, rightYaw: Float, rightPitch: Float) {
        (-eyes.rightYaw, eyes.rightPitch, -eyes.leftYaw, eyes.leftPitch)
    }

    /// The `EyePose` of the app's four yaw/pitch columns.
    static func eyePose(appLeftYaw: Float, appLeftPitch: Float, appRightYaw: Float, appRightPitch: Float) -> EyePose {
        EyePose(leftYaw: -appRightYaw, leftPitch: appRightPitch, rightYaw: -appLeftYaw, rightPitch: appLeftPitch)
    }
}
