import Foundation
import M2FDataset
import M2FEncoders
import M2FEngine
import M2FFace
import Testing

/// Loudness per frame (RMS of the audio under each frame) as a feature set, counting its calls.
final class LoudnessFeaturizer: ClipFeaturizing, @unchecked Sendable {
    let info: FeatureSetInfo
    private(set) var clipsComputed = 0

    init(version: String) {
        info = FeatureSetInfo(key: "loudness@\(version)", model: "loudness", version: version, tensor: "rms", perFrame: true, dims: 1,
                              summary: "RMS per frame")
    }

    func features(of clips: [(ClipRecord, ClipArrays)]) throws -> [Tensor] {
        clipsComputed += clips.count
        return clips.map { record, arrays in
            let audio = arrays.audio.toArray()
            let hop = Double(audio.count) / Double(record.frameCount)
            let rms = (0..<record.frameCount).map { f -> Float in
                let slice = audio[Int(Double(f) * hop)..<min(audio.count, Int(Double(f + 1) * hop))]
                return (slice.reduce(0) { $0 + $1 * $1 } / Float(max(slice.count, 1))).squareRoot()
            }
            return Tensor(rms, shape: [record.frameCount, 1])
        }
    }
}

@Suite struct StoreFeaturizeTests {
    /// A built dataset of a few shards from the test voices.
    func makeDataset() throws -> URL {
        let directory = BuildTestSources.temporaryDirectory("featurize")
        _ = try DatasetBuilder(directory: directory, sources: BuildTestSources.sources(),
                               configuration: SyntheticBuildConfiguration(hours: 0.01, seed: 2, clipsPerShard: 3, jobs: 2)).run()
        return directory
    }

    @Test func rerunSkipsDoneWorkAndANewVersionRecomputes() throws {
        let directory = try makeDataset()
        defer { try? FileManager.default.removeItem(at: directory) }
        let dataset = try DatasetReader(directory: directory)
        let first = LoudnessFeaturizer(version: "1")
        let summary = try Featurizer(dataset: dataset).run(first)
        #expect(first.clipsComputed == dataset.records.count)
        #expect(summary.shardsComputed == Set(dataset.records.map(\.shard)).count && summary.shardsSkipped == 0)
        // Rerun: nothing computed.
        let again = LoudnessFeaturizer(version: "1")
        let second = try Featurizer(dataset: dataset).run(again)
        #expect(again.clipsComputed == 0 && second.shardsSkipped == summary.shardsComputed)
        // A damaged cache file is recomputed; the rest stays.
        let shard = dataset.records[0].shard
        let cached = dataset.layout.featuresDirectory.appendingPathComponent("loudness@1").appendingPathComponent("\(shard).safetensors")
        try Data("junk".utf8).write(to: cached)
        let repair = LoudnessFeaturizer(version: "1")
        _ = try Featurizer(dataset: dataset).run(repair)
        #expect(repair.clipsComputed == dataset.records.filter { $0.shard == shard }.count)
        // A new version is a new key: computed afresh beside the old one.
        let newer = LoudnessFeaturizer(version: "2")
        _ = try Featurizer(dataset: dataset).run(newer)
        #expect(newer.clipsComputed == dataset.records.count)
        #expect(dataset.featureSets().map(\.key) == ["loudness@1", "loudness@2"])
        // Reading back: the values of the clip, one per frame.
        let set = try #require(dataset.featureSet(model: "loudness"))
        #expect(set.version == "2")
        let record = dataset.records[1]
        let value = try dataset.feature(set, of: record)
        #expect(value.shape == [record.frameCount, 1])
        let expected = try LoudnessFeaturizer(version: "x").features(of: [(record, dataset.arrays(of: record))])[0].toArray()
        #expect(value.toArray() == expected)
    }

    @Test func whisperAndStyleFeaturesFromTheInstalledModels() throws {
        let store = ModelStore()
        _ = try store.fetch(WhisperModel.catalogEntry)
        _ = try store.fetch(MiniLMModel.catalogEntry)
        let directory = BuildTestSources.temporaryDirectory("featurize-real")
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try DatasetBuilder(directory: directory, sources: BuildTestSources.sources(),
                               configuration: SyntheticBuildConfiguration(hours: 0.0008, seed: 4, clipsPerShard: 1, jobs: 1)).run()
        let dataset = try DatasetReader(directory: directory)
        let record = try #require(dataset.records.first)
        let style = try StyleFeaturizer(store: store)
        _ = try Featurizer(dataset: dataset).run(style)
        let code = try dataset.feature(try #require(dataset.featureSet(model: MiniLMModel.name)), of: record).toArray()
        #expect(code.count == 384)
        #expect(SentenceEncoder.cosine(code, style.encoder.embed(record.description)) > 0.9999)
        let whisper = try WhisperFeaturizer(store: store, policy: .needed)
        #expect(whisper.info.key.hasSuffix("-needed") && whisper.info.key.hasPrefix("whisper-tiny-en@"))
        _ = try Featurizer(dataset: dataset).run(whisper)
        let features = try dataset.feature(try #require(dataset.featureSet(model: WhisperModel.name)), of: record)
        #expect(features.shape == [record.frameCount, 384])
        #expect(features.toArray().allSatisfy { $0.isFinite })
    }
}

@Suite struct ExpressionFrameReaderTests {
    @Test func framesOfASplitAreItsClipsWeightsEveryStrideFrames() throws {
        let directory = BuildTestSources.temporaryDirectory("expression-frames")
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try DatasetBuilder(directory: directory, sources: BuildTestSources.sources(),
                               configuration: SyntheticBuildConfiguration(hours: 0.004, seed: 5, clipsPerShard: 2, jobs: 1)).run()
        #expect(DatasetReader.isDataset(directory))
        #expect(!DatasetReader.isDataset(directory.appendingPathComponent("shards")))
        let dataset = try DatasetReader(directory: directory)
        let clips = dataset.clips(in: .train)
        try #require(!clips.isEmpty)
        let frames = try dataset.expressionFrames(in: .train, stride: 3)
        let expectedCount = clips.reduce(0) { $0 + ($1.frameCount + 2) / 3 }
        #expect(frames.count == expectedCount * 52)
        #expect(frames.allSatisfy { $0 >= 0 && $0 <= 1 })
        // The first kept frames are the first clip's frames 0 and 3.
        let weights = try dataset.arrays(of: clips[0]).weights.toArray()
        #expect(Array(frames[0..<52]) == Array(weights[0..<52]).map { min(max($0, 0), 1) })
        #expect(Array(frames[52..<104]) == Array(weights[(3 * 52)..<(4 * 52)]).map { min(max($0, 0), 1) })
    }
}
