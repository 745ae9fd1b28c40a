import M2FEngine

/// Where each hop of a stream lies, as pure arithmetic on frame and sample indices, so the same audio
/// gives the same hops whatever the chunks it arrived in.
///
/// Hop h emits frames e ..< e + hop (e = h · hop). It needs audio up to the sample at frame
/// e + hop + lookAhead, denoises frames max(0, e − context) ..< e + hop + lookAhead and encodes speech
/// from `featureSamples` samples ending there (starting on a 20 ms feature boundary, so feature k of
/// the window is feature start / 320 + k of the whole audio).
package struct StreamSchedule: Sendable, Equatable {
    package let fps: Double
    package let hop: Int
    package let lookAhead: Int
    package let context: Int
    /// Samples of audio the speech encoder sees per hop.
    package let featureSamples: Int

    package static let sampleRate = 16_000
    /// Samples per 50 Hz Whisper feature.
    package static let samplesPerFeature = 320

    package init(configuration: StreamConfiguration, fps: Double) {
        self.fps = fps
        hop = configuration.hopFrames
        lookAhead = configuration.lookAheadFrames
        context = configuration.contextFrames
        featureSamples = Int((configuration.featureWindowSeconds * Double(Self.sampleRate)).rounded())
    }

    /// The sample index at the start of `frame` (rounded).
    package func sample(atFrame frame: Int) -> Int { Int((Double(frame) * Double(Self.sampleRate) / fps).rounded()) }

    /// Samples the hop starting at frame `e` needs.
    package func audioEnd(hopStart e: Int) -> Int { sample(atFrame: e + hop + lookAhead) }

    /// The frames the hop starting at `e` denoises.
    package func window(hopStart e: Int) -> Range<Int> { max(0, e - context)..<(e + hop + lookAhead) }

    /// The first sample of the speech window of the hop starting at `e` (a multiple of 320).
    package func audioStart(hopStart e: Int) -> Int {
        let start = max(0, audioEnd(hopStart: e) - featureSamples)
        return start / Self.samplesPerFeature * Self.samplesPerFeature
    }

    /// The speech window of the hop starting at `e` (samples `audioStart ..< audioEnd`) from `audio`, whose
    /// first sample is sample `base` of the stream; silence where the audio has none (past the end of a
    /// finished stream). The stream and training on its windows (`StreamWindowBank`) both cut it here.
    package func hopAudio(hopStart e: Int, audio: [Float], base: Int = 0) -> [Float] {
        let (first, end) = (audioStart(hopStart: e), audioEnd(hopStart: e))
        var samples = [Float](repeating: 0, count: end - first)
        let available = min(end, base + audio.count) - first
        if available > 0 { samples.replaceSubrange(0..<available, with: audio[(first - base)..<(first - base + available)]) }
        return samples
    }

    /// The Whisper encoder position of the first feature of a window `featureOffset` features into the
    /// stream: the position the offline pipeline gives that feature (its own index in the first 30 s;
    /// after that the offline 30 s windows restart every 20 s, 1000 features, with 5 s cross-fades), so
    /// the window's features drift less from the offline ones (`m2f bench stream`, "stream-feature-drift").
    package static func encoderPosition(featureOffset: Int, samples: Int) -> Int {
        let length = samples / samplesPerFeature + 1
        let limit = 1500 - length
        guard limit > 0 else { return 0 }
        if featureOffset <= limit { return featureOffset }
        return min(250 + (featureOffset - 250) % 1000, limit)
    }

    /// Frames in `sampleCount` samples of audio (the offline pipeline's count).
    package func frameCount(samples sampleCount: Int) -> Int {
        sampleCount == 0 ? 0 : Keyframe.frameCount(duration: Double(sampleCount) / Double(Self.sampleRate), fps: fps)
    }

    /// Features [T, C] at 50 Hz whose row 0 is feature `offset` of the audio → [frames.count, C] at `fps`:
    /// frame i takes the linear blend at i · 50 / fps (as `SpeechFeatureExtractor.resample` does for a
    /// clip that starts at 0), clamped to the rows there are.
    package static func resample(_ features: Tensor, featureOffset offset: Int, frames: Range<Int>, fps: Double) -> Tensor {
        let rows = features.shape[0]
        var lower: [Int] = [], upper: [Int] = [], lambdas: [Float] = []
        for frame in frames {
            let position = min(max(Double(frame) * 50 / fps - Double(offset), 0), Double(rows - 1))
            let i0 = Int(position)
            lower.append(i0)
            upper.append(min(i0 + 1, rows - 1))
            lambdas.append(Float(position - Double(i0)))
        }
        let lambda = Tensor(lambdas, shape: [frames.count, 1])
        return features.gathered(axis: 0, indices: lower) * (1 - lambda) + features.gathered(axis: 0, indices: upper) * lambda
    }
}
