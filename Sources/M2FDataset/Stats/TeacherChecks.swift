import Foundation
import M2FFace

/// Checks of the teacher's (or any) animation against its phones, over a whole dataset:
/// lip closure on bilabial segments, mouth opening against vowel openness, blink rate, range.
public struct TeacherCheckResult: Codable, Sendable, Equatable {
    /// p, b, m segments checked and how many had a frame with the lips closed.
    public var bilabialSegments = 0
    public var bilabialClosed = 0
    /// bilabialClosed / bilabialSegments (1 when there are none).
    public var lipClosureRate: Double { bilabialSegments > 0 ? Double(bilabialClosed) / Double(bilabialSegments) : 1 }
    /// Vowel segments measured and the Pearson correlation of their openness class (1 close … 4 open)
    /// with the mean lip gap (mm) and with the mean jawOpen in the segment's middle half.
    public var vowelSegments = 0
    public var opennessGapCorrelation = 0.0
    public var opennessJawCorrelation = 0.0
    /// Mean lip gap (mm) per openness class 1…4.
    public var meanGapByOpenness: [Double] = []
    /// Blinks (both lids past 0.5 and back) over all frames, and per minute.
    public var blinks = 0
    public var minutes = 0.0
    public var blinksPerMinute: Double { minutes > 0 ? Double(blinks) / minutes : 0 }
    /// Weights outside [0, 1] (must be 0) and non-finite values.
    public var outOfRange = 0

    enum CodingKeys: String, CodingKey {
        case bilabialSegments, bilabialClosed, lipClosureRate, vowelSegments, opennessGapCorrelation, opennessJawCorrelation
        case meanGapByOpenness, blinks, minutes, blinksPerMinute, outOfRange
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        bilabialSegments = try c.decode(Int.self, forKey: .bilabialSegments)
        bilabialClosed = try c.decode(Int.self, forKey: .bilabialClosed)
        vowelSegments = try c.decode(Int.self, forKey: .vowelSegments)
        opennessGapCorrelation = try c.decode(Double.self, forKey: .opennessGapCorrelation)
        opennessJawCorrelation = try c.decode(Double.self, forKey: .opennessJawCorrelation)
        meanGapByOpenness = try c.decode([Double].self, forKey: .meanGapByOpenness)
        blinks = try c.decode(Int.self, forKey: .blinks)
        minutes = try c.decode(Double.self, forKey: .minutes)
        outOfRange = try c.decode(Int.self, forKey: .outOfRange)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(bilabialSegments, forKey: .bilabialSegments)
        try c.encode(bilabialClosed, forKey: .bilabialClosed)
        try c.encode(lipClosureRate, forKey: .lipClosureRate)
        try c.encode(vowelSegments, forKey: .vowelSegments)
        try c.encode(opennessGapCorrelation, forKey: .opennessGapCorrelation)
        try c.encode(opennessJawCorrelation, forKey: .opennessJawCorrelation)
        try c.encode(meanGapByOpenness, forKey: .meanGapByOpenness)
        try c.encode(blinks, forKey: .blinks)
        try c.encode(minutes, forKey: .minutes)
        try c.encode(blinksPerMinute, forKey: .blinksPerMinute)
        try c.encode(outOfRange, forKey: .outOfRange)
    }
}

/// Accumulates `TeacherCheckResult` clip by clip.
public struct TeacherChecker {
    /// Openness class of each vowel: 1 close (iy ih uw uh), 2 close-mid (ey ow er), 3 open-mid
    /// (eh ah ao oy), 4 open (ae aa aw ay).
    public static let vowelOpenness: [String: Int] = [
        "iy": 1, "ih": 1, "uw": 1, "uh": 1, "ey": 2, "ow": 2, "er": 2, "eh": 3, "ah": 3, "ao": 3, "oy": 3,
        "ae": 4, "aa": 4, "aw": 4, "ay": 4,
    ]
    public static let bilabials: Set<String> = ["p", "b", "m"]
    /// Frames of slack either side of a bilabial segment (the teacher leads the audio by 1–2 frames).
    public var slackSeconds = 1.0 / 30
    /// The lip gap of one frame in mm (the default head's geometry).
    public let gap: ([Float]) -> Float
    /// Gap below which the lips count as closed (mm).
    public let closedThreshold: Float

    private var counts = TeacherCheckResult()
    private var openness: [Double] = [], gaps: [Double] = [], jaws: [Double] = []

    public init(gap: @escaping ([Float]) -> Float, closedThreshold: Float) {
        self.gap = gap
        self.closedThreshold = closedThreshold
    }

    /// Adds one clip: 52 × F weights (frame-major) at `fps` with its phones.
    public mutating func add(weights: [Float], fps: Double, phones: [TimedPhone]?) {
        let n = ARKit.count
        let frames = weights.count / n
        guard frames > 0 else { return }
        counts.outOfRange += weights.reduce(0) { $0 + (($1 >= 0 && $1 <= 1) ? 0 : 1) }
        var frameGaps = [Float](repeating: 0, count: frames)
        for f in 0..<frames { frameGaps[f] = gap(Array(weights[f * n..<(f + 1) * n])) }
        // Blinks: both lids' mean crossing 0.5 upward, then back below 0.3.
        var closed = false
        let left = ARKitBlendshape.eyeBlinkLeft.index, right = ARKitBlendshape.eyeBlinkRight.index
        for f in 0..<frames {
            let lid = (weights[f * n + left] + weights[f * n + right]) / 2
            if !closed && lid > 0.5 { closed = true; counts.blinks += 1 } else if closed && lid < 0.3 { closed = false }
        }
        counts.minutes += Double(frames) / fps / 60
        let jaw = ARKitBlendshape.jawOpen.index
        for phone in phones ?? [] {
            if Self.bilabials.contains(phone.phone) {
                let first = max(0, Int(((phone.start - slackSeconds) * fps).rounded(.up)))
                var last = min(frames - 1, Int(((phone.end + slackSeconds) * fps).rounded(.down)))
                var lower = first
                if last < first {  // a segment shorter than a frame: the frame nearest its middle
                    lower = min(frames - 1, max(0, Int(((phone.start + phone.end) / 2 * fps).rounded())))
                    last = lower
                }
                guard lower < frames else { continue }
                counts.bilabialSegments += 1
                if (lower...last).contains(where: { frameGaps[$0] < closedThreshold }) { counts.bilabialClosed += 1 }
            } else if let openClass = Self.vowelOpenness[phone.phone] {
                // The middle half of the segment.
                let quarter = (phone.end - phone.start) / 4
                let first = max(0, Int(((phone.start + quarter) * fps).rounded(.up)))
                let last = min(frames - 1, Int(((phone.end - quarter) * fps).rounded(.down)))
                guard first <= last else { continue }
                let span = first...last
                gaps.append(span.reduce(0.0) { $0 + Double(frameGaps[$1]) } / Double(span.count))
                jaws.append(span.reduce(0.0) { $0 + Double(weights[$1 * n + jaw]) } / Double(span.count))
                openness.append(Double(openClass))
            }
        }
    }

    /// The checks over every clip added so far.
    public var result: TeacherCheckResult {
        var result = counts
        result.vowelSegments = openness.count
        result.opennessGapCorrelation = Self.pearson(openness, gaps)
        result.opennessJawCorrelation = Self.pearson(openness, jaws)
        result.meanGapByOpenness = (1...4).map { c in
            let values = zip(openness, gaps).filter { $0.0 == Double(c) }.map(\.1)
            return values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
        }
        return result
    }

    /// Pearson correlation (0 when either side is constant or empty).
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        guard x.count == y.count, x.count > 1 else { return 0 }
        let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
            syy += (b - my) * (b - my)
        }
        guard sxx > 0, syy > 0 else { return 0 }
        return sxy / (sxx * syy).squareRoot()
    }
}
