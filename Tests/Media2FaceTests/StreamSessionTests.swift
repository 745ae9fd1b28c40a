import Foundation
import M2FAudio
import M2FFace
import Media2Face
import Testing

/// The streaming session on the shipped model: the same frames whatever the chunk sizes, the tail
/// flushed to the offline frame count, no seam where hops meet, close to the offline animation, and
/// clear errors for misuse.
@Suite(.serialized, .enabled(if: PipelineFixtures.hasTrainedModel, "needs the trained model in Models/media2face"))
struct StreamSessionTests {
    static var pipeline: Media2FacePipeline { get async throws { try await LoadedPipelines.trained.value } }

    /// The first `seconds` of the bundled example.
    static func speech(seconds: Double) throws -> [Float] {
        Array(try WAVFile.samples(of: PipelineFixtures.example).prefix(Int(seconds * 16_000)))
    }

    /// Streams `samples` in chunks of the given sizes (cycled), then finishes; the frames in order.
    static func frames(_ samples: [Float], chunks: [Int], sampleRate: Int = 16_000, seed: UInt64 = 0,
                       configuration: StreamConfiguration = StreamConfiguration()) async throws -> [StreamFrame] {
        let stream = try await pipeline.stream(options: AnimationOptions(seed: seed), configuration: configuration)
        let reader = Task { () throws -> [StreamFrame] in
            var frames: [StreamFrame] = []
            for try await frame in stream.frames { frames.append(frame) }
            return frames
        }
        var start = 0, index = 0
        while start < samples.count {
            let end = min(samples.count, start + chunks[index % chunks.count])
            if sampleRate == 16_000 { try await stream.push(Array(samples[start..<end])) } else {
                try await stream.push(Array(samples[start..<end]), sampleRate: sampleRate)
            }
            start = end
            index += 1
        }
        try await stream.finish()
        return try await reader.value
    }

    @Test func chunkSizesDoNotChangeTheFrames() async throws {
        let samples = try Self.speech(seconds: 3)
        let reference = try await Self.frames(samples, chunks: [samples.count])
        #expect(reference.count == Keyframe.frameCount(duration: 3, fps: 30))
        #expect(reference.map(\.index) == Array(0..<reference.count))
        for chunks in [[160], [1, 7_919, 533], [16_000, 3]] {
            let other = try await Self.frames(samples, chunks: chunks)
            #expect(other.count == reference.count)
            #expect(zip(other, reference).allSatisfy { $0.weights == $1.weights && $0.headPose == $1.headPose && $0.time == $1.time },
                    "chunks \(chunks) changed the frames")
        }
        let reseeded = try await Self.frames(samples, chunks: [samples.count], seed: 9)
        #expect(zip(reseeded, reference).contains { $0.headPose != $1.headPose }, "the seed should change the sample")
    }

    @Test func otherRatesAreResampledAsTheyArrive() async throws {
        let samples = try Self.speech(seconds: 2)
        let high = Resampler(from: 16_000, to: 48_000)(samples)
        let atSixteen = Resampler(from: 48_000)(high)
        let reference = try await Self.frames(atSixteen, chunks: [4_000])
        let streamed = try await Self.frames(high, chunks: [480, 1_111], sampleRate: 48_000)
        #expect(streamed.count == reference.count)
        #expect(zip(streamed, reference).allSatisfy { $0.weights == $1.weights })
    }

    @Test func hopsJoinWithoutSeamsAndFollowTheOfflineMouth() async throws {
        let samples = try Self.speech(seconds: 6.5)
        let streamed = try await Self.frames(samples, chunks: [320])
        let offline = try await Self.pipeline.animate(samples: samples, source: "hello", request: AnimationRequest(audioPath: "hello")).animation
        #expect(streamed.count == offline.frameCount)
        // Frame-to-frame speed where a hop begins is like the speed inside hops.
        let hop = StreamConfiguration().hopFrames
        var seams: [Float] = [], inside: [Float] = []
        for f in 1..<streamed.count {
            let speed = zip(streamed[f].weights, streamed[f - 1].weights).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
            if f % hop == 0 { seams.append(speed) } else { inside.append(speed) }
        }
        let median = { (v: [Float]) in v.sorted()[v.count / 2] }
        #expect(median(seams) < 2 * median(inside), "seam speed \(median(seams)) vs \(median(inside)) inside hops")
        // The mouth opens and closes with the offline animation (jawOpen, Pearson).
        let jaw = ARKit.index(of: "jawOpen")!
        let a = streamed.map { Double($0.weights[jaw]) }, b = (0..<offline.frameCount).map { Double(offline[$0, .jawOpen]) }
        let (ma, mb) = (a.reduce(0, +) / Double(a.count), b.reduce(0, +) / Double(b.count))
        let cov = zip(a, b).reduce(0) { $0 + ($1.0 - ma) * ($1.1 - mb) }
        let r = cov / (a.reduce(0) { $0 + ($1 - ma) * ($1 - ma) } * b.reduce(0) { $0 + ($1 - mb) * ($1 - mb) }).squareRoot()
        #expect(r > 0.8, "jawOpen correlation with offline \(r)")
    }

    @Test func styleChangesMidStreamAreBlended() async throws {
        let samples = try Self.speech(seconds: 4)
        let stream = try await Self.pipeline.stream(configuration: StreamConfiguration(blendSeconds: 0.5))
        let reader = Task { () throws -> [StreamFrame] in
            var frames: [StreamFrame] = []
            for try await frame in stream.frames { frames.append(frame) }
            return frames
        }
        try await stream.push(Array(samples.prefix(32_000)))
        try await stream.setStyle(.emotion(.happy, intensity: 1))
        try await stream.setGuidance(audio: 1, style: 2)
        try await stream.push(Array(samples.dropFirst(32_000)))
        try await stream.finish()
        let frames = try await reader.value
        #expect(frames.count == Keyframe.frameCount(duration: 4, fps: 30))
        let smile = ARKit.index(of: "mouthSmileLeft")!
        let before = frames[20..<50].map { $0.weights[smile] }.reduce(0, +) / 30
        let after = frames[(frames.count - 30)...].map { $0.weights[smile] }.reduce(0, +) / 30
        #expect(after > before, "happy should smile more: \(before) → \(after)")
        let steps = (1..<frames.count).map { abs(frames[$0].weights[smile] - frames[$0 - 1].weights[smile]) }
        #expect(steps.max()! < 0.25, "the smile jumps by \(steps.max()!) in one frame")
    }

    /// Speaking dials change mid-stream: head motion 0 stills the head once the blend is done, and the
    /// text's dials ("whispering" lowers articulation) apply from the start.
    @Test func speakingDialsChangeMidStream() async throws {
        let samples = try Self.speech(seconds: 4)
        let stream = try await Self.pipeline.stream(style: .text("whispering"), configuration: StreamConfiguration(blendSeconds: 0.5))
        let reader = Task { () throws -> [StreamFrame] in
            var frames: [StreamFrame] = []
            for try await frame in stream.frames { frames.append(frame) }
            return frames
        }
        try await stream.push(Array(samples.prefix(32_000)))
        try await stream.setSpeakingStyle(SpeakingDials(headMotion: 0))
        await #expect(throws: PipelineError.self) { try await stream.setSpeakingStyle(SpeakingDials(energy: 3)) }
        try await stream.push(Array(samples.dropFirst(32_000)))
        try await stream.finish()
        let frames = try await reader.value
        let early = frames[10..<50].map { abs($0.headPose.yaw) + abs($0.headPose.pitch) }.reduce(0, +)
        let late = frames[(frames.count - 40)...].map { abs($0.headPose.yaw) + abs($0.headPose.pitch) }.reduce(0, +)
        #expect(early > 0 && late == 0, "head motion \(early) → \(late)")
        let offline = try await Self.pipeline.animate(AnimationRequest(audioPath: PipelineFixtures.example)).animation
        let jaw = ARKit.index(of: "jawOpen")!
        let streamed = frames[0..<60].map { $0.weights[jaw] }.reduce(0, +), plain = (0..<60).map { offline[$0, .jawOpen] }.reduce(0, +)
        #expect(streamed < 0.8 * plain, "whispering jaw \(streamed) vs no style \(plain)")
    }

    @Test func misuseIsAClearError() async throws {
        await #expect(throws: PipelineError.self) { _ = try await Self.pipeline.stream(configuration: StreamConfiguration(lookAheadFrames: 200)) }
        await #expect(throws: PipelineError.self) { _ = try await Self.pipeline.stream(configuration: StreamConfiguration(stepsPerHop: 0)) }
        await #expect(throws: PipelineError.self) { _ = try await Self.pipeline.stream(configuration: StreamConfiguration(stepsPerHop: 100_000)) }
        await #expect(throws: PipelineError.self) { _ = try await Self.pipeline.stream(configuration: StreamConfiguration(hopFrames: 3, crossFadeFrames: 4)) }
        let stream = try await Self.pipeline.stream()
        await #expect(throws: PipelineError.invalidStreamAudio(problem: "the chunk holds NaN or infinite samples")) {
            try await stream.push([0, .nan])
        }
        await #expect(throws: PipelineError.self) { try await stream.push([0, 0], sampleRate: 1) }
        await #expect(throws: PipelineError.self) { try await stream.setGuidance(audio: 50, style: 1) }
        try await stream.push([Float](repeating: 0, count: 1_600))
        try await stream.finish()
        await #expect(throws: PipelineError.streamFinished) { try await stream.push([0]) }
        var count = 0
        for try await _ in stream.frames { count += 1 }
        #expect(count == 3)
    }
}
