import Foundation
import M2FFace

/// Per-speaker calibration of tracked ARKit weights (MediaPipe's blendshape model) against geometry
/// and the speaker's resting face, recorded with each clip so that it can be undone.
///
/// MediaPipe's scores are biased per person: jawOpen's gain per unit of actual mouth opening differs
/// several-fold between people, mouthClose barely fires, and eyeSquint/eyeLookDown read ~0.3 on open
/// level eyes. So, as Live Link Face's "calibrate" does with a neutral pose:
/// - every channel k: w′ = clamp(scale_k · (w − neutral_k), 0, 1), neutral_k the median over the
///   speaker's resting frames (face tracked, no speech within ±0.1 s), scale_k = 1 / (1 − neutral_k);
/// - jawOpen: neutral is its regression value at the resting lip gap (the gap's 5th percentile), scale =
///   `referenceJawOpenPerLipGap / jawOpenPerLipGap`, the
///   speaker's regression slope of jawOpen on the lip gap (`LipGap`, inter-pupil units) mapped to the
///   default head's, so every speaker's jawOpen′ ≈ reference · (gap − resting gap);
/// - mouthClose′ = clamp(jawOpen′ − reference · (gap − lipGapRest), 0, jawOpen′): the part of the jaw
///   opening that the lips close over (on the ARKit rig mouthClose = jawOpen shuts the lips);
/// - head pose: the speaker's median pose is subtracted (camera placement is not performance).
/// Undo: w = neutral_k + w′ / scale_k for unclamped values; the importer also stores the tracker's own
/// weights as `<id>.tracked_weights`, and head pose + `headPoseCentre` restores the pose.
public struct TrackerCalibration: Codable, Sendable, Equatable {
    /// What it was measured over: `speaker:<id>` (all clips of one performer) or `clip:<video>`.
    public var scope: String
    /// Per ARKit channel, canonical order. [52]
    public var neutral: [Float]
    public var scale: [Float]
    /// The speaker's jawOpen per unit lip gap (nil when the lip gap did not vary enough to fit it: then
    /// jawOpen keeps scale 1).
    public var jawOpenPerLipGap: Float?
    public var referenceJawOpenPerLipGap: Float
    /// The lips' resting gap: the 5th percentile of the lip gap (inter-pupil units).
    public var lipGapRest: Float
    /// yaw, pitch, roll (radians), tx, ty, tz (metres) subtracted from every frame. [6]
    public var headPoseCentre: [Float]
    /// Frames measured and, of them, resting frames (`restingFallback`: too few silent frames, the 20 %
    /// with the smallest lip gap were used).
    public var frames: Int
    public var restingFrames: Int
    public var restingFallback: Bool

    /// jawOpen per unit inter-pupil lip gap on the default head as the tracker sees it: the closed loop
    /// (a jawOpen ramp 0…1 rendered on the default head and tracked back; `VideoImportTests` re-measures it).
    public static let defaultHeadJawOpenPerLipGap: Float = 2.3

    /// One tracked frame as calibration sees it.
    public struct Sample {
        public var weights: ArraySlice<Float>
        public var lipGap: Float
        public var speaking: Bool
        public var head: HeadPose
        public init(weights: ArraySlice<Float>, lipGap: Float, speaking: Bool, head: HeadPose) {
            (self.weights, self.lipGap, self.speaking, self.head) = (weights, lipGap, speaking, head)
        }
    }

    /// Measures the calibration over `samples` (tracked frames only, in time order per clip; a frame
    /// counts as resting when it and its neighbours within `restingMargin` frames are silent).
    public static func measure(_ samples: [Sample], scope: String, restingMargin: Int = 3,
                               reference: Float = defaultHeadJawOpenPerLipGap) -> TrackerCalibration {
        let n = ARKit.count
        let count = samples.count
        var resting = (0..<count).filter { f in
            (max(0, f - restingMargin)...min(count - 1, f + restingMargin)).allSatisfy { !samples[$0].speaking }
        }
        var fallback = false
        if resting.count < 15 {
            fallback = true
            let ordered = (0..<count).sorted { samples[$0].lipGap < samples[$1].lipGap }
            resting = Array(ordered.prefix(max(1, count / 5))).sorted()
        }
        var neutral = [Float](repeating: 0, count: n), scale = [Float](repeating: 1, count: n)
        for k in 0..<n where count > 0 {
            neutral[k] = min(0.9, max(0, median(resting.map { samples[$0].weights[samples[$0].weights.startIndex + k] })))
            scale[k] = 1 / (1 - neutral[k])
        }
        // Lips at rest: the 5th percentile of the gap (closures in speech reach it; silent frames often
        // hold the mouth ajar: their median gap read up to 0.17 on realface-dev and clamped real openings).
        let gaps = samples.map(\.lipGap).filter(\.isFinite).sorted()
        let gapRest = gaps.isEmpty ? 0 : gaps[Int(Double(gaps.count - 1) * 0.05)]
        let jaw = ARKit.index(of: "jawOpen")!, close = ARKit.index(of: "mouthClose")!
        let jaws = samples.map { $0.weights[$0.weights.startIndex + jaw] }
        let slope = count > 0 ? regressionSlope(jaws, on: samples.map(\.lipGap)) : nil
        let fitted = slope.flatMap { $0 > 0.05 ? $0 : nil }
        scale[jaw] = fitted.map { reference / $0 } ?? 1
        if let fitted {
            // jawOpen's rest on its regression line at the resting gap, so jawOpen′ ≈ reference · (gap − rest).
            let meanJaw = jaws.reduce(0, +) / Float(count), meanGap = samples.reduce(0) { $0 + $1.lipGap } / Float(count)
            neutral[jaw] = min(0.9, max(0, meanJaw + fitted * (gapRest - meanGap)))
        }
        (neutral[close], scale[close]) = (0, 1)
        let centre = (0..<6).map { c in count > 0 ? median(samples.map { $0.head.values[c] }) : 0 }
        return TrackerCalibration(scope: scope, neutral: neutral, scale: scale, jawOpenPerLipGap: fitted, referenceJawOpenPerLipGap: reference,
                                  lipGapRest: gapRest, headPoseCentre: centre, frames: count, restingFrames: resting.count,
                                  restingFallback: fallback)
    }

    /// Calibrates `animation`'s weights and head pose in place; `lipGap` has one value per frame.
    public func apply(to animation: inout FaceAnimation, lipGap: [Float]) {
        precondition(lipGap.count == animation.frameCount, "one lip gap per frame")
        let n = ARKit.count
        let jaw = ARKit.index(of: "jawOpen")!, close = ARKit.index(of: "mouthClose")!
        for f in 0..<animation.frameCount {
            for k in 0..<n {
                animation.weights[f * n + k] = max(0, min(1, scale[k] * (animation.weights[f * n + k] - neutral[k])))
            }
            let opening = animation.weights[f * n + jaw]
            let lipsOpen = referenceJawOpenPerLipGap * (lipGap[f] - lipGapRest)
            animation.weights[f * n + close] = lipGap[f].isFinite ? max(0, min(opening, opening - lipsOpen)) : 0
            animation.headPose[f] = HeadPose(values: zip(animation.headPose[f].values, headPoseCentre).map { $0 - $1 })
        }
    }

    static func median(_ values: [Float]) -> Float {
        let sorted = values.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// Least-squares slope of y on x over the finite pairs; nil when x barely varies.
    static func regressionSlope(_ y: [Float], on x: [Float]) -> Float? {
        let pairs = zip(x, y).filter { $0.0.isFinite && $0.1.isFinite }
        guard pairs.count >= 10 else { return nil }
        let count = Double(pairs.count)
        let mx = pairs.reduce(0.0) { $0 + Double($1.0) } / count, my = pairs.reduce(0.0) { $0 + Double($1.1) } / count
        var sxy = 0.0, sxx = 0.0
        for (a, b) in pairs { sxy += (Double(a) - mx) * (Double(b) - my); sxx += (Double(a) - mx) * (Double(a) - mx) }
        guard sxx / count > 1e-6 else { return nil }
        return Float(sxy / sxx)
    }
}
