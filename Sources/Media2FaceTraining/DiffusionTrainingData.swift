import M2FDataset
import M2FEngine
import M2FFace
import Media2Face

/// One training clip, already in the model's frame rate and latent space.
package struct DiffusionTrainingClip: @unchecked Sendable {
    package var id: String
    /// [F, Z + 6]: expression latents (GNPFA encoding of the ARKit weights), then head pose.
    package var frames: Tensor
    /// [F, 384]: Whisper features resampled to the frame rate.
    package var audio: Tensor
    /// MiniLM embedding of the clip's description (384), when it has one.
    package var textEmbedding: [Float]?
    package var emotion: Emotion
    /// 0 … 1.
    package var intensity: Float
    /// Relative chance per usable frame that a training crop comes from this clip (1: plain); set by
    /// `--data-share` so a small real-face set is not drowned by a large synthetic one.
    package var samplingWeight: Double = 1
    /// [F] frames inside a bilabial phone (p, b, m) of the clip's alignment; nil without one (real video).
    /// The loss can weigh them more (`DiffusionLoss.bilabialWeight`): lip closure is a few frames per
    /// word that the mean loss barely sees.
    package var bilabialFrames: [Bool]?
    /// The clip's audio as stream hops see it (`StreamWindowBank`); nil: whole-clip crops only.
    package var streamWindows: StreamWindows?

    package init(id: String, frames: Tensor, audio: Tensor, textEmbedding: [Float]?, emotion: Emotion, intensity: Float) {
        precondition(frames.rank == 2 && audio.rank == 2 && frames.shape[0] == audio.shape[0] && frames.shape[0] >= 2,
                     "clip \(id): frames \(frames.shape) and audio \(audio.shape) must be [F ≥ 2, ·] with the same F")
        self.id = id
        self.frames = frames.contiguous()
        self.audio = audio.contiguous()
        self.textEmbedding = textEmbedding
        self.emotion = emotion
        self.intensity = intensity
    }

    package var frameCount: Int { frames.shape[0] }

    /// The mean latent of frames `range`, the training stand-in for an image's expression code.
    func meanLatent(_ range: Range<Int>, latentSize: Int) -> [Float] {
        frames.sliced(axis: 0, range).sliced(axis: 1, 0..<latentSize).mean(axis: 0).toArray()
    }
}

/// A padded training batch: B crops of at most N frames, normalised.
struct DiffusionBatch {
    /// [B, L, D] normalised clean frames.
    var clean: Tensor
    /// [B, L, 384]
    var audio: Tensor
    /// [B, L] 1 at padding frames; nil when no crop is padded.
    var padding: Tensor?
    /// [B, L, 1] 1 at real frames.
    var valid: Tensor
    var style: [StyleCondition]
    /// [B, 1, 1] 1 where audio is kept.
    var keepAudio: Tensor
    /// [B, L, 1] per-frame loss weight (bilabial frames heavier); nil: all frames alike.
    var emphasis: Tensor?
}

/// How conditions are dropped and chosen while training (classifier-free guidance needs all of
/// (∅,∅), (A,∅) and (A,P) seen).
package struct ConditionDropout: Codable, Sendable, Equatable {
    /// Probability that the audio is replaced by the null token. Default 0.15.
    package var audio: Double
    /// Probability that the style is the null token. Default 0.25.
    package var style: Double
    /// Among kept styles: share given as text (when the clip has one) and as image code; the rest is emotion.
    package var textShare: Double
    package var imageShare: Double

    package init(audio: Double = 0.15, style: Double = 0.25, textShare: Double = 0.4, imageShare: Double = 0.2) {
        self.audio = audio
        self.style = style
        self.textShare = textShare
        self.imageShare = imageShare
    }
}

/// Draws random batches (crop, condition choice) from a clip list, with a seeded generator.
struct DiffusionBatchSampler {
    let clips: [DiffusionTrainingClip]
    let normalization: FrameNormalization
    let windowLength: Int
    let latentSize: Int
    let dropout: ConditionDropout
    /// Std of Gaussian noise added to the audio features (augmentation toward unseen voices). 0: none.
    let audioNoise: Float
    /// Loss weight of bilabial frames (1: no emphasis).
    var bilabialWeight: Float = 1
    /// Crops that reproduce stream hops, from clips that have `streamWindows`; nil: none.
    var streamTraining: StreamWindowTraining?
    /// Cumulative min(F, N) over clips, to pick clips in proportion to the frames a crop can use.
    let cumulativeWeights: [Double]

    init(clips: [DiffusionTrainingClip], normalization: FrameNormalization, windowLength: Int, latentSize: Int,
         dropout: ConditionDropout, audioNoise: Float) {
        precondition(!clips.isEmpty, "no training clips")
        self.clips = clips
        self.normalization = normalization
        self.windowLength = windowLength
        self.latentSize = latentSize
        self.dropout = dropout
        self.audioNoise = audioNoise
        var total = 0.0
        cumulativeWeights = clips.map { total += Double(min($0.frameCount, windowLength)) * $0.samplingWeight; return total }
    }

    /// A random clip index, in proportion to its usable frames.
    func pickClip(_ generator: inout RandomGenerator) -> Int {
        let u = Double(generator.nextUniform()) * cumulativeWeights.last!
        var low = 0, high = cumulativeWeights.count - 1
        while low < high { let mid = (low + high) / 2; if cumulativeWeights[mid] < u { low = mid + 1 } else { high = mid } }
        return low
    }

    /// A training batch with random crops and random condition drops.
    func batch(size: Int, generator: inout RandomGenerator) -> DiffusionBatch {
        var items: [(clip: Int, start: Int, length: Int)] = []
        var windows: [Int?] = []
        for _ in 0..<size {
            let index = pickClip(&generator)
            if let stream = streamTraining, let bank = clips[index].streamWindows, Double(generator.nextUniform()) < stream.share {
                let window = generator.nextInt(below: bank.starts.count)
                items.append((index, bank.starts[window], bank.windowLength))
                windows.append(window)
                continue
            }
            let f = clips[index].frameCount
            let length = min(f, windowLength)
            items.append((index, f > length ? generator.nextInt(below: f - length + 1) : 0, length))
            windows.append(nil)
        }
        var styles: [StyleCondition] = []
        var keep: [Float] = []
        for item in items {
            keep.append(Double(generator.nextUniform()) < dropout.audio ? 0 : 1)
            styles.append(chooseStyle(clips[item.clip], range: item.start..<(item.start + item.length), generator: &generator))
        }
        var batch = assemble(items, styles: styles, keepAudio: keep, streamWindows: windows)
        if audioNoise > 0 {
            batch.audio = batch.audio + Tensor.randomNormal(batch.audio.shape, std: audioNoise, generator: &generator)
        }
        return batch
    }

    /// A random style condition for a crop (image codes normalised like the latents).
    func chooseStyle(_ clip: DiffusionTrainingClip, range: Range<Int>, generator: inout RandomGenerator) -> StyleCondition {
        if Double(generator.nextUniform()) < dropout.style { return .none }
        let u = Double(generator.nextUniform())
        if u < dropout.textShare, let text = clip.textEmbedding { return .text(embedding: text) }
        if u < dropout.textShare + dropout.imageShare {
            let code = Tensor(clip.meanLatent(range, latentSize: latentSize), shape: [latentSize])
            return .image(code: normalization.prefix(latentSize).normalize(code).toArray())
        }
        return .emotion(clip.emotion, intensity: clip.intensity)
    }

    /// The full style of a clip for validation: text when present, else its emotion.
    func fullStyle(_ clip: DiffusionTrainingClip) -> StyleCondition {
        clip.textEmbedding.map { .text(embedding: $0) } ?? .emotion(clip.emotion, intensity: clip.intensity)
    }

    /// Pads crops to the longest and normalises them. `streamWindows[i]`, when given, is the stream window
    /// crop i reproduces: its audio comes from that window and its emitted frames weigh `emittedWeight`.
    func assemble(_ items: [(clip: Int, start: Int, length: Int)], styles: [StyleCondition], keepAudio: [Float],
                  streamWindows: [Int?] = []) -> DiffusionBatch {
        let b = items.count
        let l = items.map(\.length).max()!
        let d = normalization.size, a = clips[0].audio.shape[1]
        var clean = [Float](repeating: 0, count: b * l * d)
        var audio = [Float](repeating: 0, count: b * l * a)
        var padding = [Float](repeating: 0, count: b * l)
        let mean = normalization.mean.toArray(), std = normalization.std.toArray()
        for (row, item) in items.enumerated() {
            let clip = clips[item.clip]
            let frames = clip.frames.basePointer
            // A stream window's features start at its own row of the bank; a plain crop's at its first frame.
            let window = row < streamWindows.count ? streamWindows[row] : nil
            let (features, first) = window.map { (clip.streamWindows!.features.basePointer, $0 * item.length) } ?? (clip.audio.basePointer, item.start)
            for i in 0..<l {
                guard i < item.length else { padding[row * l + i] = 1; continue }
                let source = item.start + i
                for c in 0..<d { clean[(row * l + i) * d + c] = (frames[source * d + c] - mean[c]) / std[c] }
                for c in 0..<a { audio[(row * l + i) * a + c] = features[(first + i) * a + c] }
            }
        }
        let paddingTensor = Tensor(padding, shape: [b, l])
        var emphasis: Tensor?
        let streamRows = streamWindows.compactMap { $0 }.count
        if bilabialWeight != 1 || (streamRows > 0 && streamTraining.map({ $0.emittedWeight != 1 }) == true) {
            var weights = [Float](repeating: 1, count: b * l)
            for (row, item) in items.enumerated() {
                if let bilabial = clips[item.clip].bilabialFrames {
                    for i in 0..<item.length where bilabial[item.start + i] { weights[row * l + i] = bilabialWeight }
                }
                if row < streamWindows.count, streamWindows[row] != nil, let stream = streamTraining, let bank = clips[item.clip].streamWindows {
                    for i in (item.length - bank.emittedFrames)..<item.length { weights[row * l + i] *= stream.emittedWeight }
                }
            }
            emphasis = Tensor(weights, shape: [b, l, 1])
        }
        return DiffusionBatch(
            clean: Tensor(clean, shape: [b, l, d]), audio: Tensor(audio, shape: [b, l, a]),
            padding: padding.contains(1) ? paddingTensor : nil, valid: (1 - paddingTensor).unsqueezed(2),
            style: styles, keepAudio: Tensor(keepAudio, shape: [b, 1, 1]), emphasis: emphasis)
    }
}
