import Foundation

extension LiveLinkCSV {
    /// The header line of a take, byte for byte as the app writes it (its `BlendshapeCount` spelling and
    /// column order; a real take's header is in Tests/Fixtures/livelink).
    public static let header = (["Timecode", "BlendshapeCount"] + ARKit.liveLinkCSVOrder.map(\.liveLinkName) + ARKit.liveLinkPoseColumns)
        .joined(separator: ",")

    /// Digits after the decimal point of every value, as the app writes them (`0.0182390027`, never `1e-05`).
    static let decimals = 10
    static let scale = 1e10

    /// The CSV text of an animation in the app's layout: its header, `hh:mm:ss:ff.fff` timecodes from
    /// `metadata["timecodeStart"]` (or 00:00:00:00.000) at the animation's rate rounded to an integer,
    /// 61 in `BlendshapeCount`, and every value as a plain decimal with 10 digits.
    ///
    /// Eye columns come from `eyePose` when the animation has one, else from the eyeLook* weights, in the
    /// app's convention (`LiveLinkEyeAngles`).
    public static func serialize(_ animation: FaceAnimation) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(animation.frameCount * 61 * 14 + 1024)
        out.append(contentsOf: Array(header.utf8))
        out.append(0x0A)
        let rate = max(1, Int(animation.fps.rounded()))
        let start = animation.metadata["timecodeStart"].flatMap(Timecode.init) ?? Timecode(hours: 0, minutes: 0, seconds: 0, frames: 0)
        let startRate = animation.metadata["timecodeRate"].flatMap(Double.init) ?? Double(rate)
        let startSeconds = Double((start.hours * 60 + start.minutes) * 60 + start.seconds) + start.frames / startRate
        let order = ARKit.liveLinkCSVOrder.map(\.index)
        let n = ARKit.count
        func put(_ v: Double) {
            out.append(0x2C)
            appendDecimal(v, to: &out)
        }
        for f in 0..<animation.frameCount {
            // Frame position in whole frames at `rate`, from which the timecode is cut.
            let absolute = startSeconds * Double(rate) + Double(f) * Double(rate) / animation.fps
            out.append(contentsOf: Array(Timecode(absoluteFrames: absolute, rate: rate).description.utf8))
            out.append(contentsOf: Array(",61".utf8))
            for k in order { put(Double(animation.weights[f * n + k])) }
            let head = animation.headPose[f]
            put(Double(head.yaw)); put(Double(head.pitch)); put(Double(head.roll))
            let eyes = animation.eyePose?[f] ?? LiveLinkEyeAngles.eyePose(weights: animation.weights[f * n..<(f + 1) * n])
            let app = LiveLinkEyeAngles.appAngles(eyes)
            for (yaw, pitch) in [(app.leftYaw, app.leftPitch), (app.rightYaw, app.rightPitch)] {
                // Roll from the written (rounded) yaw and pitch, so that reading the file back and writing
                // it again gives the same bytes.
                let eye = LiveLinkEyeAngles.columns(yaw: rounded(Double(yaw)), pitch: rounded(Double(pitch)))
                put(eye.yaw); put(eye.pitch); put(eye.roll)
            }
            out.append(0x0A)
        }
        return Data(out)
    }

    /// Writes an animation as a Live Link Face CSV file.
    public static func write(_ animation: FaceAnimation, to url: URL) throws(FaceError) {
        try writeAtomically(serialize(animation), to: url)
    }

    /// `v` rounded to the written number of decimals.
    static func rounded(_ v: Double) -> Double {
        (v * scale).rounded() / scale
    }

    /// Appends `v` as `-?digits.dddddddddd` (no exponent; a value that rounds to zero is `0.0000000000`).
    static func appendDecimal(_ v: Double, to out: inout [UInt8]) {
        let scaled = (abs(v) * scale).rounded()
        // Beyond 9e8 the scaled value overflows Int64; no animation channel gets there, but stay exact.
        guard scaled < 9e18, v.isFinite else {
            out.append(contentsOf: Array(String(format: "%.10f", v).utf8))
            return
        }
        let units = UInt64(scaled)
        if v < 0, units > 0 { out.append(0x2D) }
        // Digits from the last: 10 decimals, the point, then the integer part (at least one digit).
        var digits: (UInt64, [UInt8]) = (units, [])
        digits.1.reserveCapacity(24)
        for _ in 0..<decimals {
            digits.1.append(0x30 + UInt8(digits.0 % 10))
            digits.0 /= 10
        }
        digits.1.append(0x2E)
        repeat {
            digits.1.append(0x30 + UInt8(digits.0 % 10))
            digits.0 /= 10
        } while digits.0 > 0
        out.append(contentsOf: digits.1.reversed())
    }
}
