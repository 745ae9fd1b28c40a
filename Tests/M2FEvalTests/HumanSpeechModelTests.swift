import Foundation
import M2FEval
import Media2Face
import Testing

/// The shipped model on recorded human speech it never trained on: five LibriVox clips (24.7 s, 29
/// bilabials) that `make test` fetches into data/human-speech (`scripts/fetch_human_speech.sh`).
/// Measured at the defaults when added: closure 0.966, SLCC 0.477, lip gap 8.4 mm in words vs 2.1 mm
/// in pauses; the bounds below leave room for a retrained model but not for one that stops closing
/// its lips or stops moving with the voice.
@Suite(.enabled(if: HumanSpeechFixtures.isAvailable, "needs Models/media2face and data/human-speech (scripts/fetch_human_speech.sh)"))
struct HumanSpeechModelTests {

    @Test("LibriVox read speech: lips close on ≥ 85 % of bilabials, open in words and rest in pauses, follow loudness")
    func closesAndMovesWithTheVoice() async throws {
        let pipeline = try await Media2FacePipeline.load(configuration: Media2FacePipelineConfiguration(modelDirectory: HumanSpeechFixtures.model.path))
        let recordings = try RecordedSpeechClip.load(directory: HumanSpeechFixtures.clips)
        var accumulator = RecordedSpeechAccumulator()
        for clip in recordings {
            let animation = try await pipeline.animate(samples: clip.samples, source: clip.id,
                                                 request: AnimationRequest(audioPath: clip.id, options: AnimationOptions())).animation
            accumulator.add(clip, animation: animation, seconds: 1)
        }
        let scores = accumulator.scores
        print("human speech:", scores)
        #expect(scores.clips == 5 && scores.bilabial_segments >= 25)
        #expect(try #require(scores.lip_closure_rate) >= 0.85)
        #expect(try #require(scores.slcc) >= 0.3)
        let speech = try #require(scores.mean_lip_gap_speech_mm), pause = try #require(scores.mean_lip_gap_pause_mm)
        #expect(speech > 2 * pause, "lip gap \(speech) mm in words vs \(pause) mm in pauses")
    }
}

/// Where this checkout keeps the shipped model and the fetched clips.
enum HumanSpeechFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let clips = root.appendingPathComponent("data/human-speech")
    static let model = root.appendingPathComponent("Models/media2face")

    static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: model.appendingPathComponent("config.json").path)
            && FileManager.default.fileExists(atPath: clips.appendingPathComponent("SOURCE.txt").path)
    }
}
