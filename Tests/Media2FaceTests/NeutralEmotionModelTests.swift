import Foundation
import M2FAudio
import Media2Face
import Testing

/// `--emotion neutral` on the shipped model is the no-style animation bit for bit, offline and streamed
/// (the server's /v1/animate takes the offline route: `AnimateEndpointTests`).
@Suite(.serialized, .enabled(if: PipelineFixtures.hasTrainedModel, "needs the trained model in Models/media2face"))
struct NeutralEmotionModelTests {
    static var pipeline: Media2FacePipeline { get async throws { try await LoadedPipelines.trained.value } }
    static func speech() throws -> [Float] { Array(try WAVFile.samples(of: PipelineFixtures.example).prefix(48_000)) }

    @Test func offlineNeutralIsNoStyle() async throws {
        let samples = try Self.speech()
        func weights(_ style: StyleSpecification) async throws -> [Float] {
            try await Self.pipeline.animate(samples: samples, source: "hello", request: AnimationRequest(audioPath: "hello", style: style)).animation.weights
        }
        let none = try await weights(.none)
        for intensity: Float in [0, 0.5, 1] {
            #expect(try await weights(.emotion(.neutral, intensity: intensity)) == none, "neutral at \(intensity)")
        }
    }

    @Test func streamedNeutralIsNoStyle() async throws {
        let samples = try Self.speech()
        func frames(_ style: StyleSpecification, switchingTo later: StyleSpecification? = nil) async throws -> [StreamFrame] {
            let stream = try await Self.pipeline.stream(style: style)
            let reader = Task { () throws -> [StreamFrame] in
                var frames: [StreamFrame] = []
                for try await frame in stream.frames { frames.append(frame) }
                return frames
            }
            try await stream.push(Array(samples.prefix(24_000)))
            if let later { try await stream.setStyle(later) }
            try await stream.push(Array(samples.dropFirst(24_000)))
            try await stream.finish()
            return try await reader.value
        }
        let none = try await frames(.none)
        for other in [try await frames(.emotion(.neutral, intensity: 0)), try await frames(.none, switchingTo: .emotion(.neutral, intensity: 1))] {
            #expect(other.count == none.count)
            #expect(zip(other, none).allSatisfy { $0.weights == $1.weights && $0.headPose == $1.headPose })
        }
    }
}
