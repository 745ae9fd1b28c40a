import Foundation
import M2FFace
import Testing
@testable import M2FDataset

/// The pure parts of `import-video`: the audio/lip sync check, the span gates and the calibration,
/// each against values worked out by hand.
@Suite("import-video: sync check, gates, calibration")
struct VideoImportGateTests {
    /// A lip-gap-like series: syllables at ~3 Hz with pauses (deterministic).
    static func syllables(_ count: Int) -> [Float] {
        (0..<count).map { f in
            let t = Double(f) / 30
            return Float(max(0, sin(2 * .pi * 3.1 * t)) * (0.6 + 0.4 * sin(0.7 * t)) * (Int(t) % 4 == 3 ? 0 : 1))
        }
    }

    @Test("the best lag is the shift between envelope and lip gap; unrelated series have no peak")
    func syncLag() {
        let gap = Self.syllables(300)
        for shift in [-4, 0, 3] {
            // envelope[t] = gap[t − shift]: the audio follows the lips by `shift` frames.
            let envelope = (0..<300).map { f in f - shift >= 0 && f - shift < 300 ? 20 * gap[f - shift] - 60 : -60 }
            let result = AudioLipSync.check(lipGap: gap, envelope: envelope, valid: Array(repeating: true, count: 300), maximumLag: 9, fps: 30)
            #expect(result.bestLag == shift && result.bestCorrelation > 0.95, "\(shift): \(result)")
        }
        // A constant face (a still photo) against speech: no correlation at any lag.
        let still = AudioLipSync.check(lipGap: Array(repeating: 0.01, count: 300), envelope: gap.map { 20 * $0 - 60 },
                                       valid: Array(repeating: true, count: 300), maximumLag: 9, fps: 30)
        #expect(still.bestCorrelation == 0)
        // Frames without a face are left out: a nonsense value there changes nothing.
        var spoiled = gap
        var valid = Array(repeating: true, count: 300)
        for f in 100..<120 { spoiled[f] = 50; valid[f] = false }
        let masked = AudioLipSync.check(lipGap: spoiled, envelope: gap, valid: valid, maximumLag: 3, fps: 30)
        #expect(masked.bestLag == 0 && masked.bestCorrelation > 0.95)
    }

    @Test("the envelope is the RMS level of each frame's samples in dB; speech is judged against the clip's own level")
    func envelope() {
        let rate = 16_000
        // Frame 0 silent, frame 1 a 0.5-amplitude square wave (RMS 0.5 → −6.02 dB).
        let samples = [Float](repeating: 0, count: 533) + (0..<534).map { $0 % 2 == 0 ? 0.5 : -0.5 }
        let levels = AudioLipSync.envelope(samples, sampleRate: rate, fps: 30, frameCount: 2)
        #expect(levels[0] == -80 && abs(levels[1] + 6.0206) < 0.01)
        let speaking = AudioLipSync.speaking([-80, -70, -20, -25, -52, -45])
        #expect(speaking == [false, false, true, true, false, true])
    }

    @Test("spans: no face and jitter are rejected with their reasons, short stretches dropped, long ones cut evenly")
    func spans() {
        var gates = VideoQualityGates()
        gates.minimumClipSeconds = 1
        gates.maximumClipSeconds = 2
        // 0–3 s good, 3–3.5 s no face, 3.5–4 s good (too short), 4–4.2 s jitter, 4.2–5.5 s good.
        var found = Array(repeating: true, count: 165), jitter = [Float](repeating: 0.2, count: 165)
        for f in 90..<105 { found[f] = false }
        for f in 120..<126 { jitter[f] = 4.5 }
        let (clips, rejected) = gates.spans(faceFound: found, jitter: jitter, fps: 30)
        #expect(clips == [0..<45, 45..<90, 126..<165])
        #expect(rejected.map { String($0.reason.prefix(8)) } == ["no face", "too shor", "tracking"])
        #expect(rejected.map(\.start) == [3, 3.5, 4] && rejected[2].reason.contains("peak 4.5°"))
    }

    @Test("jitter: a steady turn has none, a one-frame glitch shows as its second difference")
    func jitter() {
        var gates = VideoQualityGates()
        gates.jitterWindow = 0
        let turn = (0..<10).map { HeadPose(yaw: Float($0) * 0.01) }
        #expect(gates.jitter(turn, fps: 30).allSatisfy { abs($0) < 1e-3 })
        var glitch = [HeadPose](repeating: .identity, count: 5)
        glitch[2] = HeadPose(pitch: Float(2 * Double.pi / 180))
        let values = gates.jitter(glitch, fps: 30)
        #expect(abs(values[2] - 4) < 1e-3 && abs(values[1] - 2) < 1e-3 && values[0] == 0)
    }

    @Test("calibration: jawOpen rescaled to the default head's gain, resting offsets removed, mouthClose from the lip gap, pose centred")
    func calibration() throws {
        let n = ARKit.count
        let jaw = ARKit.index(of: "jawOpen")!, close = ARKit.index(of: "mouthClose")!, squint = ARKit.index(of: "eyeSquintLeft")!
        let gap = Self.syllables(300).map { 0.02 + 0.3 * $0 }
        var samples: [TrackerCalibration.Sample] = []
        var weights: [Float] = []
        for f in 0..<300 {
            var w = [Float](repeating: 0, count: n)
            w[jaw] = 0.1 + 0.5 * (gap[f] - 0.02)      // this speaker's jawOpen gain: 0.5 per unit lip gap
            w[squint] = 0.3                           // open eyes read as squinting
            weights += w
        }
        for f in 0..<300 {
            samples.append(.init(weights: weights[f * n..<(f + 1) * n], lipGap: gap[f], speaking: gap[f] > 0.021,
                                 head: HeadPose(yaw: 0.2, tz: -0.5)))
        }
        let calibration = TrackerCalibration.measure(samples, scope: "speaker:test", reference: 2.3)
        #expect(!calibration.restingFallback && calibration.restingFrames >= 15)
        #expect(abs(calibration.jawOpenPerLipGap! - 0.5) < 1e-3 && abs(calibration.neutral[jaw] - 0.1) < 1e-4)
        #expect(abs(calibration.neutral[squint] - 0.3) < 1e-6 && abs(calibration.lipGapRest - 0.02) < 1e-6)
        var animation = FaceAnimation(fps: 30, weights: weights, headPose: Array(repeating: HeadPose(yaw: 0.2, tz: -0.5), count: 300))
        calibration.apply(to: &animation, lipGap: gap)
        for f in [5, 12, 40, 95] {
            // jawOpen′ = (2.3 / 0.5) · (jawOpen − 0.1) = 2.3 · (gap − 0.02); lips as open as the jaw → mouthClose 0.
            #expect(abs(animation.weights[f * n + jaw] - min(1, 2.3 * (gap[f] - 0.02))) < 1e-4)
            #expect(animation.weights[f * n + close] < 1e-4 && animation.weights[f * n + squint] == 0)
            #expect(animation.headPose[f].values.allSatisfy { abs($0) < 1e-6 })
        }
        // Lips shut while the jaw is open (a bilabial): mouthClose takes the jaw opening.
        var shut = FaceAnimation(fps: 30, weights: Array(weights[40 * n..<41 * n]))
        calibration.apply(to: &shut, lipGap: [0.02])
        #expect(abs(shut.weights[close] - shut.weights[jaw]) < 1e-6 && shut.weights[jaw] > 0.1)
        // The record round-trips through JSON.
        let decoded = try JSONDecoder().decode(TrackerCalibration.self, from: try JSONEncoder().encode(calibration))
        #expect(decoded == calibration)
    }
}
