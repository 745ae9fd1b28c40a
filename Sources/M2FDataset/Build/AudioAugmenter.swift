import Foundation
import M2FAudio
import M2FEngine

/// Applies an `Augmentation` to 16 kHz speech with the speech module's effects (`SpeechAugmentation`):
/// tempo (WSOLA, phones rescaled) → pitch → reverberation (FFT convolution with a synthetic room
/// response, 30 % wet) → telephone band (300–3400 Hz) → white noise at an SNR measured against the
/// speech (samples above 1e-3, not the silences) → gain → pink room tone at an absolute level → peak
/// limit at 0.99.
public enum AudioAugmenter {
    /// Share of the reverberant signal in the mix.
    static let reverbWet = 0.3

    /// The augmented samples and phones (phone times scale by 1 / tempo).
    /// - Parameters:
    ///   - samples: [count] mono audio at `sampleRate`.
    ///   - phones: timings matching `samples`.
    ///   - seed: the clip's seed; the room response and the noise are drawn from it.
    public static func apply(_ augmentation: Augmentation, samples: [Float], phones: [TimedPhone], sampleRate: Int,
                             seed: UInt64) -> (samples: [Float], phones: [TimedPhone]) {
        var out = samples
        var phones = phones
        let effectSeed = seed ^ 0xA0D1_0A06
        if augmentation.tempo != 1 {
            let stretched = SpeechAugmentation.changeTempo(
                SpokenUtterance(samples: out, sampleRate: sampleRate, phones: phones, transcript: "", voiceID: ""), factor: augmentation.tempo)
            out = stretched.samples
            phones = stretched.phones
        }
        if augmentation.pitch != 1 { out = SpeechAugmentation.pitchShift(out, sampleRate: sampleRate, factor: augmentation.pitch) }
        if let rt60 = augmentation.reverbSeconds {
            out = SpeechAugmentation.reverberate(out, sampleRate: sampleRate, rt60: rt60, wet: reverbWet, seed: effectSeed &+ 1)
        }
        if augmentation.bandLimited { out = SpeechAugmentation.bandLimit(out, sampleRate: sampleRate) }
        if let snr = augmentation.noiseSNR {
            let speechPower = SpeechAugmentation.activePower(out)
            if speechPower > 0 {
                out = SpeechAugmentation.addNoise(out, snr: snr, color: .white, seed: effectSeed &+ 2, signalPower: speechPower)
            }
        }
        if augmentation.gainDB != 0 { out = SpeechAugmentation.changeLoudness(out, decibels: augmentation.gainDB) }
        if let level = augmentation.roomToneDB {
            // Against a full-scale reference (power 1), an SNR of −level dB puts the noise at `level` dBFS RMS.
            out = SpeechAugmentation.addNoise(out, snr: -level, color: .pink, seed: effectSeed &+ 3, signalPower: 1)
        }
        out = SpeechAugmentation.limitPeak(out, to: 0.99)
        return (out, phones)
    }
}
