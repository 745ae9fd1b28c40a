import Foundation
import M2FAudio
import M2FFace

/// Singing mode (`AnimationOptions.singing`, `m2f animate --singing`): the model learnt its mouth from
/// speech, where no vowel lasts; on a held sung vowel it keeps articulating, and vibrato (5–7 Hz pitch
/// wobble) reaches the jaw as chatter. This finds the held vowels in the audio and low-passes the mouth
/// channels inside them, so the jaw holds its opening (and its slow drift) while the wobble goes.
/// `SungNoteOpening` then opens loud and high notes wider.
///
/// A held vowel is a run of at least `minimumSeconds` of voiced frames (within `voicedBelowLoudDB` of
/// the clip's loud level, its 90th percentile) whose spectral envelope stays put: the RMS change of
/// cepstral coefficients 1…12 of the Whisper log-mel (dB) between the frames 2 before and 2 after,
/// median-filtered over 3 frames, below `maximumChangeDB`. The envelope is what the vowel is; the
/// cepstrum keeps it apart from the harmonics that vibrato moves. Measured on the sung LibriVox phrases
/// (make singing-data) and the five read clips they came from: 12 dB finds 89 % of held-note frames,
/// flags no frame outside a note and no frame of the read speech (docs/SINGING.md).
package struct SungVowelHold: Sendable {
    package var maximumChangeDB = 12.0
    package var minimumSeconds = 0.25
    package var voicedBelowLoudDB = 25.0
    /// σ of the Gaussian low-pass inside a held vowel: 0.15 s keeps under 0.1 % of a 4 Hz wobble and
    /// 64 % of a 1 Hz drift.
    package var smoothingSeconds = 0.15
    /// Frames over which the smoothed mouth fades in and out at a run's ends.
    package var fadeFrames = 3
    package init() {}

    /// The held-vowel runs of `samples` (16 kHz) as frame ranges at `fps`, over `frameCount` frames.
    package func heldVowels(samples: [Float], fps: Double, frameCount: Int) -> [Range<Int>] {
        guard frameCount > 4, !samples.isEmpty else { return [] }
        let mel = WhisperLogMel()
        let bands = mel.melCount
        let logMel = mel.compute(samples)
        let melFrames = logMel.count / bands
        // Mean log-mel (dB: 10·log10 = 40 × Whisper's scaled value, up to a constant) per video frame.
        var envelope = [Double](repeating: 0, count: frameCount * bands), counts = [Int](repeating: 0, count: frameCount)
        for i in 0..<melFrames {
            let f = Int(Double(i) / 100 * fps)
            guard f < frameCount else { break }
            counts[f] += 1
            for k in 0..<bands { envelope[f * bands + k] += 40 * Double(logMel[k * melFrames + i]) }
        }
        let coefficients = 12
        var cepstra = [Double](repeating: 0, count: frameCount * coefficients)
        for f in 0..<frameCount where counts[f] > 0 {
            for q in 1...coefficients {
                var sum = 0.0
                for k in 0..<bands { sum += envelope[f * bands + k] * cos(Double.pi / Double(bands) * (Double(k) + 0.5) * Double(q)) }
                cepstra[f * coefficients + q - 1] = sum / Double(counts[f]) * (2 / Double(bands)).squareRoot()
            }
        }
        var change = [Double](repeating: .infinity, count: frameCount)
        for f in 2..<(frameCount - 2) where counts[f - 2] > 0 && counts[f + 2] > 0 {
            var sum = 0.0
            for q in 0..<coefficients {
                let d = cepstra[(f + 2) * coefficients + q] - cepstra[(f - 2) * coefficients + q]
                sum += d * d
            }
            change[f] = (sum / Double(coefficients)).squareRoot()
        }
        let smoothed = change.indices.map { f in
            [change[max(0, f - 1)], change[f], change[min(frameCount - 1, f + 1)]].sorted()[1]
        }
        let level = Self.levels(samples: samples, fps: fps, frameCount: frameCount)
        let loud = level.sorted()[Int(0.9 * Double(frameCount - 1))]
        let held = (0..<frameCount).map { smoothed[$0] < maximumChangeDB && level[$0] > loud - voicedBelowLoudDB }
        var runs: [Range<Int>] = [], start: Int?
        for f in 0...frameCount {
            if f < frameCount, held[f] { start = start ?? f; continue }
            if let s = start, Double(f - s) >= minimumSeconds * fps { runs.append(s..<f) }
            start = nil
        }
        return runs
    }

    /// Frame level in dB: the mean square of the samples within half a frame of the frame's time.
    static func levels(samples: [Float], fps: Double, frameCount: Int) -> [Double] {
        let half = Int(16_000 / fps / 2)
        return (0..<frameCount).map { f in
            let centre = Int(Double(f) / fps * 16_000)
            let lower = max(0, centre - half), upper = min(samples.count, centre + half)
            guard lower < upper else { return -100 }
            var energy = 0.0
            for i in lower..<upper { energy += Double(samples[i]) * Double(samples[i]) }
            return 10 * log10(max(energy / Double(upper - lower), 1e-10))
        }
    }

    /// Low-passes the mouth channels (`SpeakingStyle.articulationChannels`) of `animation` inside each
    /// run, clamped to [0, 1].
    package func apply(to animation: inout FaceAnimation, runs: [Range<Int>]) {
        let sigma = smoothingSeconds * animation.fps
        let channels = SpeakingStyle.articulationChannels.sorted()
        for run in runs where run.count >= 2 && run.upperBound <= animation.frameCount {
            for c in channels {
                let track = run.map { Double(animation.weights[$0 * ARKit.count + c]) }
                let low = Self.gaussianSmoothed(track, sigma: sigma)
                for (i, f) in run.enumerated() {
                    let fade = min(1, Double(i + 1) / Double(fadeFrames + 1), Double(run.count - i) / Double(fadeFrames + 1))
                    animation.weights[f * ARKit.count + c] = Float(min(1, max(0, fade * low[i] + (1 - fade) * track[i])))
                }
            }
        }
    }

    /// Gaussian smoothing with mirrored edges (d c b a | a b c d | d c b a), kernel radius ⌊4σ + 0.5⌋.
    static func gaussianSmoothed(_ x: [Double], sigma: Double) -> [Double] {
        guard sigma > 0, x.count > 1 else { return x }
        let radius = Int(4 * sigma + 0.5), n = x.count
        let kernel = (-radius...radius).map { exp(-0.5 * Double($0 * $0) / (sigma * sigma)) }
        let total = kernel.reduce(0, +)
        func mirrored(_ i: Int) -> Int {
            var j = i % (2 * n)
            if j < 0 { j += 2 * n }
            return j < n ? j : 2 * n - 1 - j
        }
        return (0..<n).map { i in (-radius...radius).reduce(0.0) { $0 + kernel[$1 + radius] * x[mirrored(i + $1)] } / total }
    }
}
