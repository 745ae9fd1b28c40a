import Foundation
import M2FEncoders
import M2FEngine
import Media2Face
@testable import Media2FaceTraining
import Testing

/// Training on stream hops (`m2f train diffusion --stream-windows`): the windows carry exactly the
/// features a stream hop computes, and the sampler draws them with their emitted frames weighted.
@Suite struct StreamWindowTrainingTests {
    /// The stream the tests reproduce: the default hop, look-ahead and context, a 2 s speech window.
    static let stream = StreamConfiguration(featureWindowSeconds: 2)

    @Test(.enabled(if: PipelineFixtures.hasTrainedModel)) func windowsHoldWhatStreamHopsSee() async throws {
        let pipeline = try await LoadedPipelines.trained.value
        let samples = try WAVFile.samples(of: PipelineFixtures.example)
        let schedule = StreamSchedule(configuration: Self.stream, fps: 30)
        let frames = schedule.frameCount(samples: samples.count)
        let extractor = SpeechFeatureExtractor(encoder: try WhisperModel.loadEncoder(), shortAudio: .encodeNeededFrames)
        let windows = try #require(StreamWindowBank.windows(samples: samples, frameCount: frames, extractor: extractor, schedule: schedule))
        // Hops start at multiples of 3 from the first with a whole 24-frame context; the last one's
        // look-ahead ends inside the clip.
        #expect(windows.starts.first == 0 && windows.starts.count > 10)
        #expect(zip(windows.starts, windows.starts.dropFirst()).allSatisfy { $1 - $0 == 3 })
        #expect(windows.starts.last! + 30 <= frames && windows.starts.last! + 33 > frames)
        #expect(windows.features.shape == [windows.starts.count, 30, 384] && windows.emittedFrames == 6)
        // Each window equals the stream's own view of that hop (what `m2f bench stream` measures drift with).
        for h in [0, windows.starts.count / 2, windows.starts.count - 1] {
            let hop = windows.starts[h] + 24
            let (first, end) = (schedule.audioStart(hopStart: hop), schedule.audioEnd(hopStart: hop))
            let expected = await pipeline.streamFeatures(samples: Array(samples[first..<min(end, samples.count)]) + [Float](repeating: 0, count: max(0, end - samples.count)),
                                                         featureOffset: first / 320, frames: schedule.window(hopStart: hop))
            let actual = windows.features.sliced(axis: 0, h..<(h + 1)).contiguous().toArray()
            #expect(zip(actual, expected).map { Swift.abs($0 - $1) }.max()! <= 1e-5, "window \(h)")
        }
        // The stream's features are not the whole clip's: the last frames of a window hear little future.
        let whole = SpeechFeatureExtractor.resample(extractor.features(samples: samples), toFPS: 30, frameCount: frames)
        let h = windows.starts.count / 2, start = windows.starts[h]
        func cosine(_ row: Int) -> Float {
            let a = windows.features.sliced(axis: 0, h..<(h + 1)).contiguous().toArray()[(row * 384)..<((row + 1) * 384)]
            let b = whole.sliced(axis: 0, (start + row)..<(start + row + 1)).contiguous().toArray()
            let dot: Float = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
            let normA: Float = a.reduce(0) { $0 + $1 * $1 }, normB: Float = b.reduce(0) { $0 + $1 * $1 }
            return dot / (normA.squareRoot() * normB.squareRoot())
        }
        #expect(cosine(29) < 0.99)
    }

    @Test func cacheHoldsTheWindowsAndIsRecomputedForNewClips() throws {
        let folder = PipelineFixtures.folder("stream-window-cache")
        let cache = folder.appendingPathComponent("windows.safetensors")
        let schedule = StreamSchedule(configuration: Self.stream, fps: 30)
        let extractor = SpeechFeatureExtractor(encoder: try WhisperModel.loadEncoder(), shortAudio: .encodeNeededFrames)
        var generator = RandomGenerator(seed: 3)
        let audio = (0..<(16_000 * 2)).map { _ in generator.nextUniform() * 0.2 - 0.1 }
        let computed = ManagedCounter()
        func clip(_ id: String, seconds: Double) -> (id: String, samples: () throws -> [Float], frameCount: Int) {
            let samples = Array(audio.prefix(Int(seconds * 16_000)))
            return (id, { computed.count += 1; return samples }, schedule.frameCount(samples: samples.count))
        }
        let first = try StreamWindowBank.load(clips: [clip("a", seconds: 2), clip("short", seconds: 0.5)], cache: cache, extractor: extractor, schedule: schedule)
        #expect(computed.count == 2 && first["a"] != nil && first["short"] == nil, "a 0.5 s clip has no whole 30-frame window")
        let again = try StreamWindowBank.load(clips: [clip("a", seconds: 2)], cache: cache, extractor: extractor, schedule: schedule)
        #expect(computed.count == 2, "read from the cache")
        #expect(again["a"]!.starts == first["a"]!.starts && again["a"]!.features.toArray() == first["a"]!.features.toArray())
        _ = try StreamWindowBank.load(clips: [clip("a", seconds: 2), clip("b", seconds: 1.5)], cache: cache, extractor: extractor, schedule: schedule)
        #expect(computed.count == 4, "a clip missing from the cache recomputes it")
    }

    @Test func samplerDrawsStreamWindowsWithTheirFeaturesAndWeights() {
        var clip = DiffusionTestHelpers.smoothClip(frames: 200, seed: 5)
        let (h, w) = (4, 30)
        // Bank features that tell which window and frame they came from.
        let values = (0..<(h * w * 384)).map { Float(1000 + $0 / 384) }
        clip.streamWindows = StreamWindows(starts: [0, 3, 6, 9], features: Tensor(values, shape: [h, w, 384]), emittedFrames: 6)
        let plain = DiffusionTestHelpers.smoothClip(frames: 150, seed: 6, id: "plain")
        var sampler = DiffusionBatchSampler(clips: [clip, plain], normalization: .identity(size: 58), windowLength: 120, latentSize: 52,
                                            dropout: ConditionDropout(audio: 0, style: 1), audioNoise: 0)
        sampler.streamTraining = StreamWindowTraining(share: 1, emittedWeight: 3)
        var generator = RandomGenerator(seed: 9)
        var windowsSeen = 0, plainSeen = 0
        for _ in 0..<8 {
            let batch = sampler.batch(size: 4, generator: &generator)
            let audio = batch.audio.toArray(), l = batch.audio.shape[1]
            let emphasis = batch.emphasis!.toArray(), valid = batch.valid.toArray()
            for row in 0..<4 {
                let firstValue = audio[row * l * 384]
                if firstValue >= 1000 {
                    // A stream window: 30 frames, features of one bank window in order, last 6 frames weigh 3.
                    windowsSeen += 1
                    let window = Int(firstValue - 1000) / w
                    #expect((0..<w).allSatisfy { audio[(row * l + $0) * 384] == Float(1000 + window * w + $0) })
                    #expect((0..<l).filter { valid[row * l + $0] == 1 }.count == w)
                    #expect((0..<w).map { emphasis[row * l + $0] } == [Float](repeating: 1, count: 24) + [Float](repeating: 3, count: 6))
                } else {
                    plainSeen += 1
                    #expect((0..<l).allSatisfy { emphasis[row * l + $0] == 1 })
                }
            }
        }
        #expect(windowsSeen > 0 && plainSeen > 0, "the clip with windows gives windows, the other plain crops")
        // Without stream training the same clips give plain crops only and no emphasis.
        sampler.streamTraining = nil
        let batch = sampler.batch(size: 8, generator: &generator)
        #expect(batch.emphasis == nil && batch.audio.toArray().allSatisfy { $0 < 1000 })
    }
}

/// Counts calls from inside a closure the bank keeps.
private final class ManagedCounter: @unchecked Sendable { var count = 0 }
