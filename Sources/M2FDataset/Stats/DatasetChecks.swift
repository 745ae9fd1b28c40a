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
    /// Blinks (the mean of both lids rising past 0.5) over all frames, and per minute.
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

/// Accumulates `TeacherCheckResult` clip by clip, with the teacher's own measurements
/// (`TeacherChecks`, `LipGeometry` on the default head).
public struct TeacherChecker {
    /// Openness class of each vowel: 1 close (iy ih uw uh), 2 close-mid (ey ow er), 3 open-mid
    /// (eh ah ao oy), 4 open (ae aa aw ay).
    public static let vowelOpenness: [String: Int] = [
        "iy": 1, "ih": 1, "uw": 1, "uh": 1, "ey": 2, "ow": 2, "er": 2, "eh": 3, "ah": 3, "ao": 3, "oy": 3,
        "ae": 4, "aa": 4, "aw": 4, "ay": 4,
    ]
    /// Slack either side of a bilabial segment (one frame at 30 fps: the teacher leads the audio).
    public var slackSeconds = 1.0 / 30
    /// How far articulation leads the audio when vowels are measured (the teacher's visual lead).
    public var lead = TeacherConfiguration.standard.visualLead
    public let geometry: LipGeometry

    private var counts = TeacherCheckResult()
    private var openness: [Double] = [], gaps: [Double] = [], jaws: [Double] = []

    public init(geometry: LipGeometry = .defaultHead) {
        self.geometry = geometry
    }

    /// Adds one clip with its phones (nil for captures without phones).
    public mutating func add(_ animation: FaceAnimation, phones: [TimedPhone]?) {
        guard animation.frameCount > 0 else { return }
        counts.outOfRange += TeacherChecks.outOfRangeCount(animation)
        counts.blinks += TeacherChecks.blinkCount(animation)
        counts.minutes += animation.duration / 60
        guard let phones else { return }
        let closure = TeacherChecks.bilabialClosure(animation, phones: phones, geometry: geometry, slack: slackSeconds)
        counts.bilabialSegments += closure.total
        counts.bilabialClosed += closure.closed
        let vowelGaps = TeacherChecks.vowelLipGaps(animation, phones: phones, lead: lead, geometry: geometry)
        let vowelJaws = TeacherChecks.vowelMeans(animation, phones: phones, lead: lead)
        for (gap, jaw) in zip(vowelGaps, vowelJaws) {
            guard let openClass = Self.vowelOpenness[gap.phone] else { continue }
            openness.append(Double(openClass))
            gaps.append(gap.mean)
            jaws.append(jaw.mean)
        }
    }

    /// The checks over every clip added so far.
    public var result: TeacherCheckResult {
        var result = counts
        result.vowelSegments = openness.count
        result.opennessGapCorrelation = TeacherChecks.pearson(openness, gaps)
        result.opennessJawCorrelation = TeacherChecks.pearson(openness, jaws)
        result.meanGapByOpenness = (1...4).map { c in
            let values = zip(openness, gaps).filter { $0.0 == Double(c) }.map(\.1)
            return values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
        }
        return result
    }
}
