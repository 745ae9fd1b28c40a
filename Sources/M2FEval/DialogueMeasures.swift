import Foundation
import M2FFace
import Media2Face

/// Head nods in a pitch track: a local maximum of pitch (face tipped down) that stands at least
/// `minimumDegrees` above the lowest pitch of the `windowSeconds` before it and of the
/// `windowSeconds` after it, at least `spacingSeconds` after the previous nod. The same detector
/// measures tracked real faces and animations, so their nod rates and sizes compare.
package enum NodDetector {
    package struct Nod: Sendable, Equatable {
        package var frame: Int
        /// The smaller of the two rises (degrees).
        package var prominenceDegrees: Double
        /// Seconds the pitch stays above half the prominence around the peak.
        package var widthSeconds: Double
    }

    package static let minimumDegrees = 1.5, windowSeconds = 0.5, spacingSeconds = 0.3

    /// - Parameter pitch: head pitch per frame in degrees.
    package static func nods(pitch: [Double], fps: Double) -> [Nod] {
        let window = Int(windowSeconds * fps), spacing = Int(spacingSeconds * fps)
        var found: [Nod] = []
        guard pitch.count >= 3 else { return found }
        for f in 1..<(pitch.count - 1) where pitch[f] >= pitch[f - 1] && pitch[f] >= pitch[f + 1] {
            let before = pitch[max(0, f - window)..<f].min()!, after = pitch[(f + 1)..<min(pitch.count, f + 1 + window)].min()!
            let prominence = min(pitch[f] - before, pitch[f] - after)
            guard prominence >= minimumDegrees else { continue }
            if let last = found.last, f - last.frame < spacing { continue }
            let half = pitch[f] - prominence / 2
            var lower = f, upper = f
            while lower > 0 && pitch[lower - 1] > half { lower -= 1 }
            while upper < pitch.count - 1 && pitch[upper + 1] > half { upper += 1 }
            found.append(Nod(frame: f, prominenceDegrees: prominence, widthSeconds: Double(upper - lower + 1) / fps))
        }
        return found
    }
}

/// One face of a dialogue, measured against both speakers' loudness: does its mouth follow its own
/// voice and not the other's, and does it listen like a person (blinks, head motion, nods, mouth at
/// rest) while the other speaks.
package struct DialogueFaceMeasures: Sendable, Codable, Equatable {
    /// Pearson correlation over all frames of jawOpen and of the lip gap with each speaker's loudness (dB,
    /// floored at −60). In alternating turns the other's loudness is high where one's own is low, so
    /// "not following the other" reads as a correlation near or below 0.
    package var jawVsOwnLoudness: Double?
    package var jawVsOtherLoudness: Double?
    package var lipGapVsOwnLoudness: Double?
    package var lipGapVsOtherLoudness: Double?
    /// Over the listening frames only (the other speaks, this face does not): lip gap against the
    /// other's loudness, the direct measure of cross-talk bleeding into the mouth. Nil when the mouth
    /// does not move at all there.
    package var listeningLipGapVsOtherLoudness: Double?
    package var listeningSeconds: Double
    package var listeningBlinksPerMinute: Double
    /// Standard deviation of yaw, pitch and roll (degrees), averaged over the axes, per listening stretch
    /// of at least 1 s, weighted by length (so the offset between stretches does not count).
    package var listeningHeadRotationStdDegrees: Double
    package var listeningNodsPerMinute: Double
    /// Share of listening frames with the lips together or barely parted (lip gap under `restGapMillimetres`
    /// on the default head) and jawOpen under `restJawOpen`.
    package var listeningMouthAtRestShare: Double
    package var listeningJawOpenMean: Double
    package var speakingJawOpenMean: Double

    package static let restGapMillimetres: Float = 2, restJawOpen: Float = 0.12

    /// - Parameters: the face's animation; both speakers' clean loudness per frame (dB,
    ///   `LipSyncMetrics.loudness`); the frames where this face's speaker and the other speak (the
    ///   material's turns); the lip gap per frame (metres, `FaceSignals.lipGap`).
    package init(_ face: FaceAnimation, ownLoudness: [Double], otherLoudness: [Double], speaks: [Bool], otherSpeaks: [Bool], lipGap: [Float]) {
        let f = face.frameCount
        precondition([ownLoudness.count, otherLoudness.count, speaks.count, otherSpeaks.count, lipGap.count].allSatisfy { $0 == f },
                     "one value per frame")
        let jaw = (0..<f).map { Double(face[$0, .jawOpen]) }, gap = lipGap.map(Double.init)
        let own = ownLoudness.map { max($0, -60) }, other = otherLoudness.map { max($0, -60) }
        jawVsOwnLoudness = SignalStatistics.pearson(jaw, own)
        jawVsOtherLoudness = SignalStatistics.pearson(jaw, other)
        lipGapVsOwnLoudness = SignalStatistics.pearson(gap, own)
        lipGapVsOtherLoudness = SignalStatistics.pearson(gap, other)
        let listening = (0..<f).filter { otherSpeaks[$0] && !speaks[$0] }
        listeningLipGapVsOtherLoudness = listening.count >= 2 ? SignalStatistics.pearson(listening.map { gap[$0] }, listening.map { other[$0] }) : nil
        let minutes = Double(listening.count) / face.fps / 60
        listeningSeconds = minutes * 60
        let blink = (0..<f).map { (face[$0, .eyeBlinkLeft] + face[$0, .eyeBlinkRight]) / 2 }
        let isListening = (0..<f).map { otherSpeaks[$0] && !speaks[$0] }
        let rises = (1..<max(f, 1)).filter { isListening[$0] && blink[$0 - 1] < 0.5 && blink[$0] >= 0.5 }.count
        let degrees = 180 / Double.pi
        let nods = NodDetector.nods(pitch: face.headPose.map { Double($0.pitch) * degrees }, fps: face.fps).filter { isListening[$0.frame] }
        listeningBlinksPerMinute = minutes > 0 ? Double(rises) / minutes : 0
        listeningNodsPerMinute = minutes > 0 ? Double(nods.count) / minutes : 0
        var weighted = 0.0, frames = 0
        for run in ListeningBehaviour.runs(isListening) where Double(run.count) >= face.fps {
            let axes = [face.headPose[run].map { Double($0.yaw) }, face.headPose[run].map { Double($0.pitch) }, face.headPose[run].map { Double($0.roll) }]
            weighted += Double(run.count) * axes.map { RealFaceMotion.standardDeviation($0) * degrees }.reduce(0, +) / 3
            frames += run.count
        }
        listeningHeadRotationStdDegrees = frames > 0 ? weighted / Double(frames) : 0
        let resting = listening.filter { lipGap[$0] * 1000 < Self.restGapMillimetres && face[$0, .jawOpen] < Self.restJawOpen }.count
        listeningMouthAtRestShare = listening.isEmpty ? 0 : Double(resting) / Double(listening.count)
        listeningJawOpenMean = SignalStatistics.mean(listening.map { jaw[$0] })
        speakingJawOpenMean = SignalStatistics.mean((0..<f).filter { speaks[$0] }.map { jaw[$0] })
    }
}

/// A real person's own face in their turns of the dialogue material (tracked video), measured like a
/// model's speaking face: what the model's numbers are compared with. The clips are monologues, so
/// there are no real listening stretches; blinks, head motion and nods are over the speaking turns.
package struct DialoguePersonMeasures: Sendable, Codable, Equatable {
    package var seconds: Double
    package var jawVsOwnLoudness: Double?
    package var lipGapVsOwnLoudness: Double?
    package var blinksPerMinute: Double
    package var headRotationStdDegrees: Double
    package var nodsPerMinute: Double
    /// Median nod size and half-height width (the amounts `ListeningBehaviour` copies).
    package var nodProminenceMedianDegrees: Double?
    package var nodWidthMedianSeconds: Double?

    /// - Parameters: the tracked face of each turn, its speaker's loudness and lip gap per frame.
    package init(turns: [(face: FaceAnimation, loudness: [Double], lipGap: [Float])]) {
        var jaw: [Double] = [], gap: [Double] = [], loud: [Double] = [], frames = 0, rises = 0, weightedStd = 0.0
        var nods: [NodDetector.Nod] = []
        let degrees = 180 / Double.pi
        var fps = 30.0
        for turn in turns {
            let face = turn.face, f = face.frameCount
            fps = face.fps
            jaw += (0..<f).map { Double(face[$0, .jawOpen]) }
            gap += turn.lipGap.map(Double.init)
            loud += turn.loudness.map { max($0, -60) }
            let blink = (0..<f).map { (face[$0, .eyeBlinkLeft] + face[$0, .eyeBlinkRight]) / 2 }
            rises += (1..<max(f, 1)).filter { blink[$0 - 1] < 0.5 && blink[$0] >= 0.5 }.count
            let axes = [face.headPose.map { Double($0.yaw) }, face.headPose.map { Double($0.pitch) }, face.headPose.map { Double($0.roll) }]
            weightedStd += Double(f) * axes.map { RealFaceMotion.standardDeviation($0) * degrees }.reduce(0, +) / 3
            nods += NodDetector.nods(pitch: face.headPose.map { Double($0.pitch) * degrees }, fps: face.fps)
            frames += f
        }
        let minutes = Double(frames) / fps / 60
        seconds = minutes * 60
        jawVsOwnLoudness = SignalStatistics.pearson(jaw, loud)
        lipGapVsOwnLoudness = SignalStatistics.pearson(gap, loud)
        blinksPerMinute = minutes > 0 ? Double(rises) / minutes : 0
        headRotationStdDegrees = frames > 0 ? weightedStd / Double(frames) : 0
        nodsPerMinute = minutes > 0 ? Double(nods.count) / minutes : 0
        func median(_ x: [Double]) -> Double? { x.isEmpty ? nil : x.sorted()[x.count / 2] }
        nodProminenceMedianDegrees = median(nods.map(\.prominenceDegrees))
        nodWidthMedianSeconds = median(nods.map(\.widthSeconds))
    }
}
