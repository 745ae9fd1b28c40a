import Foundation
import M2FAudio
import M2FEngine

/// Signal-level augmentations of 16 kHz speech: noise at an SNR, reverberation, band-limiting, gain and
/// peak limiting. `AudioAugmenter` applies them to the builder's clips.
extension SpeechAugmentation {
    /// Noise colours for `addNoise`.
    public enum NoiseColor: String, Codable, Sendable {
        /// Flat spectrum.
        case white
        /// −3 dB per octave (Paul Kellet's economy filter on white noise), like room and fan noise.
        case pink
    }

    /// Mean power of `samples`.
    public static func power(_ samples: [Float]) -> Double {
        samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(samples.count, 1))
    }

    /// Mean power of the samples louder than `threshold` (the speech, not the silences around it); 0
    /// when none is.
    public static func activePower(_ samples: [Float], threshold: Float = 1e-3) -> Double {
        var sum = 0.0, count = 0
        for x in samples where abs(x) > threshold { sum += Double(x) * Double(x); count += 1 }
        return count > 0 ? sum / Double(count) : 0
    }

    /// `samples` plus seeded noise scaled so that 10·log10(P_signal / P_noise) = `snr` dB, where P_noise is
    /// the noise's mean power over the clip and P_signal is `signalPower` (default: `power(samples)`, the
    /// whole clip; pass `activePower(samples)` to set the SNR against the speech alone).
    public static func addNoise(_ samples: [Float], snr: Double, color: NoiseColor = .white, seed: UInt64,
                                signalPower: Double? = nil) -> [Float] {
        var random = RandomGenerator(seed: seed)
        var noise = (0..<samples.count).map { _ in Double(random.nextNormal()) }
        if color == .pink {
            var b0 = 0.0, b1 = 0.0, b2 = 0.0
            for i in noise.indices {
                let white = noise[i]
                b0 = 0.99765 * b0 + white * 0.0990460
                b1 = 0.96300 * b1 + white * 0.2965164
                b2 = 0.57000 * b2 + white * 1.0526913
                noise[i] = b0 + b1 + b2 + white * 0.1848
            }
        }
        let noisePower = noise.reduce(0.0) { $0 + $1 * $1 } / Double(max(noise.count, 1))
        let signalPower = signalPower ?? power(samples)
        guard noisePower > 0, signalPower > 0 else { return samples }
        let scale = (signalPower / pow(10, snr / 10) / noisePower).squareRoot()
        return zip(samples, noise).map { Float(Double($0) + scale * $1) }
    }

    /// A synthetic room impulse response: a unit direct path, then after `preDelay` seconds seeded
    /// Gaussian noise under an exponential envelope that falls 60 dB in `rt60` seconds.
    public static func impulseResponse(rt60: Double, sampleRate: Int, preDelay: Double = 0.005, seed: UInt64) -> [Float] {
        precondition(rt60 > 0, "rt60 must be positive")
        var random = RandomGenerator(seed: seed)
        let count = max(2, Int(rt60 * Double(sampleRate)))
        let delay = min(count - 1, max(1, Int(preDelay * Double(sampleRate))))
        var response = [Float](repeating: 0, count: count)
        response[0] = 1
        let decay = log(1000.0) / (rt60 * Double(sampleRate))  // amplitude e^(−decay·n): −60 dB at rt60
        for n in delay..<count { response[n] = Float(0.3 * exp(-decay * Double(n)) * Double(random.nextNormal())) }
        return response
    }

    /// Reverberation: `samples` convolved with `impulseResponse(rt60:…)`, mixed `wet` : (1 − wet) with the
    /// dry signal, cut to the input length and scaled back to the input's RMS.
    public static func reverberate(_ samples: [Float], sampleRate: Int, rt60: Double, wet: Double = 0.5, seed: UInt64) -> [Float] {
        guard !samples.isEmpty else { return samples }
        let response = impulseResponse(rt60: rt60, sampleRate: sampleRate, seed: seed)
        let convolved = convolve(samples, response)
        var mixed = (0..<samples.count).map { Float(wet * Double(convolved[$0]) + (1 - wet) * Double(samples[$0])) }
        let inputPower = power(samples), outputPower = power(mixed)
        if outputPower > 0 {
            let scale = Float((inputPower / outputPower).squareRoot())
            for i in mixed.indices { mixed[i] = min(max(mixed[i] * scale, -1), 1) }
        }
        return mixed
    }

    /// Full linear convolution (length a + b − 1) through one complex FFT of a power-of-two length: both
    /// real inputs ride in one transform (a in the real part, b in the imaginary part) and are separated
    /// by conjugate symmetry.
    public static func convolve(_ a: [Float], _ b: [Float]) -> [Float] {
        guard !a.isEmpty, !b.isEmpty else { return [] }
        let outputCount = a.count + b.count - 1
        var size = 1
        while size < outputCount { size <<= 1 }
        let plan = FFTPlan(count: size)
        var data = [Double](repeating: 0, count: 2 * size)
        var scratch = [Double](repeating: 0, count: 2 * size)
        for i in a.indices { data[2 * i] = Double(a[i]) }
        for i in b.indices { data[2 * i + 1] = Double(b[i]) }
        plan.forward(&data, scratch: &scratch)
        // Z = A + iB; A[k] = (Z[k] + conj Z[−k]) / 2, B[k] = (Z[k] − conj Z[−k]) / 2i; product A·B,
        // conjugated so that one more forward transform computes the inverse.
        var product = [Double](repeating: 0, count: 2 * size)
        for k in 0..<size {
            let m = (size - k) % size
            let zr = data[2 * k], zi = data[2 * k + 1], cr = data[2 * m], ci = -data[2 * m + 1]
            let ar = 0.5 * (zr + cr), ai = 0.5 * (zi + ci)
            let br = 0.5 * (zi - ci), bi = -0.5 * (zr - cr)
            product[2 * k] = ar * br - ai * bi
            product[2 * k + 1] = -(ar * bi + ai * br)
        }
        plan.forward(&product, scratch: &scratch)
        let scale = 1 / Double(size)
        return (0..<outputCount).map { Float(product[2 * $0] * scale) }
    }

    /// Band-pass by zeroing spectrum outside `low…high` Hz (one FFT over the clip), with raised-cosine
    /// edges `transition` Hz wide. The telephone band is 300…3400 Hz.
    public static func bandLimit(_ samples: [Float], sampleRate: Int, low: Double = 300, high: Double = 3400,
                                 transition: Double = 100) -> [Float] {
        guard samples.count > 1 else { return samples }
        var size = 1
        while size < samples.count { size <<= 1 }
        let plan = FFTPlan(count: size)
        var data = [Double](repeating: 0, count: 2 * size)
        var scratch = [Double](repeating: 0, count: 2 * size)
        for i in samples.indices { data[2 * i] = Double(samples[i]) }
        plan.forward(&data, scratch: &scratch)
        func gain(_ frequency: Double) -> Double {
            func edge(_ x: Double) -> Double { x <= 0 ? 0 : x >= 1 ? 1 : 0.5 - 0.5 * cos(Double.pi * x) }
            return edge((frequency - (low - transition / 2)) / transition) * edge(((high + transition / 2) - frequency) / transition)
        }
        for k in 0..<size {
            let frequency = Double(min(k, size - k)) * Double(sampleRate) / Double(size)
            let g = gain(frequency)
            // Conjugate for the inverse transform (the spectrum of a real signal stays Hermitian).
            data[2 * k] *= g
            data[2 * k + 1] *= -g
        }
        plan.forward(&data, scratch: &scratch)
        let scale = 1 / Double(size)
        return (0..<samples.count).map { Float(data[2 * $0] * scale) }
    }

    /// Gain of `decibels` dB (no clipping: follow with `limitPeak` to keep the samples in range).
    public static func changeLoudness(_ samples: [Float], decibels: Double) -> [Float] {
        let gain = Float(pow(10, decibels / 20))
        return samples.map { $0 * gain }
    }

    /// `samples` scaled down as a whole so that no sample exceeds `peak` in magnitude (unchanged when
    /// none does): a level change, not clipping, so the waveform keeps its shape.
    public static func limitPeak(_ samples: [Float], to peak: Float = 0.99) -> [Float] {
        let largest = samples.reduce(0) { max($0, abs($1)) }
        guard largest > peak else { return samples }
        let scale = peak / largest
        return samples.map { $0 * scale }
    }
}
