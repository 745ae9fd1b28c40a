import Foundation

/// Tempo and pitch changes of speech: WSOLA time stretching and band-limited fractional resampling.
public enum SpeechAugmentation {
    /// Changes the tempo by `factor` without changing pitch (WSOLA: waveform-similarity overlap-add).
    ///
    /// Output length ≈ count / factor (factor 1.25 = 25 % faster, 0.8 long). Frames of 30 ms with a Hann
    /// window are laid down every 15 ms of output; each is taken from around `outputPosition·factor` in the
    /// input, shifted by up to ±7.5 ms to best continue the previous frame (cross-correlation).
    public static func timeStretch(_ samples: [Float], sampleRate: Int, factor: Double) -> [Float] {
        precondition(factor > 0, "tempo factor must be positive")
        if abs(factor - 1) < 1e-9 || samples.isEmpty { return samples }
        let frame = max(16, Int(0.030 * Double(sampleRate)) & ~1)
        let hop = frame / 2
        let tolerance = Int(0.0075 * Double(sampleRate))
        let outputCount = Int((Double(samples.count) / factor).rounded())
        let window = (0..<frame).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(frame)) }
        var output = [Double](repeating: 0, count: outputCount + frame)
        var weight = [Double](repeating: 0, count: outputCount + frame)
        let input = samples.map(Double.init)
        func sample(_ index: Int) -> Double { index >= 0 && index < input.count ? input[index] : 0 }

        var previousStart = 0  // input position of the frame laid down last
        var outputStart = 0
        while outputStart < outputCount {
            let nominal = Int((Double(outputStart) * factor).rounded())
            var best = nominal
            if outputStart > 0 {
                // The natural continuation of the previous frame, hop samples on, is the template.
                let template = previousStart + hop
                var bestScore = -Double.infinity
                let step = max(1, tolerance / 32)
                var delta = -tolerance
                while delta <= tolerance {
                    let candidate = nominal + delta
                    var score = 0.0
                    var j = 0
                    while j < frame { score += sample(template + j) * sample(candidate + j); j += 2 }
                    if score > bestScore { bestScore = score; best = candidate }
                    delta += step
                }
            }
            for j in 0..<frame {
                output[outputStart + j] += window[j] * sample(best + j)
                weight[outputStart + j] += window[j]
            }
            previousStart = best
            outputStart += hop
        }
        return (0..<outputCount).map { index in
            Float(weight[index] > 1e-3 ? output[index] / weight[index] : output[index])
        }
    }

    /// Reads `samples` at positions `k·step` (k = 0, 1, …) with a 32-tap Hann-windowed sinc; the
    /// kernel's cut-off drops to 1/step of Nyquist when `step` > 1 so nothing aliases. Output length
    /// count/step: step 2 halves the length and doubles every frequency.
    public static func resample(_ samples: [Float], step: Double) -> [Float] {
        precondition(step > 0, "resampling step must be positive")
        if abs(step - 1) < 1e-12 { return samples }
        let cutoff = min(1, 1 / step)
        let halfWidth = Int((16 / cutoff).rounded(.up))
        let count = Int(Double(samples.count) / step)
        var output = [Float](repeating: 0, count: count)
        for k in 0..<count {
            let position = Double(k) * step
            let centre = Int(position.rounded(.down))
            var sum = 0.0, norm = 0.0
            for i in max(0, centre - halfWidth + 1)...min(samples.count - 1, centre + halfWidth) {
                let x = Double(i) - position
                let t = x * cutoff
                let sinc = abs(t) < 1e-12 ? 1 : sin(Double.pi * t) / (Double.pi * t)
                let window = 0.5 + 0.5 * cos(Double.pi * x / Double(halfWidth))
                let tap = sinc * window
                sum += tap * Double(samples[i])
                norm += tap
            }
            output[k] = Float(norm > 1e-9 ? sum / norm : 0)
        }
        return output
    }

    /// Shifts the pitch by `factor` (1.12 ≈ +2 semitones) keeping the duration: stretch the tempo by
    /// 1/factor, then resample by `factor`.
    public static func pitchShift(_ samples: [Float], sampleRate: Int, factor: Double) -> [Float] {
        precondition(factor > 0, "pitch factor must be positive")
        if abs(factor - 1) < 1e-9 { return samples }
        let stretched = timeStretch(samples, sampleRate: sampleRate, factor: 1 / factor)
        var shifted = resample(stretched, step: factor)
        // Rounding can leave a sample or two of difference; keep the length exact.
        if shifted.count > samples.count { shifted.removeLast(shifted.count - samples.count) }
        if shifted.count < samples.count { shifted += [Float](repeating: 0, count: samples.count - shifted.count) }
        return shifted
    }

    /// The utterance at `factor` times the tempo: audio time-stretched and every phone time divided by
    /// `factor`, so the phones still match the audio.
    public static func changeTempo(_ utterance: SpokenUtterance, factor: Double) -> SpokenUtterance {
        var result = utterance
        result.samples = timeStretch(utterance.samples, sampleRate: utterance.sampleRate, factor: factor)
        let duration = result.duration
        result.phones = utterance.phones.map {
            TimedPhone(phone: $0.phone, start: min($0.start / factor, duration), end: min($0.end / factor, duration))
        }
        if !result.phones.isEmpty { result.phones[result.phones.count - 1].end = duration }
        return result
    }
}
