import Foundation
import M2FAudio
import M2FFace

/// Singing mode's opening (`AnimationOptions.singing`, after `SungVowelHold`): singers drop the jaw on
/// loud and high notes, whatever the vowel. The model learnt its mouth from speech, where the vowel
/// decides the opening, so on its own it neither opens louder notes wider nor higher ones
/// (docs/ARCHITECTURE.md, "Singing": r 0.12–0.20 with loudness, −0.12…−0.15 with pitch).
///
/// Per voiced frame (within `voicedBelowLoudDB` of the clip's loud level, its 90th percentile, with a
/// YIN pitch) a gain `1 + gainPerTenDB · Δlevel / 10 dB + gainPerOctave · Δpitch / octave` against the
/// medians of the clip's voiced frames, within `gainRange` (1 on the other frames); inside a held vowel
/// (`SungVowelHold`'s runs) the run's median gain, so a held note keeps one opening and vibrato does
/// not reach it; then Gaussian-smoothed (σ `smoothingSeconds`) so the gain moves between notes without
/// a step. Applied before `SungVowelHold`, whose low-pass inside the held vowels also takes the rest of
/// a note change's ramp out of them.
/// The mouth channels (`SpeakingStyle.articulationChannels`) are scaled by it, so a closed bilabial
/// stays closed (the rig is linear in its weights), and jawOpen also moves by `jawPerGain · (gain − 1)`
/// where the lips are apart (jawOpen − mouthClose ≥ `lipsApartAt`; proportionally below), never
/// under `gainRange.lowerBound` of its own value: a scaled vowel that was half shut is not much wider
/// than it was, and a singer's jaw drops on a high "ee" too.
package struct SungNoteOpening: Sendable {
    package var gainPerTenDB = 0.6
    package var gainPerOctave = 1.0
    package var gainRange: ClosedRange<Double> = 0.5...1.8
    package var smoothingSeconds = 0.1
    package var jawPerGain = 0.6
    package var lipsApartAt = 0.1
    package var voicedBelowLoudDB = 25.0

    package init() {}

    /// The opening gain per frame of `samples` (16 kHz) at `fps`, over `frameCount` frames, constant
    /// inside each of `heldVowels` (frame ranges).
    package func gains(samples: [Float], fps: Double, frameCount: Int, heldVowels: [Range<Int>] = []) -> [Double] {
        guard frameCount > 0, !samples.isEmpty else { return [Double](repeating: 1, count: max(0, frameCount)) }
        let level = SungVowelHold.levels(samples: samples, fps: fps, frameCount: frameCount)
        let loud = level.sorted()[Int(0.9 * Double(frameCount - 1))]
        let pitch = PitchEstimator()
        // Semitones re A4 of each voiced frame, the YIN window centred on the frame's time.
        let semitones: [Double?] = (0..<frameCount).map { f in
            guard level[f] > loud - voicedBelowLoudDB,
                  let hz = pitch.frequency(samples, start: Int(Double(f) / fps * 16_000) - pitch.windowLength / 2) else { return nil }
            return 12 * log2(hz / 440)
        }
        let voiced = (0..<frameCount).filter { semitones[$0] != nil }
        guard voiced.count >= 2 else { return [Double](repeating: 1, count: frameCount) }
        func median(_ x: [Double]) -> Double { x.sorted()[x.count / 2] }
        let typicalLevel = median(voiced.map { level[$0] }), typicalPitch = median(voiced.map { semitones[$0]! })
        var gain = [Double](repeating: 1, count: frameCount)
        for f in voiced {
            let raw = 1 + (level[f] - typicalLevel) / 10 * gainPerTenDB + (semitones[f]! - typicalPitch) / 12 * gainPerOctave
            gain[f] = min(max(raw, gainRange.lowerBound), gainRange.upperBound)
        }
        for run in heldVowels where !run.isEmpty && run.upperBound <= frameCount {
            let typical = median(run.map { gain[$0] })
            for f in run { gain[f] = typical }
        }
        return SungVowelHold.gaussianSmoothed(gain, sigma: smoothingSeconds * fps)
    }

    /// Opens the mouth of `animation` by `gains` (one per frame); frames whose gain is 1 are untouched.
    package func apply(to animation: inout FaceAnimation, gains: [Double]) {
        precondition(gains.count == animation.frameCount, "one gain per frame")
        let channels = SpeakingStyle.articulationChannels.sorted()
        let jaw = ARKitBlendshape.jawOpen.index, close = ARKitBlendshape.mouthClose.index
        for (f, gain) in gains.enumerated() where abs(gain - 1) > 1e-9 {
            let base = f * ARKit.count
            let jawOpen = Double(animation.weights[base + jaw])
            let apart = min(1, max(0, (jawOpen - Double(animation.weights[base + close])) / lipsApartAt))
            for c in channels where c != jaw {
                animation.weights[base + c] = Float(min(1, max(0, gain * Double(animation.weights[base + c]))))
            }
            let opened = max(gain * jawOpen + jawPerGain * (gain - 1) * apart, gainRange.lowerBound * jawOpen)
            animation.weights[base + jaw] = Float(min(1, max(0, opened)))
        }
    }
}
