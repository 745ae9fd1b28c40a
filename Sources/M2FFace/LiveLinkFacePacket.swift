/// One frame as the Live Link Face iPhone app sends it over UDP (packet version 6), which Unreal's
/// Live Link Face source (and so MetaHuman) reads with no plugin of ours.
///
/// Layout, all numbers big-endian (docs/FORMATS.md, "Live Link Face UDP"):
/// - `UInt8` version = 6;
/// - the device id, then the subject name: each an `Int32` byte count and that many UTF-8 bytes;
/// - the frame time (Unreal's `FQualifiedFrameTime`): `Int32` frame number, `Float32` sub-frame,
///   `Int32` rate numerator, `Int32` rate denominator;
/// - `UInt8` value count = 61, then 61 `Float32`: the 52 blendshapes in Live Link order
///   (`ARKit.liveLinkOrder`, EyeBlinkLeft … TongueOut), then HeadYaw, HeadPitch, HeadRoll,
///   LeftEyeYaw, LeftEyePitch, LeftEyeRoll, RightEyeYaw, RightEyePitch, RightEyeRoll (radians),
///   the column order of the app's CSV takes (`LiveLinkCSV`).
public enum LiveLinkFacePacket {
    public static let version: UInt8 = 6
    /// Blendshapes plus head and eye rotations.
    public static let valueCount = 61

    /// The 61 values of one frame in the app's order.
    /// - Parameter weights: 52 weights in canonical `ARKit` order.
    public static func values(weights: [Float], headPose: HeadPose, eyePose: EyePose? = nil) -> [Float] {
        precondition(weights.count == ARKit.count, "a frame has \(ARKit.count) weights, got \(weights.count)")
        let eyes = eyePose ?? EyePose()
        return ARKit.liveLinkOrder.map { weights[$0.index] }
            + [headPose.yaw, headPose.pitch, headPose.roll, eyes.leftYaw, eyes.leftPitch, 0, eyes.rightYaw, eyes.rightPitch, 0]
    }

    /// The packet for one frame.
    /// - Parameters:
    ///   - frameNumber: the frame at `rate` frames per second (Unreal's timecode of the frame).
    ///   - subFrame: the fraction of a frame, in [0, 1).
    public static func encode(subject: String, deviceID: String, frameNumber: Int32, subFrame: Float = 0, rate: Int32,
                              values: [Float]) -> [UInt8] {
        precondition(values.count == valueCount, "a Live Link Face frame has \(valueCount) values, got \(values.count)")
        var bytes: [UInt8] = [version]
        bytes.reserveCapacity(1 + 8 + deviceID.utf8.count + subject.utf8.count + 16 + 1 + 4 * valueCount)
        func int32(_ v: Int32) { withUnsafeBytes(of: v.bigEndian) { bytes.append(contentsOf: $0) } }
        func float32(_ v: Float) { withUnsafeBytes(of: v.bitPattern.bigEndian) { bytes.append(contentsOf: $0) } }
        func string(_ s: String) { int32(Int32(s.utf8.count)); bytes.append(contentsOf: s.utf8) }
        string(deviceID)
        string(subject)
        int32(frameNumber)
        float32(subFrame)
        int32(rate)
        int32(1)
        bytes.append(UInt8(valueCount))
        for value in values { float32(value) }
        return bytes
    }
}
