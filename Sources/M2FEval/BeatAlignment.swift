import Foundation
import M2FAudio
import M2FFace

/// Head-motion beat alignment as in Bailando (Li et al. 2022) and Media2Face: audio onset beats vs
/// the minima of head-motion speed, BA = (1/|A|) Σ_{a ∈ A} exp(−minₘ (a − m)² / 2σ²).
///
/// Audio beats: a spectral-flux onset envelope on Whisper's log-mel (100 Hz) and librosa-style peak
/// picking. Motion beats: local minima of the Gaussian-smoothed angular speed of the head.
package enum BeatAlignment {
    /// Peak-picking parameters in envelope frames (librosa's `onset_detect` defaults converted to 100 Hz).
    package struct PeakPicking: Sendable, Equatable, Codable {
        package var preMax = 3, postMax = 1, preAverage = 10, postAverage = 11, wait = 3
        /// Threshold above the local mean, on the envelope normalised to a maximum of 1.
        package var delta = 0.07
        package init() {}
    }

    /// Envelope frames per second: Whisper's hop of 160 samples at 16 kHz.
    package static let envelopeRate = 100.0

    /// Spectral-flux onset strength of a log-mel [M, T] (row-major): env[t] = meanₘ max(0, S[m, t] −
    /// S[m, t − 1]) for t ≥ 1, env[0] = 0. [T].
    package static func onsetEnvelope(logMel: [Float], melCount: Int) -> [Double] {
        precondition(melCount > 0 && logMel.count % melCount == 0, "log-mel must be [M, T]")
        let frames = logMel.count / melCount
        var envelope = [Double](repeating: 0, count: frames)
        guard frames > 1 else { return envelope }
        for m in 0..<melCount {
            let row = m * frames
            for t in 1..<frames {
                envelope[t] += Double(max(0, logMel[row + t] - logMel[row + t - 1]))
            }
        }
        return envelope.map { $0 / Double(melCount) }
    }

    /// Peaks of an envelope as `librosa.util.peak_pick` finds them on env / max(env): x[n] is the
    /// maximum of x[n − preMax ..< n + postMax], at least the mean of x[n − preAverage ..< n + postAverage]
    /// plus `delta`, and more than `wait` frames after the previous peak (windows clipped at the ends).
    package static func peaks(_ envelope: [Double], parameters p: PeakPicking = PeakPicking()) -> [Int] {
        guard let top = envelope.max(), top > 0 else { return [] }
        let x = envelope.map { $0 / top }
        let n = x.count
        var found: [Int] = []
        var previous = -p.wait - 1
        for i in 0..<n {
            let maxRange = max(0, i - p.preMax)..<min(n, i + p.postMax)
            guard x[i] == x[maxRange].max() else { continue }
            let averageRange = max(0, i - p.preAverage)..<min(n, i + p.postAverage)
            let mean = x[averageRange].reduce(0, +) / Double(averageRange.count)
            guard x[i] >= mean + p.delta, i > previous + p.wait else { continue }
            found.append(i)
            previous = i
        }
        return found
    }

    /// Onset times (seconds) of 16 kHz speech.
    package static func audioBeats(samples: [Float], parameters: PeakPicking = PeakPicking()) -> [Double] {
        let mel = WhisperLogMel()
        let envelope = onsetEnvelope(logMel: mel.compute(samples), melCount: mel.melCount)
        return peaks(envelope, parameters: parameters).map { Double($0) / envelopeRate }
    }

    /// Times (seconds) of head-motion beats: local minima of the angular speed
    /// ‖(yaw, pitch, roll)[f + 1] − (yaw, pitch, roll)[f]‖ · fps (rad/s), smoothed with a Gaussian of
    /// `smoothing` frames; the speed between frames f and f + 1 sits at (f + ½) / fps.
    package static func motionBeats(headPose: [HeadPose], fps: Double, smoothing: Double = 2) -> [Double] {
        guard headPose.count >= 2 else { return [] }
        let speed = (0..<(headPose.count - 1)).map { f -> Double in
            let a = headPose[f], b = headPose[f + 1]
            let d = SIMD3<Double>(Double(b.yaw - a.yaw), Double(b.pitch - a.pitch), Double(b.roll - a.roll))
            return (d * d).sum().squareRoot() * fps
        }
        let smoothed = SignalStatistics.gaussianSmoothed(speed, sigma: smoothing)
        return SignalStatistics.localMinima(smoothed).map { (Double($0) + 0.5) / fps }
    }

    /// BA over audio beats (seconds): the mean of exp(−d² / 2σ²), d the distance to the nearest motion
    /// beat. nil without audio beats; 0 when there is no motion beat.
    package static func score(audioBeats: [Double], motionBeats: [Double], sigma: Double = 0.1) -> Double? {
        guard !audioBeats.isEmpty else { return nil }
        guard !motionBeats.isEmpty else { return 0 }
        let total = audioBeats.reduce(0.0) { sum, beat in
            let nearest = motionBeats.map { ($0 - beat) * ($0 - beat) }.min()!
            return sum + exp(-nearest / (2 * sigma * sigma))
        }
        return total / Double(audioBeats.count)
    }
}
