import Foundation
import M2FEngine

/// Whisper's log-mel spectrogram, step for step as `whisper.audio.log_mel_spectrogram` computes it:
///
/// 1. 16 kHz mono samples, optionally followed by `padding` zeros;
/// 2. STFT like `torch.stft(n_fft: 400, hop: 160, window: periodic Hann, center: true, pad_mode: reflect)`;
/// 3. the last frame dropped, power |X|²;
/// 4. 80 Slaney-normalised mel filters (librosa's formula, rounded to float32 like Whisper's table);
/// 5. log10(max(x, 1e-10)), floored at (global maximum − 8), then (x + 4) / 4.
///
/// Output frame f covers samples centred on f · 160, so there are `samples / 160` frames (floor).
/// FFT and filtering run in Double; frames are spread across cores.
public struct WhisperLogMel: Sendable {
    /// Sample rate the input must have.
    public static let sampleRate = 16_000
    /// FFT size and window length (25 ms).
    public static let fftSize = 400
    /// Hop between frames (10 ms).
    public static let hopLength = 160
    /// Mel bands.
    public let melCount: Int
    /// [melCount, fftSize / 2 + 1] filter weights, row-major.
    public let filters: [Float]

    private let fft = RealFFT(count: fftSize)
    private let window: [Double]
    /// Per mel band, the first bin and the weights over its non-zero span.
    private let bands: [(start: Int, weights: [Double])]

    public init(melCount: Int = 80) {
        self.melCount = melCount
        filters = MelFilterBank.slaney(
            sampleRate: Double(Self.sampleRate), fftSize: Self.fftSize, melCount: melCount
        ).map { Float($0) }
        let n = Self.fftSize
        window = (0..<n).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(n)) }
        let bins = n / 2 + 1
        var bands: [(start: Int, weights: [Double])] = []
        for band in 0..<melCount {
            let row = filters[band * bins..<(band + 1) * bins]
            let first = row.firstIndex { $0 != 0 } ?? row.startIndex
            let last = row.lastIndex { $0 != 0 } ?? row.startIndex
            bands.append((first - row.startIndex, row[first...last].map { Double($0) }))
        }
        self.bands = bands
    }

    /// Number of frames for `sampleCount` samples (Whisper drops the STFT's last frame).
    public static func frameCount(sampleCount: Int) -> Int { sampleCount / hopLength }

    /// The log-mel as a [melCount, frames] tensor.
    public func callAsFunction(_ samples: [Float], padding: Int = 0) -> Tensor {
        let frames = Self.frameCount(sampleCount: samples.count + padding)
        return Tensor(compute(samples, padding: padding), shape: [melCount, frames])
    }

    /// The log-mel, row-major [melCount, frames].
    public func compute(_ samples: [Float], padding: Int = 0) -> [Float] {
        precondition(padding >= 0, "padding must be non-negative")
        let total = samples.count + padding
        let frames = Self.frameCount(sampleCount: total)
        guard frames > 0 else { return [] }
        var logPower = [Double](repeating: 0, count: melCount * frames)
        let n = Self.fftSize, bins = n / 2 + 1, half = n / 2
        samples.withUnsafeBufferPointer { audio in
            logPower.withUnsafeMutableBufferPointer { output in
                let out = UncheckedPointer(output.baseAddress!)
                Parallel.forRanges(frames, minimumPerWorker: 64) { range in
                    let frame = UnsafeMutablePointer<Double>.allocate(capacity: n + 2 * bins + fft.scratchCount)
                    defer { frame.deallocate() }
                    let real = frame + n, imaginary = real + bins, scratch = imaginary + bins
                    for f in range {
                        // Centred frame: samples f·hop − n/2 … f·hop + n/2 − 1, reflected at both ends.
                        let start = f * Self.hopLength - half
                        for t in 0..<n {
                            let index = Self.reflect(start + t, count: total)
                            frame[t] = index < audio.count ? Double(audio[index]) * window[t] : 0
                        }
                        fft.transform(frame, real: real, imaginary: imaginary, scratch: scratch)
                        for k in 0..<bins { real[k] = real[k] * real[k] + imaginary[k] * imaginary[k] }
                        for (band, filter) in bands.enumerated() {
                            var energy = 0.0
                            for (j, weight) in filter.weights.enumerated() { energy += weight * real[filter.start + j] }
                            out.pointer[band * frames + f] = log10(max(energy, 1e-10))
                        }
                    }
                }
            }
        }
        let ceiling = logPower.max() ?? 0
        return logPower.map { Float((max($0, ceiling - 8) + 4) / 4) }
    }

    /// numpy/torch "reflect" indexing (edge not repeated), bouncing as often as needed.
    @inline(__always)
    public static func reflect(_ index: Int, count: Int) -> Int {
        guard count > 1 else { return 0 }
        let period = 2 * (count - 1)
        var i = index % period
        if i < 0 { i += period }
        return i < count ? i : period - i
    }
}

/// A raw pointer handed to `Parallel` workers that write disjoint elements.
struct UncheckedPointer<Element>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Element>
    init(_ pointer: UnsafeMutablePointer<Element>) { self.pointer = pointer }
}

/// Mel filter banks.
public enum MelFilterBank {
    /// Slaney-style (librosa `htk=False, norm="slaney"`) triangular filters from 0 Hz to Nyquist,
    /// [melCount, fftSize / 2 + 1] row-major, in Double.
    public static func slaney(sampleRate: Double, fftSize: Int, melCount: Int) -> [Double] {
        let bins = fftSize / 2 + 1
        let fftFrequencies = (0..<bins).map { Double($0) * sampleRate / Double(fftSize) }
        let low = hertzToMel(0), high = hertzToMel(sampleRate / 2)
        let melPoints = (0..<(melCount + 2)).map { i in
            melToHertz(low + (high - low) * Double(i) / Double(melCount + 1))
        }
        var weights = [Double](repeating: 0, count: melCount * bins)
        for band in 0..<melCount {
            let lowerWidth = melPoints[band + 1] - melPoints[band]
            let upperWidth = melPoints[band + 2] - melPoints[band + 1]
            let norm = 2 / (melPoints[band + 2] - melPoints[band])
            for k in 0..<bins {
                let rising = (fftFrequencies[k] - melPoints[band]) / lowerWidth
                let falling = (melPoints[band + 2] - fftFrequencies[k]) / upperWidth
                weights[band * bins + k] = max(0, min(rising, falling)) * norm
            }
        }
        return weights
    }

    /// Slaney's mel scale: linear below 1 kHz (200/3 Hz per mel), logarithmic above.
    public static func hertzToMel(_ hertz: Double) -> Double {
        let linearStep = 200.0 / 3, breakHertz = 1000.0, logStep = log(6.4) / 27
        if hertz < breakHertz { return hertz / linearStep }
        return breakHertz / linearStep + log(hertz / breakHertz) / logStep
    }

    /// Inverse of `hertzToMel`.
    public static func melToHertz(_ mel: Double) -> Double {
        let linearStep = 200.0 / 3, breakHertz = 1000.0, logStep = log(6.4) / 27
        let breakMel = breakHertz / linearStep
        if mel < breakMel { return mel * linearStep }
        return breakHertz * exp(logStep * (mel - breakMel))
    }
}
