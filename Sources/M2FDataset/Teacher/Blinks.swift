import Foundation
import M2FEngine

/// Spontaneous blinks: a renewal process at a per-clip rate, pulled to phrase boundaries.
///
/// Intervals are `minimumInterval` + exponential, so the mean interval is 60 / rate. Each blink
/// within `boundaryAttraction` of a phrase boundary (the start of a pause ≥ `boundaryMinimumPause`
/// after speech) moves just after it — boundaries collect blinks without changing the rate. Blinks
/// that end up closer than `minimumInterval` are dropped. Profile: closing over `closingFraction`
/// of the duration, held for `holdFraction`, opening over the rest (smooth ramps), so at least
/// half the blink is above 0.5 and even a 100 ms blink shows at 30 fps.
struct BlinkTrack: Sendable {
    struct Blink: Sendable, Equatable {
        var start: Double
        var duration: Double
        var peakLeft: Double
        var peakRight: Double
    }

    var blinks: [Blink]

    init(duration: Double, boundaries: [Double], seed: UInt64, settings s: BlinkSettings) {
        var generator = TeacherStream.blinks.generator(seed: seed)
        func uniform(_ range: ClosedRange<Double>) -> Double {
            range.lowerBound + Double(generator.nextUniform()) * (range.upperBound - range.lowerBound)
        }
        let rate = uniform(s.ratePerMinute)
        let meanInterval = 60 / max(rate, 1e-3)
        let extra = max(meanInterval - s.minimumInterval, 0.05)
        func interval() -> Double { s.minimumInterval - extra * Foundation.log(max(Double(generator.nextUniform()), 1e-9)) }
        var times: [Double] = []
        // Start mid-process: the first blink is a uniform fraction of an interval in.
        var t = Double(generator.nextUniform()) * interval()
        while t < duration {
            times.append(t)
            t += interval()
        }
        // Attraction to phrase boundaries (each boundary takes at most one blink).
        var taken = Set<Int>()
        for i in times.indices {
            var best: Int?
            for (b, boundary) in boundaries.enumerated() where !taken.contains(b) && abs(boundary - times[i]) <= s.boundaryAttraction {
                if best == nil || abs(boundary - times[i]) < abs(boundaries[best!] - times[i]) { best = b }
            }
            if let best {
                taken.insert(best)
                times[i] = boundaries[best] + 0.04 + 0.1 * Double(generator.nextUniform())
            }
        }
        times.sort()
        var kept: [Blink] = []
        for time in times where time < duration {
            if let last = kept.last, time - last.start < s.minimumInterval { continue }
            let logDuration = Foundation.log(s.typicalDuration) + s.durationLogSigma * Double(generator.nextNormal())
            let length = min(s.duration.upperBound, max(s.duration.lowerBound, Foundation.exp(logDuration)))
            let peak = uniform(s.peak)
            let difference = s.sideDifference * (2 * Double(generator.nextUniform()) - 1)
            kept.append(Blink(start: time, duration: length, peakLeft: min(1, peak + difference), peakRight: min(1, peak - difference)))
        }
        blinks = kept
    }

    /// The closure profile (0…1) of a blink at `u` = (t − start) / duration.
    static func profile(_ u: Double, settings s: BlinkSettings) -> Double {
        if u <= 0 || u >= 1 { return 0 }
        let close = s.closingFraction, hold = s.holdFraction
        if u < close { return smoothRamp(0, close, u) }
        if u < close + hold { return 1 }
        return 1 - smoothRamp(close + hold, 1, u)
    }

    /// Writes eyeBlinkLeft/Right into per-frame arrays (F each).
    func render(frameCount: Int, fps: Double, settings s: BlinkSettings) -> (left: [Float], right: [Float]) {
        var left = [Float](repeating: 0, count: frameCount), right = left
        for blink in blinks {
            let first = max(0, Int((blink.start * fps).rounded(.down)))
            let last = min(frameCount - 1, Int(((blink.start + blink.duration) * fps).rounded(.up)))
            guard first <= last else { continue }
            for f in first...last {
                let value = Self.profile((Double(f) / fps - blink.start) / blink.duration, settings: s)
                left[f] = max(left[f], Float(value * blink.peakLeft))
                right[f] = max(right[f], Float(value * blink.peakRight))
            }
        }
        return (left, right)
    }
}
