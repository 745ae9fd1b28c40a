import Foundation
import M2FSystem

/// Live Link Face CSV takes: read by column name, written as the app writes them (LiveLinkCSVWriter.swift).
///
/// Columns: `Timecode` (hh:mm:ss:ff or hh:mm:ss:ff.fff, frames at the timecode rate),
/// `BlendshapeCount`, the 52 capitalised blendshape names (`EyeBlinkLeft`…), `HeadYaw`,
/// `HeadPitch`, `HeadRoll` (radians) and `LeftEye*`/`RightEye*` yaw/pitch/roll (radians, the app's
/// convention: `LiveLinkEyeAngles`). See docs/FORMATS.md for the rules the reader follows.
public enum LiveLinkCSV {
    /// How to read a take.
    public struct ReadOptions: Sendable {
        /// Frame rate of the animation; nil infers it from the timecodes.
        public var fps: Double?
        /// Frame rate of the `ff` field of the timecode; nil infers it (the largest ff + 1, snapped
        /// to a standard rate). Needed for takes shorter than one second.
        public var timecodeRate: Double?

        public init(fps: Double? = nil, timecodeRate: Double? = nil) {
            self.fps = fps
            self.timecodeRate = timecodeRate
        }
    }

    /// The longest pause between two rows that is read as dropped frames (and resampled) rather than refused.
    static let maximumGapSeconds = 10.0

    /// Standard rates that inferred rates snap to.
    static let standardRates: [Double] = [24, 25, 30, 48, 50, 60, 72, 90, 100, 120, 240]

    /// Reads a take from a file.
    public static func read(contentsOf url: URL, options: ReadOptions = ReadOptions()) throws(FaceError) -> FaceAnimation {
        let data: Data
        data = try readInput(url)
        return try parse(data, file: url.path, options: options)
    }

    /// Parses a take from CSV bytes; `file` names the source in errors.
    public static func parse(_ data: Data, file: String = "<csv>", options: ReadOptions = ReadOptions()) throws(FaceError) -> FaceAnimation {
        for (name, rate) in [("frame rate", options.fps), ("timecode rate", options.timecodeRate)] {
            if let rate, !FaceAnimation.frameRates.contains(rate) {
                throw .invalidArgument("\(file): the \(name) \(rate) is outside \(Int(FaceAnimation.frameRates.lowerBound)) … \(Int(FaceAnimation.frameRates.upperBound)) fps")
            }
        }
        let bytes = [UInt8](data)
        var lines = CSVLines(bytes: bytes)
        // Header: the first non-blank line.
        guard let header = lines.next() else { throw .emptyFile(file: file) }
        let names = header.fields.map { String(decoding: bytes[$0], as: UTF8.self) }
        var columnOf: [String: Int] = [:]
        for (i, name) in names.enumerated() where columnOf[name.lowercased()] == nil { columnOf[name.lowercased()] = i }

        var shapeColumns = [Int](repeating: -1, count: ARKit.count)
        var missing: [String] = []
        for shape in ARKit.liveLinkCSVOrder {
            if let c = columnOf[shape.rawValue.lowercased()] { shapeColumns[shape.index] = c } else { missing.append(shape.liveLinkName) }
        }
        let timecodeColumn = columnOf["timecode"]
        if timecodeColumn == nil && options.fps == nil { missing.insert("Timecode", at: 0) }
        if !missing.isEmpty { throw .missingColumns(file: file, names: missing) }
        let headColumns = ["headyaw", "headpitch", "headroll"].map { columnOf[$0] }
        let eyeNames = ["lefteyeyaw", "lefteyepitch", "righteyeyaw", "righteyepitch"]
        let eyeColumns = eyeNames.map { columnOf[$0] }
        let hasEyes = eyeColumns.contains { $0 != nil }
        if hasEyes, eyeColumns.contains(where: { $0 == nil }) {
            let absent = zip(eyeNames, eyeColumns).filter { $0.1 == nil }.map(\.0)
            throw .missingColumns(file: file, names: absent.map { name in ARKit.liveLinkPoseColumns.first { $0.lowercased() == name }! })
        }

        // Rows.
        var weights: [Float] = []
        weights.reserveCapacity(bytes.count / 8)
        var poses: [HeadPose] = []
        var eyes: [EyePose] = []
        var timecodes: [(h: Int, m: Int, s: Int, frames: Double, line: Int)] = []
        var firstTimecode = ""
        let fieldCount = names.count
        var frameWeights = [Float](repeating: 0, count: ARKit.count)

        func value(_ row: CSVLine, _ column: Int) throws(FaceError) -> Float {
            let field = row.fields[column]
            let (start, end) = trimmed(field)
            if start == end { throw .parse(file: file, line: row.line, problem: "missing value in column \(names[column])") }
            guard let v = parseDecimal(bytes, start, end), v.isFinite else {
                let text = String(decoding: bytes[start..<end], as: UTF8.self)
                throw .parse(file: file, line: row.line, problem: "column \(names[column]): '\(text)' is not a finite number")
            }
            return Float(v)
        }

        while let row = lines.next() {
            guard row.fields.count == fieldCount else {
                throw .parse(file: file, line: row.line,
                             problem: "row has \(row.fields.count) fields but the header has \(fieldCount)")
            }
            for k in 0..<ARKit.count { frameWeights[k] = try value(row, shapeColumns[k]) }
            weights.append(contentsOf: frameWeights)
            var head = HeadPose()
            if let c = headColumns[0] { head.yaw = try value(row, c) }
            if let c = headColumns[1] { head.pitch = try value(row, c) }
            if let c = headColumns[2] { head.roll = try value(row, c) }
            poses.append(head)
            if hasEyes {
                eyes.append(LiveLinkEyeAngles.eyePose(appLeftYaw: try value(row, eyeColumns[0]!), appLeftPitch: try value(row, eyeColumns[1]!),
                                                      appRightYaw: try value(row, eyeColumns[2]!), appRightPitch: try value(row, eyeColumns[3]!)))
            }
            if let c = timecodeColumn {
                let (start, end) = trimmed(row.fields[c])
                let text = String(decoding: bytes[start..<end], as: UTF8.self)
                guard let tc = Timecode(text) else {
                    throw .parse(file: file, line: row.line, problem: "Timecode '\(text)' is not hh:mm:ss:ff[.fff]")
                }
                if timecodes.isEmpty { firstTimecode = text }
                timecodes.append((tc.hours, tc.minutes, tc.seconds, tc.frames, row.line))
            }
        }
        if poses.isEmpty { throw .emptyFile(file: file) }

        var metadata = ["source": "Live Link Face CSV"]
        if !firstTimecode.isEmpty { metadata["timecodeStart"] = firstTimecode }
        guard timecodeColumn != nil else {
            return FaceAnimation(fps: options.fps!, weights: weights, headPose: poses, eyePose: hasEyes ? eyes : nil, metadata: metadata)
        }

        // Timecode rate: given, or the largest frame field before a second boundary, plus one.
        let rate: Double
        if let given = options.timecodeRate {
            rate = given
        } else {
            var largest = 0.0
            for tc in timecodes { largest = max(largest, tc.frames.rounded(.down)) }
            rate = standardRates.first { $0 > largest } ?? largest + 1
        }
        metadata["timecodeRate"] = JSONValue.format(rate)
        // Seconds since the first row (timecodes that run past midnight wrap forward).
        var times = [Double](repeating: 0, count: timecodes.count)
        let base = Double((timecodes[0].h * 60 + timecodes[0].m) * 60 + timecodes[0].s) + timecodes[0].frames / rate
        for (i, tc) in timecodes.enumerated() {
            var t = Double((tc.h * 60 + tc.m) * 60 + tc.s) + tc.frames / rate - base
            if t < -43_200 { t += 86_400 }
            if i > 0, t < times[i - 1] - 1e-9 {
                throw .parse(file: file, line: tc.line, problem: "Timecode goes backwards (\(t) s after the first row, previous \(times[i - 1]) s)")
            }
            // A recording is continuous: a jump of hours would be filled with hours of interpolated frames.
            if i > 0, t - times[i - 1] > maximumGapSeconds {
                throw .parse(file: file, line: tc.line, problem: "Timecode jumps \(JSONValue.format(t - times[i - 1])) s after the previous row "
                                 + "(more than \(Int(maximumGapSeconds)) s): these are two takes; split the file at this line")
            }
            times[i] = t
        }
        // Rows that all share one timecode cannot be placed in time (they used to collapse into one frame).
        if times.count > 1, times.last! <= 1e-9 {
            throw .parse(file: file, line: timecodes.last!.line,
                         problem: "all \(times.count) rows have the timecode \(firstTimecode): the rows cannot be placed in time; "
                             + "export the take again (Live Link's timecodes advance every frame)")
        }
        // Animation rate: given, or the median row spacing snapped to a standard rate.
        var fps = options.fps ?? rate
        if options.fps == nil, times.count > 1 {
            var deltas = zip(times.dropFirst(), times).map { $0 - $1 }.filter { $0 > 1e-9 }
            deltas.sort()
            if !deltas.isEmpty {
                let measured = 1 / deltas[deltas.count / 2]
                fps = standardRates.min { abs($0 - measured) < abs($1 - measured) }!
                if abs(fps - measured) / measured > 0.02 { fps = measured }
            }
        }
        guard FaceAnimation.frameRates.contains(fps) else {
            throw .parse(file: file, line: timecodes[0].line,
                         problem: "the rows are \(1 / fps) s apart (\(fps) fps), outside \(Int(FaceAnimation.frameRates.lowerBound)) … "
                             + "\(Int(FaceAnimation.frameRates.upperBound)) fps; check the timecodes or pass --timecode-rate")
        }
        let gridFrames = (times.last! * fps).rounded() + 1
        guard gridFrames <= Double(FaceAnimation.maximumFrameCount) else {
            throw .parse(file: file, line: timecodes.last!.line,
                         problem: "the timecodes span \(times.last!) s, more than \(FaceAnimation.maximumFrameCount) frames at \(fps) fps")
        }
        let animation = FaceAnimation(fps: fps, weights: weights, headPose: poses, eyePose: hasEyes ? eyes : nil, metadata: metadata)
        // Uniform rows are kept as they are; dropped or repeated frames are resampled onto the grid.
        let uniform = times.enumerated().allSatisfy { abs($1 - Double($0) / fps) < 0.5 / fps }
        return uniform ? animation : resampleOntoGrid(animation, times: times)
    }

    /// Resamples rows at irregular `times` onto a uniform grid at the animation's rate.
    static func resampleOntoGrid(_ source: FaceAnimation, times: [Double]) -> FaceAnimation {
        let fps = source.fps
        let count = Int((times.last! * fps).rounded()) + 1
        var out = FaceAnimation(fps: fps, frameCount: count, withEyes: source.eyePose != nil, metadata: source.metadata)
        let n = ARKit.count
        var row = 0
        for k in 0..<count {
            let t = Double(k) / fps
            while row + 1 < times.count - 1, times[row + 1] <= t { row += 1 }
            let next = min(row + 1, times.count - 1)
            let span = times[next] - times[row]
            let blend = span > 1e-9 ? Float(min(max((t - times[row]) / span, 0), 1)) : 0
            for j in 0..<n {
                let a = source.weights[row * n + j], b = source.weights[next * n + j]
                out.weights[k * n + j] = a + (b - a) * blend
            }
            out.headPose[k] = HeadPose(values: zip(source.headPose[row].values, source.headPose[next].values).map { $0 + ($1 - $0) * blend })
            if let eyes = source.eyePose {
                out.eyePose![k] = EyePose(values: zip(eyes[row].values, eyes[next].values).map { $0 + ($1 - $0) * blend })
            }
        }
        out.metadata["resampledFromRows"] = String(times.count)
        return out
    }

    /// Byte range of a field without surrounding spaces and quotes.
    static func trimmed(_ field: Range<Int>) -> (Int, Int) { (field.lowerBound, field.upperBound) }
}

/// A SMPTE-style timecode hh:mm:ss:ff[.fff] (`;` is accepted for drop-frame).
public struct Timecode: Equatable, Sendable, CustomStringConvertible {
    public var hours: Int, minutes: Int, seconds: Int
    /// Frames within the second, with the sub-frame fraction.
    public var frames: Double

    public init(hours: Int, minutes: Int, seconds: Int, frames: Double) {
        (self.hours, self.minutes, self.seconds, self.frames) = (hours, minutes, seconds, frames)
    }

    /// The timecode `absoluteFrames` frames after midnight at an integer `rate`.
    public init(absoluteFrames: Double, rate: Int) {
        let rounded = (absoluteFrames * 1000).rounded() / 1000
        let whole = Int(rounded.rounded(.down))
        let fraction = rounded - Double(whole)
        let totalSeconds = whole / rate
        self.init(hours: (totalSeconds / 3600) % 24, minutes: (totalSeconds / 60) % 60, seconds: totalSeconds % 60,
                  frames: Double(whole % rate) + fraction)
    }

    /// Parses hh:mm:ss:ff, hh:mm:ss:ff.fff or hh:mm:ss;ff; nil when malformed.
    public init?(_ text: String) {
        let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == ":" || $0 == ";" })
        guard parts.count == 4, let h = Int(parts[0]), let m = Int(parts[1]), let s = Int(parts[2]),
              let f = Double(parts[3]), f >= 0, (0..<24).contains(h), (0..<60).contains(m), (0..<61).contains(s),
              parts[3].allSatisfy({ $0.isNumber || $0 == "." })
        else { return nil }
        self.init(hours: h, minutes: m, seconds: s, frames: f)
    }

    public var description: String {
        let whole = Int(frames.rounded(.down))
        let millis = Int(((frames - Double(whole)) * 1000).rounded())
        return String(format: "%02d:%02d:%02d:%02d.%03d", hours, minutes, seconds, whole, millis)
    }
}

/// One CSV line: its 1-based line number and the byte ranges of its fields.
struct CSVLine {
    var line: Int
    var fields: [Range<Int>]
}

/// Splits CSV bytes into non-blank lines of comma-separated fields (no quoting: Live Link writes none;
/// fields have surrounding spaces and quotes trimmed).
struct CSVLines: IteratorProtocol {
    let bytes: [UInt8]
    var position = 0
    var lineNumber = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }  // UTF-8 byte-order mark
    }

    mutating func next() -> CSVLine? {
        while position < bytes.count {
            lineNumber += 1
            var end = position
            // A line ends at LF, CRLF or a lone CR (old Mac exports).
            while end < bytes.count, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
            let lineStart = position
            let lineEnd = end
            position = end + 1
            if end + 1 < bytes.count, bytes[end] == 0x0D, bytes[end + 1] == 0x0A { position += 1 }
            if bytes[lineStart..<lineEnd].allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x2C }) { continue }
            var fields: [Range<Int>] = []
            fields.reserveCapacity(64)
            var fieldStart = lineStart
            var i = lineStart
            while i <= lineEnd {
                if i == lineEnd || bytes[i] == 0x2C {
                    var a = fieldStart, b = i
                    while a < b, bytes[a] == 0x20 || bytes[a] == 0x09 || bytes[a] == 0x22 { a += 1 }
                    while b > a, bytes[b - 1] == 0x20 || bytes[b - 1] == 0x09 || bytes[b - 1] == 0x22 { b -= 1 }
                    fields.append(a..<b)
                    fieldStart = i + 1
                }
                i += 1
            }
            return CSVLine(line: lineNumber, fields: fields)
        }
        return nil
    }
}
