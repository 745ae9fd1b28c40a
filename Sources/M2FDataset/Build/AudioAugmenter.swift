import Foundation
import M2FAudio
import M2FEngine

/// Applies an `Augmentation` to 16 kHz speech: tempo and pitch (the speech module's WSOLA and
/// resampling), reverberation, telephone band, noise, gain, in that order, then a peak limit at 0.99.
public enum AudioAugmenter {
    /// The augmented samples and phones (phone times scale by 1 / tempo).
    public static func apply(_ augmentation: Augmentation, samples: [Float], phones: [TimedPhone], sampleRate: Int,
                             seed: UInt64) -> (samples: [Float], phones: [TimedPhone]) {
        var out = samples
        var phones = phones
        var random = RandomGenerator(seed: seed ^ 0xA0D1_0A06)
        if augmentation.tempo != 1 {
            let stretched = SpeechAugmentation.changeTempo(
                SpokenUtterance(samples: out, sampleRate: sampleRate, phones: phones, transcript: "", voiceID: ""), factor: augmentation.tempo)
            out = stretched.samples
            phones = stretched.phones
        }
        if augmentation.pitch != 1 { out = SpeechAugmentation.pitchShift(out, sampleRate: sampleRate, factor: augmentation.pitch) }
        if let rt60 = augmentation.reverbSeconds { out = reverberate(out, sampleRate: sampleRate, rt60: rt60) }
        if augmentation.bandLimited { out = telephoneBand(out, sampleRate: sampleRate) }
        if let snr = augmentation.noiseSNR { addNoise(&out, snr: snr, random: &random) }
        if augmentation.gainDB != 0 {
            let gain = Float(pow(10, augmentation.gainDB / 20))
            for i in out.indices { out[i] *= gain }
        }
        limitPeak(&out, to: 0.99)
        return (out, phones)
    }

    /// Schroeder reverberator: four parallel feedback combs then two all-passes, mixed 30 % wet.
    static func reverberate(_ x: [Float], sampleRate: Int, rt60: Double) -> [Float] {
        let combDelays = [0.0297, 0.0371, 0.0411, 0.0437].map { Int($0 * Double(sampleRate)) }
        var wet = [Float](repeating: 0, count: x.count)
        for delay in combDelays {
            let gain = Float(pow(10, -3 * Double(delay) / Double(sampleRate) / rt60))
            var buffer = [Float](repeating: 0, count: delay)
            var position = 0
            for i in x.indices {
                let y = buffer[position]
                buffer[position] = x[i] + gain * y
                position = (position + 1) % delay
                wet[i] += y * 0.25
            }
        }
        for (seconds, gain) in [(0.005, Float(0.7)), (0.0017, Float(0.7))] {
            let delay = max(1, Int(seconds * Double(sampleRate)))
            var buffer = [Float](repeating: 0, count: delay)
            var position = 0
            for i in wet.indices {
                let delayed = buffer[position]
                let input = wet[i] + gain * delayed
                buffer[position] = input
                wet[i] = delayed - gain * input
                position = (position + 1) % delay
            }
        }
        return zip(x, wet).map { 0.7 * $0 + 0.3 * $1 }
    }

    /// 300–3400 Hz band: second-order Butterworth high-pass and low-pass (bilinear transform).
    static func telephoneBand(_ x: [Float], sampleRate: Int) -> [Float] {
        var y = biquad(x, coefficients: butterworth(cutoff: 300, sampleRate: sampleRate, highPass: true))
        y = biquad(y, coefficients: butterworth(cutoff: 3400, sampleRate: sampleRate, highPass: false))
        return y
    }

    /// (b0, b1, b2, a1, a2) of a second-order Butterworth section.
    static func butterworth(cutoff: Double, sampleRate: Int, highPass: Bool) -> [Double] {
        let k = tan(Double.pi * cutoff / Double(sampleRate))
        let q = 1 / 2.0.squareRoot()
        let norm = 1 / (1 + k / q + k * k)
        let a1 = 2 * (k * k - 1) * norm, a2 = (1 - k / q + k * k) * norm
        if highPass { return [norm, -2 * norm, norm, a1, a2] }
        let b0 = k * k * norm
        return [b0, 2 * b0, b0, a1, a2]
    }

    static func biquad(_ x: [Float], coefficients c: [Double]) -> [Float] {
        var y = [Float](repeating: 0, count: x.count)
        var x1 = 0.0, x2 = 0.0, y1 = 0.0, y2 = 0.0
        for i in x.indices {
            let input = Double(x[i])
            let output = c[0] * input + c[1] * x1 + c[2] * x2 - c[3] * y1 - c[4] * y2
            (x2, x1, y2, y1) = (x1, input, y1, output)
            y[i] = Float(output)
        }
        return y
    }

    /// White Gaussian noise at `snr` dB below the signal's RMS (of its non-silent part).
    static func addNoise(_ x: inout [Float], snr: Double, random: inout RandomGenerator) {
        let loud = x.filter { abs($0) > 1e-3 }
        guard !loud.isEmpty else { return }
        let power = loud.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(loud.count)
        let sigma = Float((power / pow(10, snr / 10)).squareRoot())
        for i in x.indices { x[i] += sigma * random.nextNormal() }
    }

    /// Scales down so that no sample exceeds `peak` in magnitude.
    static func limitPeak(_ x: inout [Float], to peak: Float) {
        let largest = x.reduce(0) { max($0, abs($1)) }
        guard largest > peak else { return }
        let scale = peak / largest
        for i in x.indices { x[i] *= scale }
    }
}
