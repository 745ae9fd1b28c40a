import Foundation
import M2FDataset
import M2FEngine
import Media2FaceTraining
import Testing
import Media2Face

/// Reading a featurized M2F-D dataset into training clips: a small dataset written with the store's own
/// writers (shards, manifest, feature caches), read back through `DatasetReader`.
@Suite struct DiffusionDatasetLoaderTests {
    /// Per-frame features standing in for the Whisper cache (the loader only reads the cache): frame
    /// index and mean weight, so the test can check alignment.
    struct FrameFeatures: ClipFeaturizing {
        let info = FeatureSetInfo(key: "whisper-tiny-en@test-pad", model: DiffusionDatasetLoader.whisperModel, version: "test",
                                  tensor: "whisper", perFrame: true, dims: 384, summary: "test features")
        func features(of clips: [(ClipRecord, ClipArrays)]) throws -> [Tensor] {
            clips.map { record, arrays in
                Tensor(shape: [record.frameCount, 384]) { p, _ in
                    let w = arrays.weights.toArray()
                    for f in 0..<record.frameCount { for c in 0..<384 { p[f * 384 + c] = c == 0 ? Float(f) : w[f * 52 + c % 52] } }
                }
            }
        }
    }

    struct DescriptionVectors: ClipFeaturizing {
        let info = FeatureSetInfo(key: "all-minilm-l6-v2@test", model: DiffusionDatasetLoader.styleModel, version: "test",
                                  tensor: "style", perFrame: false, dims: 384, summary: "test style")
        func features(of clips: [(ClipRecord, ClipArrays)]) throws -> [Tensor] {
            clips.map { record, _ in Tensor.full([384], Float(record.description.count) / 1000) }
        }
    }

    func makeDataset(featurize: Bool) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-diffusion-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let layout = DatasetLayout(root: directory)
        try FileManager.default.createDirectory(at: layout.shardsDirectory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: layout.partsDirectory, withIntermediateDirectories: true)
        try DatasetInfo(createdBy: "DiffusionDatasetLoaderTests").write(directory: directory)
        var writer = ShardWriter(name: DatasetLayout.shardName(0))
        for (index, (frames, split)) in [(40, DatasetSplit.train), (25, .train), (30, .val)].enumerated() {
            let weights = DiffusionTestHelpers.random([frames, 52], seed: UInt64(index)).sigmoid()
            let record = ClipRecord(id: "clip-\(index)", source: .synthetic, voice: "test", language: "en", duration: Double(frames) / 30,
                                    fps: 30, frameCount: frames, sampleCount: frames * 16_000 / 30, emotion: .happy, intensity: 0.5,
                                    styleTags: [], description: String(repeating: "a", count: 10 * (index + 1)), transcript: "",
                                    phonemes: nil, split: split, shard: "")
            writer.add(record, arrays: ClipArrays(audio: .zeros([frames * 16_000 / 30]), weights: weights,
                                                  headPose: DiffusionTestHelpers.random([frames, 6], seed: 9, std: 0.1), eyePose: .zeros([frames, 4])))
        }
        try writer.write(to: layout, dtype: .float32)
        try Manifest.write(writer.records, to: layout.manifestFile)
        if featurize {
            let reader = try DatasetReader(directory: directory)
            _ = try Featurizer(dataset: reader).run(FrameFeatures())
            _ = try Featurizer(dataset: reader).run(DescriptionVectors())
        }
        return directory
    }

    @Test func clipsCarryLatentsPoseAudioAndText() throws {
        let directory = try makeDataset(featurize: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let coding = ARKitLogitCoding()
        let data = try DiffusionDatasetLoader.load(directory: directory, coding: coding, fps: 30)
        #expect(data.training.map(\.id) == ["clip-0", "clip-1"] && data.validation.map(\.id) == ["clip-2"])
        let clip = data.training[0]
        #expect(clip.frames.shape == [40, 58] && clip.audio.shape == [40, 384])
        #expect(clip.textEmbedding == [Float](repeating: 0.01, count: 384))
        // Frame alignment: feature channel 0 is the frame index; latents decode back to the weights.
        #expect(clip.audio.sliced(axis: 1, 0..<1).toArray() == (0..<40).map(Float.init))
        let decoded = coding.decode(latents: clip.frames.sliced(axis: 1, 0..<52).contiguous()).toArray()
        let weights = clip.audio.sliced(axis: 1, 1..<52).contiguous().toArray()
        #expect(zip(decoded.enumerated().filter { $0.offset % 52 != 0 }.map(\.element), weights).map { Swift.abs($0 - $1) }.max()! < 2e-3)
        #expect(data.validationWeights.count == 1 && data.validationWeights[0].shape == [30, 52])
    }

    @Test func missingFeaturesOrWrongRateAreTypedErrors() throws {
        let directory = try makeDataset(featurize: false)
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            _ = try DiffusionDatasetLoader.load(directory: directory, coding: ARKitLogitCoding(), fps: 30)
            Issue.record("a dataset without features was accepted")
        } catch let error as DiffusionError {
            #expect(error.localizedDescription.contains("m2f dataset featurize"))
        }
        #expect(throws: DiffusionError.self) {
            _ = try DiffusionDatasetLoader.load(directory: directory, coding: ARKitLogitCoding(), fps: 25)
        }
    }
}
