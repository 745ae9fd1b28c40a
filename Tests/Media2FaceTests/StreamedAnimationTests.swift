import Foundation
import M2FFace
import Media2Face
import Testing

/// `Media2FacePipeline.streamedAnimation` (what `m2f eval real-faces --stream` measures): the frames of a
/// streaming session as one animation, whatever the chunks, following the offline animation.
@Suite struct StreamedAnimationTests {
    @Test(.enabled(if: PipelineFixtures.hasTrainedModel)) func streamedAnimationIsTheSessionsFrames() async throws {
        let pipeline = try await LoadedPipelines.trained.value
        let samples = try WAVFile.samples(of: PipelineFixtures.example)
        let streamed = try await pipeline.streamedAnimation(samples: samples)
        // A session fed in 20 ms chunks gives the same frames.
        let session = try await pipeline.stream()
        let reader = Task { () throws -> [StreamFrame] in
            var frames: [StreamFrame] = []
            for try await frame in session.frames { frames.append(frame) }
            return frames
        }
        for first in stride(from: 0, to: samples.count, by: 320) { try await session.push(Array(samples[first..<min(first + 320, samples.count)])) }
        try await session.finish()
        let frames = try await reader.value
        #expect(streamed.frameCount == frames.count)
        #expect(streamed.weights == frames.flatMap(\.weights))
        // It covers the clip and its mouth follows the offline animation.
        let offline = try await pipeline.animate(samples: samples, source: "hello", request: AnimationRequest(audioPath: "hello", options: AnimationOptions())).animation
        #expect(Swift.abs(streamed.frameCount - offline.frameCount) <= 1)
        let n = min(streamed.frameCount, offline.frameCount)
        let a = (0..<n).map { Double(streamed[$0, .jawOpen]) }, b = (0..<n).map { Double(offline[$0, .jawOpen]) }
        let (ma, mb) = (a.reduce(0, +) / Double(n), b.reduce(0, +) / Double(n))
        let cov = zip(a, b).reduce(0) { $0 + ($1.0 - ma) * ($1.1 - mb) }
        let corr = cov / (a.reduce(0) { $0 + ($1 - ma) * ($1 - ma) } * b.reduce(0) { $0 + ($1 - mb) * ($1 - mb) }).squareRoot()
        #expect(corr > 0.8, "stream vs offline jawOpen correlation \(corr)")
    }
}
