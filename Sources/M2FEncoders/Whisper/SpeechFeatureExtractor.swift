import M2FAudio
import M2FEngine

/// Speech features for animation: 16 kHz samples → Whisper tiny.en encoder features [frames, 384] at
/// 50 Hz for audio of any length, optionally resampled to an animation frame rate.
///
/// Long audio is encoded in 30 s windows (what Whisper was trained on) that overlap by
/// `overlapSeconds`; each overlap is cross-faded linearly, so features stay continuous across window
/// boundaries. The log-mel is computed once for the whole clip (Whisper's max − 8 clamp is global).
public struct SpeechFeatureExtractor {
    /// How audio shorter than one window is encoded.
    public enum ShortAudio: String, Codable, Sendable {
        /// Pad to 30 s as Whisper was trained (costs a full window for any clip).
        case padToWindow
        /// Encode only the frames the clip has (faster; attention sees no padding).
        case encodeNeededFrames
    }

    public let encoder: WhisperEncoder
    public var shortAudio: ShortAudio
    /// Overlap between consecutive 30 s windows, in seconds.
    public var overlapSeconds: Double
    private let logMel = WhisperLogMel()

    /// Feature frames per second (the encoder's stride-2 stem on 100 Hz mel frames).
    public static let featureRate = 50.0
    static let windowMelFrames = 3000

    public init(encoder: WhisperEncoder, shortAudio: ShortAudio = .padToWindow, overlapSeconds: Double = 5) {
        precondition(overlapSeconds >= 0 && overlapSeconds < 15, "overlap \(overlapSeconds) s must be in [0, 15)")
        self.encoder = encoder
        self.shortAudio = shortAudio
        self.overlapSeconds = overlapSeconds
    }

    /// Features at 50 Hz: [⌈samples / 320⌉, 384]. Feature j describes the audio around j / 50 s.
    /// - Parameters:
    ///   - positionOffset: for audio shorter than one window encoded as it is (`.encodeNeededFrames`),
    ///     the encoder position of its first feature (a stream's window inside a longer recording).
    ///   - progress: called with (windows done, windows in all) after each window.
    public func features(samples: [Float], positionOffset: Int = 0, progress: (Int, Int) -> Void = { _, _ in }) -> Tensor {
        let melFrames = WhisperLogMel.frameCount(sampleCount: samples.count)
        let outputFrames = WhisperEncoder.outputFrames(melFrames: max(melFrames, 1))
        let window = Self.windowMelFrames
        if melFrames <= window && shortAudio == .encodeNeededFrames {
            let mel = logMel(samples)  // [80, F]
            let offset = min(positionOffset, encoder.configuration.maxFrames - outputFrames)
            let features = withoutGrad { encoder(mel.unsqueezed(0), positionOffset: max(offset, 0)) }
            progress(1, 1)
            return features.squeezed(0).sliced(axis: 0, 0..<outputFrames).contiguous()
        }
        // Whisper's own padding: 30 s of silence after the clip, so every window is a full one.
        let mel = logMel(samples, padding: window * WhisperLogMel.hopLength)  // [80, F + 3000]
        let overlapFeatures = Int(overlapSeconds * Self.featureRate)  // = 2 × as many mel frames
        let hop = window - 2 * overlapFeatures  // mel frames between window starts
        // A window whose new frames all lie inside the previous window's overlap adds nothing.
        let starts = stride(from: 0, to: max(melFrames, 1), by: hop).filter { $0 == 0 || $0 + 2 * overlapFeatures < melFrames }
        let width = encoder.configuration.width
        var stitched = [Float](repeating: 0, count: outputFrames * width)
        var weights = [Float](repeating: 0, count: outputFrames)
        for (index, start) in starts.enumerated() {
            let slice = mel.sliced(axis: 1, start..<(start + window)).contiguous().unsqueezed(0)
            let features = withoutGrad { encoder(slice) }.squeezed(0).toArray()  // [1500, C]
            let first = start / 2
            let fade = overlapFeatures  // feature frames cross-faded at each inner edge
            for j in 0..<(window / 2) where first + j < outputFrames {
                var weight: Float = 1
                if index > 0 && j < fade { weight = Float(j + 1) / Float(fade + 1) }
                if index < starts.count - 1 && j >= window / 2 - fade { weight = Float(window / 2 - j) / Float(fade + 1) }
                let row = (first + j) * width
                for c in 0..<width { stitched[row + c] += weight * features[j * width + c] }
                weights[first + j] += weight
            }
            progress(index + 1, starts.count)
        }
        for frame in 0..<outputFrames where weights[frame] > 0 {
            let inverse = 1 / weights[frame]
            for c in 0..<width { stitched[frame * width + c] *= inverse }
        }
        return Tensor(stitched, shape: [outputFrames, width])
    }

    /// Resamples 50 Hz features to `fps` animation frames: frame i is centred at i / fps and takes the
    /// linear blend of the two nearest feature frames. `frameCount` defaults to ⌈duration · fps⌉.
    public static func resample(_ features: Tensor, toFPS fps: Double, frameCount: Int? = nil) -> Tensor {
        precondition(features.rank == 2 && features.shape[0] > 0 && fps > 0, "resample needs [T, C] features and fps > 0")
        let sourceFrames = features.shape[0]
        let count = frameCount ?? Int((Double(sourceFrames) / featureRate * fps).rounded(.up))
        var lower = [Int](), upper = [Int](), lambdas = [Float]()
        for i in 0..<count {
            let position = min(Double(i) * featureRate / fps, Double(sourceFrames - 1))
            let i0 = Int(position)
            lower.append(i0)
            upper.append(min(i0 + 1, sourceFrames - 1))
            lambdas.append(Float(position - Double(i0)))
        }
        let lambda = Tensor(lambdas, shape: [count, 1])
        return features.gathered(axis: 0, indices: lower) * (1 - lambda) + features.gathered(axis: 0, indices: upper) * lambda
    }
}
