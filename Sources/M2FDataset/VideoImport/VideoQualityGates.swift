import Foundation
import M2FFace

/// A stretch of a video that did not become a clip, and why.
public struct RejectedSpan: Codable, Sendable, Equatable {
    /// Seconds from the start of the video.
    public var start: Double, end: Double
    public var reason: String
}

/// The quality gates of `m2f dataset import-video`: which stretches of a tracked video are good enough
/// to train on. Thresholds were set on the real clips of `../shared/realface-dev` (docs/DATASET.md).
public struct VideoQualityGates: Codable, Sendable, Equatable {
    /// A video whose face is found in fewer of its frames is rejected whole.
    public var minimumFaceShare = 0.5
    /// Head-rotation jitter: mean |second difference| of yaw + pitch + roll (degrees per frame², at the
    /// dataset's frame rate) over a `jitterWindow`-second window. Tracking glitches spike far above
    /// real head motion.
    public var maximumJitterDegrees: Float = 3
    public var jitterWindow = 0.5
    /// The audio may follow the lips by at most this many seconds either way (best envelope/lip-gap lag)
    /// unless the peak is weak: a video is out of sync only when the best lag's correlation beats lag 0's
    /// by `syncMargin`. On the 20 realface-dev clips the best lag scatters over ±0.1 s around the
    /// forced-alignment checks, so the gate is set wider.
    public var maximumSyncLag = 0.2
    public var syncMargin = 0.1
    /// The envelope/lip-gap correlation at the best lag must reach this, and the lips must move (the
    /// detrended lip gap's standard deviation, inter-pupil distances; a still photo with speech: 0.0003),
    /// or the lips do not follow the audio. The 20 realface-dev clips reach r 0.08–0.43 (a still photo
    /// 0.12 from compression noise: lip motion, not r, tells it apart).
    public var minimumSyncCorrelation = 0.05
    public var minimumLipMotion = 0.005
    /// The tracker's jawOpen must follow its own landmark lip gap (Pearson r over the face frames); on
    /// realface-dev 17 of 19 videos read 0.60–0.95 and one speaker (styletalk_andrew) −0.19 and −0.07:
    /// weights that contradict the landmarks are not trained on.
    public var minimumJawLipAgreement = 0.3
    /// Good stretches shorter than this are dropped; longer than `maximumClipSeconds` are cut in equal parts.
    public var minimumClipSeconds = 2.0
    public var maximumClipSeconds = 20.0

    public init() {}

    /// Per-frame jitter in degrees per frame², windowed (see `maximumJitterDegrees`). [F]
    public func jitter(_ heads: [HeadPose], fps: Double) -> [Float] {
        let count = heads.count
        guard count >= 3 else { return [Float](repeating: 0, count: count) }
        var raw = [Float](repeating: 0, count: count)
        for f in 1..<(count - 1) {
            var sum: Float = 0
            for c in 0..<3 { sum += abs(heads[f + 1].values[c] - 2 * heads[f].values[c] + heads[f - 1].values[c]) }
            raw[f] = sum * 180 / .pi
        }
        let half = max(0, Int((jitterWindow * fps / 2).rounded()))
        return (0..<count).map { f in
            let range = max(0, f - half)...min(count - 1, f + half)
            return range.reduce(0) { $0 + raw[$1] } / Float(range.count)
        }
    }

    /// Splits frames into clip spans and rejected spans. `faceFound` per frame (tracked or interpolated
    /// over a short gap), `jitter` from `jitter(_:fps:)`.
    public func spans(faceFound: [Bool], jitter: [Float], fps: Double) -> (clips: [Range<Int>], rejected: [RejectedSpan]) {
        precondition(faceFound.count == jitter.count, "one value per frame")
        let reasons: [String?] = zip(faceFound, jitter).map { found, value in
            if !found { return "no face" }
            if value > maximumJitterDegrees { return String(format: "tracking jitter over %.1f° per frame²", maximumJitterDegrees) }
            return nil
        }
        var clips: [Range<Int>] = [], rejected: [RejectedSpan] = []
        func reject(_ range: Range<Int>, _ reason: String) {
            rejected.append(RejectedSpan(start: Double(range.lowerBound) / fps, end: Double(range.upperBound) / fps, reason: reason))
        }
        var f = 0
        while f < reasons.count {
            var end = f + 1
            while end < reasons.count && reasons[end] == reasons[f] { end += 1 }
            if let reason = reasons[f] {
                if reason.hasPrefix("tracking jitter") {
                    let peak = jitter[f..<end].max() ?? 0
                    reject(f..<end, reason + String(format: " (peak %.1f°)", peak))
                } else {
                    reject(f..<end, reason)
                }
            } else {
                let seconds = Double(end - f) / fps
                if seconds < minimumClipSeconds {
                    reject(f..<end, String(format: "too short: %.2f s of good frames between rejected ones (minimum %.1f s)", seconds, minimumClipSeconds))
                } else {
                    let parts = Int((seconds / maximumClipSeconds).rounded(.up))
                    for p in 0..<parts {
                        clips.append((f + (end - f) * p / parts)..<(f + (end - f) * (p + 1) / parts))
                    }
                }
            }
            f = end
        }
        return (clips, rejected)
    }
}
