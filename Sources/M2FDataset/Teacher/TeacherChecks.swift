import Foundation
import M2FFace

/// Measurements that check a teacher animation against the phonetics it was made from; shared by the
/// teacher tests and the dataset checks (`m2f dataset stats`).
public enum TeacherChecks {
    /// Bilabial segments (p b m) of `phones` and how many of them have a frame with the lips closed
    /// (inner-lip gap below `LipGeometry.closedThresholdMillimetres`) within [start − slack, end + slack].
    public static func bilabialClosure(_ animation: FaceAnimation, phones: [TimedPhone],
                                       geometry: LipGeometry = .defaultHead, slack: Double = 0) -> (closed: Int, total: Int) {
        let spans = phones.filter { ARPAbet.isBilabial($0.phone) }.map { (start: $0.start, end: $0.end) }
        let closes = geometry.closes(in: animation, spans: spans, slack: slack)
        return (closes.filter { $0 }.count, spans.count)
    }

    /// Per vowel token, the mean of `shape` (jawOpen by default) over the frames whose time lies in
    /// [start − lead, end − lead] (articulation leads the audio by `lead` seconds).
    public static func vowelMeans(_ animation: FaceAnimation, phones: [TimedPhone], lead: Double,
                                  shape: ARKitBlendshape = .jawOpen) -> [(phone: String, mean: Double)] {
        vowelMeans(animation, phones: phones, lead: lead) { Double(animation[$0, shape]) }
    }

    /// Per vowel token, the mean inner-lip gap (mm) over the same frames.
    public static func vowelLipGaps(_ animation: FaceAnimation, phones: [TimedPhone], lead: Double,
                                    geometry: LipGeometry = .defaultHead) -> [(phone: String, mean: Double)] {
        vowelMeans(animation, phones: phones, lead: lead) { Double(geometry.gapMillimetres(weights: animation.frame($0))) }
    }

    static func vowelMeans(_ animation: FaceAnimation, phones: [TimedPhone], lead: Double,
                           measure: (Int) -> Double) -> [(phone: String, mean: Double)] {
        var out: [(String, Double)] = []
        for phone in phones {
            guard let name = ARPAbet.phone(phone.phone), ARPAbet.isVowel(name) else { continue }
            let first = max(0, Int(((phone.start - lead) * animation.fps).rounded(.up)))
            let last = min(animation.frameCount - 1, Int(((phone.end - lead) * animation.fps).rounded(.down)))
            guard first <= last else { continue }
            var sum = 0.0
            for f in first...last { sum += measure(f) }
            out.append((name, sum / Double(last - first + 1)))
        }
        return out
    }

    /// Blinks: rising crossings of `threshold` by the mean of eyeBlinkLeft and eyeBlinkRight.
    public static func blinkCount(_ animation: FaceAnimation, threshold: Float = 0.5) -> Int {
        var count = 0, closed = false
        for f in 0..<animation.frameCount {
            let value = 0.5 * (animation[f, .eyeBlinkLeft] + animation[f, .eyeBlinkRight])
            if value >= threshold && !closed { count += 1 }
            closed = value >= threshold
        }
        return count
    }

    /// Weights outside [0, 1] or not finite.
    public static func outOfRangeCount(_ animation: FaceAnimation) -> Int {
        animation.weights.filter { !($0 >= 0 && $0 <= 1) }.count
    }

    /// Pearson correlation of two equally long series (0 when either is constant).
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "correlation needs equally long series")
        let n = Double(x.count)
        guard n > 1 else { return 0 }
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in x.indices {
            sxy += (x[i] - mx) * (y[i] - my)
            sxx += (x[i] - mx) * (x[i] - mx)
            syy += (y[i] - my) * (y[i] - my)
        }
        return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : 0
    }
}
