import Foundation

/// The measures of `m2f eval singing` on one channel track (jawOpen, lip gap) sampled at `fps`.
/// Frame f lies at time f / fps; the frames of a span [start, end) are those with start ≤ f / fps < end.
package enum SingingMeasures {
    /// Frames of [start, end) within a track of `frameCount` frames.
    package static func frames(start: Double, end: Double, fps: Double, frameCount: Int) -> Range<Int> {
        let first = max(0, Int((start * fps - 1e-9).rounded(.up)))
        let last = min(frameCount, Int((end * fps - 1e-9).rounded(.up)))
        return first..<max(first, last)
    }

    /// Population standard deviation of `x` over `span`; nil for fewer than 2 frames.
    package static func standardDeviation(_ x: [Double], _ span: Range<Int>) -> Double? {
        guard span.count >= 2 else { return nil }
        let mean = span.reduce(0) { $0 + x[$1] } / Double(span.count)
        return (span.reduce(0) { $0 + (x[$1] - mean) * (x[$1] - mean) } / Double(span.count)).squareRoot()
    }

    /// Mean |x[f] − x[f − 1]| · fps over the pairs of frames both in `frames` (units per second): how
    /// fast the channel moves there. Nil without such a pair.
    package static func meanSpeed(_ x: [Double], frames: [Int], fps: Double) -> Double? {
        let inside = Set(frames)
        var sum = 0.0, count = 0
        for f in frames where f > 0 && inside.contains(f - 1) {
            sum += abs(x[f] - x[f - 1])
            count += 1
        }
        return count > 0 ? sum / Double(count) * fps : nil
    }

    /// Motion of `x` over `span` within a frequency band, after removing the least-squares line (a held
    /// note's slow drift is not chatter): (band RMS, band share). The band RMS is the RMS of the detrended
    /// signal with every DFT bin outside `band` (Hz) zeroed, by Parseval √(2 Σ_band |X_k|²) / N over the
    /// bins 0 < k < N/2; the share is the band's power over the power of all those bins (0 … 1).
    /// A sine of amplitude A at a bin frequency inside the band gives (A / √2, 1). Nil under 8 frames or
    /// for a constant (after detrending) signal's share.
    package static func bandMotion(_ x: [Double], _ span: Range<Int>, fps: Double, band: ClosedRange<Double>) -> (rms: Double, share: Double?)? {
        let n = span.count
        guard n >= 8 else { return nil }
        let t = (0..<n).map(Double.init)
        let y = span.map { x[$0] }
        let tMean = Double(n - 1) / 2, yMean = y.reduce(0, +) / Double(n)
        var sxy = 0.0, sxx = 0.0
        for i in 0..<n { sxy += (t[i] - tMean) * (y[i] - yMean); sxx += (t[i] - tMean) * (t[i] - tMean) }
        let slope = sxx > 0 ? sxy / sxx : 0
        let detrended = (0..<n).map { y[$0] - yMean - slope * (t[$0] - tMean) }
        var bandPower = 0.0, totalPower = 0.0
        for k in 1..<((n + 1) / 2) {  // 0 < k < N/2
            var re = 0.0, im = 0.0
            for i in 0..<n {
                let phase = -2 * Double.pi * Double(k * i % n) / Double(n)
                re += detrended[i] * cos(phase)
                im += detrended[i] * sin(phase)
            }
            let power = re * re + im * im
            totalPower += power
            if band.contains(Double(k) * fps / Double(n)) { bandPower += power }
        }
        let rms = (2 * bandPower).squareRoot() / Double(n)
        return (rms, totalPower > 1e-24 ? bandPower / totalPower : nil)
    }

    /// The vibrato band of jaw chatter: 4–8 Hz (sung vibrato is 5–7 Hz).
    package static let vibratoBand: ClosedRange<Double> = 4...8
}
