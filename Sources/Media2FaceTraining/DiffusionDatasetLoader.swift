import Foundation
import M2FDataset
import M2FEngine
import M2FGNPFA
import Media2Face

/// Reads a featurized M2F-D dataset (docs/DATASET.md) into training clips in the model's latent space:
/// per clip, the GNPFA encoding of `<id>.weights` [F, 52] next to `<id>.head_pose` [F, 6], the cached
/// Whisper features [F, 384] and the MiniLM embedding of the description [384].
package enum DiffusionDatasetLoader {
    /// Feature-set model names written by `m2f dataset featurize`.
    package static let whisperModel = "whisper-tiny-en"
    package static let styleModel = "all-minilm-l6-v2"

    /// The Whisper feature set training reads: unpadded clips first (the default featurize policy),
    /// then padded ones.
    package static func speechFeatureSet(_ reader: DatasetReader) -> FeatureSetInfo? {
        reader.featureSet(model: whisperModel, preferringSuffixes: SpeechFeaturePolicy.preferenceOrder.map(\.rawValue))
            ?? reader.featureSet(model: whisperModel)
    }

    /// The policy ("needed" or "pad") of a feature set, from its key's suffix.
    package static func speechPolicy(of set: FeatureSetInfo) -> String {
        SpeechFeaturePolicy.allCases.first { set.key.hasSuffix("-\($0.rawValue)") }?.rawValue ?? SpeechFeaturePolicy.pad.rawValue
    }

    /// - Parameters:
    ///   - limit: at most this many clips per split (nil: all), for quick runs.
    ///   - skipUnfeaturized: skip clips whose shard has no cached Whisper features yet (reported through
    ///     `skipped`) instead of failing.
    /// - Returns: the clips, plus the speech-feature policy ("needed" or "pad") they were encoded with, which the model records.
    /// - Throws: `DiffusionError.invalidTrainingData` naming the directory or clip and the fix, or the
    ///   reader's `DatasetError`.
    package static func load(directory: URL, coding: any ExpressionCoding, fps: Double, limit: Int? = nil, skipUnfeaturized: Bool = false,
                            progress: (Int, Int) -> Void = { _, _ in })
        throws -> (training: [DiffusionTrainingClip], validation: [DiffusionTrainingClip], validationWeights: [Tensor], skipped: Int,
                   speechPolicy: String) {
        let reader = try DatasetReader(directory: directory)
        guard Swift.abs(reader.info.fps - fps) < 1e-6 else {
            throw DiffusionError.invalidTrainingData(path: directory.path, problem: "the dataset is at \(reader.info.fps) fps but the model works at \(fps) fps; build the dataset at \(fps) fps")
        }
        guard let whisper = speechFeatureSet(reader) else {
            throw DiffusionError.invalidTrainingData(path: directory.path, problem: "no cached Whisper features; run `m2f dataset featurize \(directory.path)` first")
        }
        let style = reader.featureSet(model: styleModel)
        var splits: [[DiffusionTrainingClip]] = [[], []]
        var validationWeights: [Tensor] = []
        var skipped = 0
        let featureDirectory = directory.appendingPathComponent("features").appendingPathComponent(whisper.key)
        let records = [reader.clips(in: .train), reader.clips(in: .val)].map { list in limit.map { Array(list.prefix($0)) } ?? list }
        let total = records.reduce(0) { $0 + $1.count }
        var done = 0
        for (index, list) in records.enumerated() {
            for record in list {
                if skipUnfeaturized,
                   !FileManager.default.fileExists(atPath: featureDirectory.appendingPathComponent("\(record.shard).safetensors").path) {
                    skipped += 1
                    done += 1
                    continue
                }
                let arrays = try reader.arrays(of: record)
                let audio = try reader.feature(whisper, of: record)
                let f = arrays.frameCount
                guard f >= 2 else { done += 1; continue }
                guard audio.rank == 2, audio.shape == [f, 384] else {
                    throw DiffusionError.invalidTrainingData(path: directory.path,
                        problem: "clip \(record.id): Whisper features \(audio.shape) do not match its \(f) frames; run `m2f dataset featurize` again")
                }
                let latents = withoutGrad { coding.encode(weights: arrays.weights) }
                let frames = Tensor.concatenate([latents, arrays.headPose], axis: 1)
                let text = try style.map { try reader.feature($0, of: record).toArray() }
                var clip = DiffusionTrainingClip(id: record.id, frames: frames, audio: audio, textEmbedding: text,
                                                 emotion: record.emotion, intensity: Float(record.intensity))
                clip.bilabialFrames = record.phonemes.map { bilabialFrames($0, frameCount: f, fps: reader.info.fps) }
                splits[index].append(clip)
                if index == 1 { validationWeights.append(arrays.weights) }
                done += 1
                progress(done, total)
            }
        }
        guard !splits[0].isEmpty else {
            throw DiffusionError.invalidTrainingData(path: directory.path, problem: "no training clips (split \"train\")")
        }
        return (splits[0], splits[1], validationWeights, skipped, speechPolicy(of: whisper))
    }

    /// Phones whose lips close (ARPAbet, as the dataset's alignments spell them).
    package static let bilabials: Set<String> = ["p", "b", "m", "em"]

    /// [F] whether frame f (time f / fps … (f + 1) / fps) overlaps a bilabial phone.
    package static func bilabialFrames(_ phones: [TimedPhone], frameCount: Int, fps: Double) -> [Bool] {
        var frames = [Bool](repeating: false, count: frameCount)
        for phone in phones where bilabials.contains(phone.phone.lowercased()) {
            let first = max(0, Int((phone.start * fps).rounded(.down)))
            let last = min(frameCount - 1, Int((phone.end * fps - 1e-9).rounded(.down)))
            if first <= last { for f in first...last { frames[f] = true } }
        }
        return frames
    }
}
