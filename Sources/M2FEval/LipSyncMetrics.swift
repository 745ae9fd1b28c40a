import Foundation
import M2FDataset
import M2FFace

/// Lip-sync metrics: lip closure on bilabials, speech loudness vs lip opening (SLCC), and the
/// audio-visual offset between predicted and reference lip opening.
package enum LipSyncMetrics {
    /// The phones whose lips must meet.
    package static let bilabials: Set<String> = ["p", "b", "m"]

    /// How many bilabial segments there were and in how many the lips closed.
    package struct ClosureCount: Sendable, Equatable, Codable {
        package var closed: Int
        package var total: Int
        package init(closed: Int = 0, total: Int = 0) { self.closed = closed; self.total = total }
        /// closed / total, nil without segments.
        package var rate: Double? { total > 0 ? Double(closed) / Double(total) : nil }
        package static func + (a: ClosureCount, b: ClosureCount) -> ClosureCount {
            ClosureCount(closed: a.closed + b.closed, total: a.total + b.total)
        }
    }

    /// Frames that a phone spanning [start, end) seconds covers at `fps`: ⌊start·fps⌋ ..< max(that + 1,
    /// ⌈end·fps⌉), clipped to the animation; a segment shorter than a frame still gets one.
    package static func frames(start: Double, end: Double, fps: Double, frameCount: Int) -> Range<Int> {
        let first = max(0, Int((start * fps).rounded(.down)))
        let last = min(frameCount, max(first + 1, Int((end * fps).rounded(.up))))
        return first..<max(first, last)
    }

    /// Lip closure on bilabials: a segment counts as closed when the smallest lip gap over its frames
    /// is below `threshold` (metres; 1.5 mm, `LipGeometry.closedThresholdMillimetres`). Segments outside the
    /// animation are not counted.
    /// - Parameter gaps: per-frame lip gap in metres [F].
    package static func closure(gaps: [Float], phones: [TimedPhone], fps: Double, threshold: Float) -> ClosureCount {
        var count = ClosureCount()
        for phone in phones where bilabials.contains(phone.phone) {
            let range = frames(start: phone.start, end: phone.end, fps: fps, frameCount: gaps.count)
            guard !range.isEmpty else { continue }
            count.total += 1
            if gaps[range].min()! < threshold { count.closed += 1 }
        }
        return count
    }

    /// Speech loudness per animation frame (dB re full scale): RMS over a window of two frame periods
    /// centred at f / fps (samples outside the clip count as silence), floored at −100 dB. [F].
    package static func loudness(samples: [Float], sampleRate: Int, fps: Double, frameCount: Int) -> [Double] {
        let half = Int((Double(sampleRate) / fps).rounded())  // one frame period each side
        return (0..<frameCount).map { f in
            let centre = Int((Double(f) * Double(sampleRate) / fps).rounded())
            var energy = 0.0
            let lower = max(0, centre - half), upper = min(samples.count, centre + half)
            if lower < upper { for i in lower..<upper { energy += Double(samples[i]) * Double(samples[i]) } }
            let rms = (energy / Double(2 * half)).squareRoot()
            return 20 * log10(max(rms, 1e-5))
        }
    }

    /// SLCC: Pearson correlation of per-frame loudness (dB) and lip opening; nil when either is constant.
    package static func slcc(loudness: [Double], opening: [Float]) -> Double? {
        SignalStatistics.pearson(loudness, opening.map(Double.init))
    }

    /// Normalised cross-correlation of predicted and reference lip opening at lags −maxLag…maxLag
    /// (2·maxLag + 1 values, index lag + maxLag). At lag L the pairs are (pred[t], ref[t − L]) over the
    /// frames where both exist: a positive L means the prediction comes L frames late. A lag with too
    /// little overlap (fewer than 2 frames) or a constant side scores −∞.
    package static func crossCorrelation(predicted: [Float], reference: [Float], maxLag: Int) -> [Double] {
        precondition(predicted.count == reference.count, "offset compares equally long signals")
        let count = predicted.count
        return (-maxLag...maxLag).map { lag in
            let start = max(0, lag), end = min(count, count + lag)
            guard end - start >= 2 else { return -.infinity }
            let a = (start..<end).map { Double(predicted[$0]) }
            let b = (start..<end).map { Double(reference[$0 - lag]) }
            return SignalStatistics.pearson(a, b) ?? -.infinity
        }
    }

    /// The lag (frames) with the largest correlation; ties go to the smallest |lag|, then the negative one.
    /// nil when no lag has a finite score.
    package static func bestLag(correlation: [Double]) -> Int? {
        let maxLag = (correlation.count - 1) / 2
        var best: (lag: Int, score: Double)?
        for lag in (-maxLag...maxLag).sorted(by: { abs($0) != abs($1) ? abs($0) < abs($1) : $0 < $1 }) {
            let score = correlation[lag + maxLag]
            guard score.isFinite else { continue }
            if best == nil || score > best!.score { best = (lag, score) }
        }
        return best?.lag
    }

    /// The audio-visual offset (frames) of one clip: `bestLag` of `crossCorrelation`.
    package static func offset(predicted: [Float], reference: [Float], maxLag: Int = 10) -> Int? {
        bestLag(correlation: crossCorrelation(predicted: predicted, reference: reference, maxLag: maxLag))
    }
}
