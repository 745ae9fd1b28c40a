import Foundation
import M2FFace

/// How a face moves, measured the same way on a tracked video of a real speaker and on the model's
/// animation of that speaker's audio: the figures issue 17 compares (resting expression, head motion,
/// blinks). All means are over the frames of one clip.
package struct RealFaceMotion: Sendable, Codable, Equatable {
    /// Mean weights over the pause frames (speech loudness 25 dB or more below the clip's loud frames):
    /// the resting face. Falls back to all frames when a clip has no pause.
    package var restBrowInnerUp: Double
    package var restBrowDown: Double
    package var restEyeWide: Double
    package var restSmile: Double
    package var restFrown: Double
    /// Standard deviation of head yaw, pitch and roll in degrees, averaged over the three axes.
    package var headRotationStdDegrees: Double
    /// Blinks per minute: the mean of both eyes' eyeBlink rising through 0.5.
    package var blinksPerMinute: Double
    /// Mean jawOpen over the whole clip.
    package var meanJawOpen: Double
    /// Lip closures per minute of speech: the default head's lip gap falling below
    /// `LipGeometry.closedThresholdMillimetres` within a speaking stretch (p, b, m and the like; real
    /// talkers close their lips about once a second). Measures what the tracked data teaches about
    /// closures, which the bilabial closure of the synthetic split cannot see.
    package var lipClosuresPerSpeechMinute: Double
    /// Share of speech frames with closed lips.
    package var closedShareOfSpeech: Double

    /// - Parameters: the animation, its speech loudness per frame (dB, `LipSyncMetrics.loudness`) and
    ///   its lip gap per frame on the default head (metres, `FaceSignals.lipGap`).
    package init(_ animation: FaceAnimation, loudness: [Double], lipGap: [Float]) {
        let f = animation.frameCount
        precondition(loudness.count == f, "one loudness value per frame")
        func channel(_ shape: ARKitBlendshape) -> [Double] {
            let c = ARKit.index(of: shape.rawValue)!
            return (0..<f).map { Double(animation.weights[$0 * ARKit.count + c]) }
        }
        func pair(_ a: ARKitBlendshape, _ b: ARKitBlendshape) -> [Double] { zip(channel(a), channel(b)).map { ($0 + $1) / 2 } }
        let loud = loudness.sorted()[min(f - 1, f * 9 / 10)]
        var pauses = (0..<f).filter { loudness[$0] < loud - 25 }
        if pauses.isEmpty { pauses = Array(0..<f) }
        func rest(_ x: [Double]) -> Double { pauses.reduce(0) { $0 + x[$1] } / Double(pauses.count) }
        restBrowInnerUp = rest(channel(.browInnerUp))
        restBrowDown = rest(pair(.browDownLeft, .browDownRight))
        restEyeWide = rest(pair(.eyeWideLeft, .eyeWideRight))
        restSmile = rest(pair(.mouthSmileLeft, .mouthSmileRight))
        restFrown = rest(pair(.mouthFrownLeft, .mouthFrownRight))
        let degrees = 180 / Double.pi
        let axes = [animation.headPose.map { Double($0.yaw) }, animation.headPose.map { Double($0.pitch) }, animation.headPose.map { Double($0.roll) }]
        headRotationStdDegrees = axes.map { Self.standardDeviation($0) * degrees }.reduce(0, +) / 3
        let blink = pair(.eyeBlinkLeft, .eyeBlinkRight)
        let rises = (1..<max(f, 1)).filter { blink[$0 - 1] < 0.5 && blink[$0] >= 0.5 }.count
        blinksPerMinute = Double(rises) / (Double(f) / animation.fps / 60)
        meanJawOpen = SignalStatistics.mean(channel(.jawOpen))
        precondition(lipGap.count == f, "one lip gap per frame")
        let speaking = (0..<f).map { loudness[$0] >= loud - 25 }
        let closed = lipGap.map { $0 * 1000 < LipGeometry.closedThresholdMillimetres }
        let speechFrames = speaking.filter { $0 }.count
        let onsets = (1..<max(f, 1)).filter { speaking[$0] && closed[$0] && !closed[$0 - 1] }.count
        lipClosuresPerSpeechMinute = speechFrames > 0 ? Double(onsets) / (Double(speechFrames) / animation.fps / 60) : 0
        closedShareOfSpeech = speechFrames > 0 ? Double((0..<f).filter { speaking[$0] && closed[$0] }.count) / Double(speechFrames) : 0
    }

    static func standardDeviation(_ x: [Double]) -> Double {
        guard x.count > 1 else { return 0 }
        let m = SignalStatistics.mean(x)
        return (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count)).squareRoot()
    }
}

/// How well the model's mouth follows the real speaker's on the same audio.
package struct RealFaceMouthMatch: Sendable, Codable, Equatable {
    /// Pearson correlation of the lip gaps (the default head's midline gap of the model's weights and of
    /// the tracked weights) at the best lag within ±6 frames, and that lag (positive: the model is late).
    package var lipGapCorrelation: Double?
    package var bestLagFrames: Int?
    /// Pearson correlation of jawOpen at lag 0.
    package var jawOpenCorrelation: Double?

    /// - Parameters: the two animations and their lip gaps per frame (`FaceSignals.lipGap`, which
    ///   `RealFaceMotion` needs too: computed once per animation by the caller).
    package init(model: FaceAnimation, tracked: FaceAnimation, modelLipGap predicted: [Float], trackedLipGap reference: [Float]) {
        let correlation = LipSyncMetrics.crossCorrelation(predicted: predicted, reference: reference, maxLag: 6)
        bestLagFrames = LipSyncMetrics.bestLag(correlation: correlation)
        lipGapCorrelation = bestLagFrames.map { correlation[$0 + 6] }
        let jaw = ARKit.index(of: "jawOpen")!
        func jawTrack(_ a: FaceAnimation) -> [Double] { (0..<a.frameCount).map { Double(a.weights[$0 * ARKit.count + jaw]) } }
        jawOpenCorrelation = SignalStatistics.pearson(jawTrack(model), jawTrack(tracked))
    }
}
