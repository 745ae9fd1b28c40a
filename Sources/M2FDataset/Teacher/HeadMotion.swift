import Foundation
import M2FEngine
import M2FFace

/// Head motion: nods on loud (stressed) vowels, low-frequency drift and tilt, backchannel nods
/// while listening, scaled by the emotion's arousal.
///
/// Loudness is the audio's RMS in dB over each vowel (from the samples; without audio, vowel
/// length stands in for stress). Nods go on vowels within `nodLoudnessWindow` dB of the loudest,
/// loudest first, at least `nodMinimumInterval` apart; a nod is a raised-cosine bump of pitch (face
/// tipping down) `nodDuration` wide peaking `nodPeakDelay` after the vowel starts, sized by how
/// close the vowel is to the loudest. Drift: smooth noise on yaw, pitch and roll, shrunk by
/// `listeningScale` in silence. Translation follows rotation about the neck pivot.
enum HeadMotion {
    static func poses(segments: [PhoneSegment], samples: [Float], sampleRate: Int, frameCount: Int, fps: Double,
                      silence: [Float], arousal: Double, pitchBias: (Double) -> Double, seed: UInt64,
                      settings s: HeadMotionSettings) -> [HeadPose] {
        var generator = TeacherStream.head.generator(seed: seed)
        let scale = s.arousalFloor + (1 - s.arousalFloor) * min(1, max(0, arousal))
        let duration = Double(frameCount) / fps
        // Nods on loud vowels.
        var candidates: [(start: Double, loudness: Double)] = []
        for segment in segments where segment.isVowel && segment.start < duration {
            let loudness = samples.isEmpty || sampleRate <= 0
                ? 20 * Foundation.log10(max(segment.duration, 1e-3))
                : rmsDecibels(samples, sampleRate: sampleRate, from: segment.start, to: segment.end)
            candidates.append((segment.start, loudness))
        }
        candidates.sort { $0.loudness > $1.loudness }
        var nods: [(time: Double, amplitude: Double)] = []
        if let loudest = candidates.first?.loudness {
            for candidate in candidates where candidate.loudness >= loudest - s.nodLoudnessWindow {
                if nods.contains(where: { abs($0.time - candidate.start) < s.nodMinimumInterval }) { continue }
                let closeness = 1 - (loudest - candidate.loudness) / max(s.nodLoudnessWindow, 1e-6)
                let amplitude = max(s.nodMinimumAmplitude, s.nodAmplitude * scale * (0.4 + 0.6 * closeness))
                nods.append((candidate.start + s.nodPeakDelay, amplitude))
            }
        }
        // Backchannel nods while listening (silent stretches).
        if s.listeningNodsPerMinute > 0 {
            var t = 1.0 + Double(generator.nextUniform()) * 60 / s.listeningNodsPerMinute
            while t < duration {
                let frame = min(frameCount - 1, Int(t * fps))
                if silence[frame] > 0.9 && !nods.contains(where: { abs($0.time - t) < 1.5 }) {
                    nods.append((t, s.nodMinimumAmplitude * (1 + Double(generator.nextUniform()))))
                }
                t += 60 / s.listeningNodsPerMinute * (0.5 + Double(generator.nextUniform()))
            }
        }
        let yawNoise = SmoothNoise(band: s.driftFrequency, generator: &generator)
        let pitchNoise = SmoothNoise(band: s.driftFrequency, generator: &generator)
        let rollNoise = SmoothNoise(band: s.driftFrequency, generator: &generator)
        var poses = [HeadPose](repeating: .identity, count: frameCount)
        let half = 0.5 * s.nodDuration
        for f in 0..<frameCount {
            let t = Double(f) / fps
            let speaking = 1 - Double(silence[f]) * (1 - s.listeningScale)
            let amplitude = scale * speaking
            var nod = 0.0
            for n in nods where abs(t - n.time) < half {
                nod += n.amplitude * 0.5 * (1 + Foundation.cos(Double.pi * (t - n.time) / half))
            }
            let yaw = s.driftYaw * amplitude * yawNoise(t)
            let pitch = s.driftPitch * amplitude * pitchNoise(t) + nod + pitchBias(t)
            let roll = s.driftRoll * amplitude * rollNoise(t)
            let k = s.translationPerRadian
            poses[f] = HeadPose(yaw: Float(yaw), pitch: Float(pitch), roll: Float(roll),
                                tx: Float(-0.5 * k * roll), ty: Float(-0.15 * k * abs(nod)), tz: Float(0.3 * k * pitch))
        }
        return poses
    }

    /// RMS of samples in [from, to) seconds, in dB (−100 for silence).
    static func rmsDecibels(_ samples: [Float], sampleRate: Int, from: Double, to: Double) -> Double {
        let first = max(0, min(samples.count, Int(from * Double(sampleRate))))
        let last = max(first, min(samples.count, Int(to * Double(sampleRate))))
        guard last > first else { return -100 }
        var sum = 0.0
        for i in first..<last { sum += Double(samples[i]) * Double(samples[i]) }
        let rms = (sum / Double(last - first)).squareRoot()
        return 20 * Foundation.log10(max(rms, 1e-5))
    }
}
