import Foundation

/// The sync check between a clip's audio and its tracked lips: the loudness envelope at the animation's
/// frame rate against the landmark lip gap, cross-correlated over a range of lags. Speech opens the
/// mouth, so in a synchronised take the correlation peaks near lag 0; a clear peak far from 0 means
/// the audio is shifted, and no peak at all means the lips do not follow the audio (dubbed, a still
/// photo, the wrong speaker).
public enum AudioLipSync {
    /// What the check found.
    public struct Result: Codable, Sendable, Equatable {
        /// Frames by which the audio follows the lips at the best correlation (negative: the audio leads).
        public var bestLag: Int
        /// Pearson r at the best lag and at lag 0.
        public var bestCorrelation: Double
        public var correlationAtZero: Double
        /// Frames compared (both the face and a finite envelope value present).
        public var frames: Int
        /// Standard deviation of the detrended, smoothed lip gap (inter-pupil distances): ~0 for a still face.
        public var lipMotion: Double
    }

    /// Loudness per frame: RMS of the samples of frame f (time f / fps … (f + 1) / fps) in dB, floored at
    /// −80 dB so that digital silence does not dominate the correlation. [F]
    public static func envelope(_ samples: [Float], sampleRate: Int, fps: Double, frameCount: Int) -> [Float] {
        (0..<frameCount).map { f in
            let start = min(samples.count, Int((Double(f) / fps * Double(sampleRate)).rounded()))
            let end = min(samples.count, Int((Double(f + 1) / fps * Double(sampleRate)).rounded()))
            guard end > start else { return -80 }
            var sum: Double = 0
            for i in start..<end { sum += Double(samples[i]) * Double(samples[i]) }
            let rms = (sum / Double(end - start)).squareRoot()
            return Float(max(-80, 20 * log10(max(rms, 1e-12))))
        }
    }

    /// Pearson r of `a[t]` against `b[t + lag]` over the frames where both are valid.
    static func correlation(_ a: [Float], _ b: [Float], valid: [Bool], lag: Int) -> (r: Double, n: Int) {
        var sa = 0.0, sb = 0.0, saa = 0.0, sbb = 0.0, sab = 0.0, n = 0
        for t in 0..<a.count where t + lag >= 0 && t + lag < b.count && valid[t] && valid[t + lag] {
            let x = Double(a[t]), y = Double(b[t + lag])
            sa += x; sb += y; saa += x * x; sbb += y * y; sab += x * y; n += 1
        }
        guard n >= 3 else { return (0, n) }
        let count = Double(n)
        let cov = sab / count - sa / count * sb / count
        let va = saa / count - sa / count * sa / count, vb = sbb / count - sb / count * sb / count
        guard va > 1e-12, vb > 1e-12 else { return (0, n) }
        return (cov / (va * vb).squareRoot(), n)
    }

    /// The lag in −`maximumLag` … `maximumLag` frames with the highest correlation between the lip gap
    /// and the envelope (`valid` marks frames with a tracked face). Both series are first detrended (their
    /// `detrendSeconds` moving average removed: loudness drifts with the microphone, the gap with the
    /// pose) and smoothed over 3 frames, which on the realface-dev clips roughly doubled the peak
    /// correlation. Ties go to the lag nearest 0.
    public static func check(lipGap: [Float], envelope: [Float], valid: [Bool], maximumLag: Int, fps: Double,
                             detrendSeconds: Double = 0.5) -> Result {
        precondition(lipGap.count == envelope.count && valid.count == lipGap.count, "one value per frame")
        let usable = zip(valid, zip(lipGap, envelope)).map { $0 && $1.0.isFinite && $1.1.isFinite }
        let half = max(1, Int((detrendSeconds * fps / 2).rounded()))
        let gap = smoothed(detrended(filled(lipGap, usable), half: half), half: 1)
        let level = smoothed(detrended(filled(envelope, usable), half: half), half: 1)
        let zero = correlation(gap, level, valid: usable, lag: 0)
        var best = (lag: 0, r: zero.r)
        for magnitude in stride(from: 1, through: maximumLag, by: 1) {
            for lag in [-magnitude, magnitude] {
                let r = correlation(gap, level, valid: usable, lag: lag).r
                if r > best.r + 1e-9 { best = (lag, r) }
            }
        }
        let moving = zip(gap, usable).filter(\.1).map { Double($0.0) }
        let mean = moving.reduce(0, +) / Double(max(1, moving.count))
        let motion = (moving.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, moving.count))).squareRoot()
        return Result(bestLag: best.lag, bestCorrelation: best.r, correlationAtZero: zero.r, frames: zero.n, lipMotion: motion)
    }

    /// Unusable frames get the value of the nearest usable one (so that filtering spreads nothing from them).
    static func filled(_ values: [Float], _ usable: [Bool]) -> [Float] {
        guard let first = usable.firstIndex(of: true) else { return [Float](repeating: 0, count: values.count) }
        var out = values, last = values[first]
        for f in out.indices { if usable[f] { last = values[f] } else { out[f] = last } }
        for f in 0..<first { out[f] = values[first] }
        return out
    }

    /// Centred moving average over 2·half + 1 frames, edges held.
    static func smoothed(_ values: [Float], half: Int) -> [Float] {
        guard !values.isEmpty else { return [] }
        return values.indices.map { f in
            var sum: Float = 0
            for g in (f - half)...(f + half) { sum += values[min(values.count - 1, max(0, g))] }
            return sum / Float(2 * half + 1)
        }
    }

    static func detrended(_ values: [Float], half: Int) -> [Float] {
        zip(values, smoothed(values, half: half)).map { $0 - $1 }
    }
}

extension AudioLipSync {
    /// Speech frames: louder than both −55 dB and the clip's 95th-percentile loudness − 30 dB, so that a
    /// quiet recording and a noisy one are judged against their own level.
    public static func speaking(_ envelope: [Float]) -> [Bool] {
        guard !envelope.isEmpty else { return [] }
        let sorted = envelope.sorted()
        let loud = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.95))]
        let threshold = max(-55, loud - 30)
        return envelope.map { $0 > threshold }
    }
}
