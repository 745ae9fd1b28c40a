import Foundation
import M2FAudio
import M2FEval
import M2FFace
import Media2Face
import Testing

/// Singing mode (`AnimationOptions.singing`, `m2f animate --singing`) on a sung clip with known notes
/// (Tests/Fixtures/singing, made from a LibriVox clip by scripts/singing/make_singing.py).
@Suite("Singing mode (m2f animate --singing)")
struct SingingModeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = root.appendingPathComponent("Tests/Fixtures/singing")

    @Test("held vowels are found inside held notes of the sung clip, and nowhere in read speech")
    func findsHeldVowels() throws {
        let clip = try #require(try SungClip.load(directory: Self.fixtures).first)
        let frames = Int(Double(clip.samples.count) / 16_000 * 30)
        let runs = SungVowelHold().heldVowels(samples: clip.samples, fps: 30, frameCount: frames)
        let flagged = Set(runs.flatMap { $0 })
        var inNotes = Set<Int>(), heldCores = Set<Int>()
        for note in clip.score.notes {
            inNotes.formUnion(SingingMeasures.frames(start: note.start, end: note.end, fps: 30, frameCount: frames))
            if note.held { heldCores.formUnion(SingingMeasures.frames(start: note.start + 0.15, end: note.end - 0.1, fps: 30, frameCount: frames)) }
        }
        #expect(!runs.isEmpty)
        #expect(flagged.isSubset(of: inNotes), "flagged frames outside notes: \(flagged.subtracting(inNotes).sorted())")
        let recall = Double(heldCores.intersection(flagged).count) / Double(heldCores.count)
        #expect(recall >= 0.7, "held-note frames found: \(recall)")
        // Read speech: no vowel lasts, nothing is held (data/human-speech, fetched by make test).
        guard HumanSpeechFixtures.isAvailable else { return }
        for speech in try RecordedSpeechClip.load(directory: HumanSpeechFixtures.clips) {
            let count = Int(Double(speech.samples.count) / 16_000 * 30)
            #expect(SungVowelHold().heldVowels(samples: speech.samples, fps: 30, frameCount: count).isEmpty, "\(speech.id)")
        }
    }

    @Test("louder and higher held vowels get a wider opening: +0.3 per 10 dB, +0.6 per octave, around the median")
    func gains() throws {
        // Two steady vowels 0.5 s each: 110 Hz, then 3 dB louder and 2 semitones higher; silence between.
        func vowel(_ hz: Double, gain: Double) -> [Float] {
            (0..<8_000).map { i in
                let t = Double(i) / 16_000
                return Float(gain * 0.2 * (sin(2 * .pi * hz * t) + 0.5 * sin(4 * .pi * hz * t)))
            }
        }
        let samples = vowel(110, gain: 1) + [Float](repeating: 0, count: 8_000) + vowel(110 * pow(2, 2.0 / 12), gain: pow(10, 3.0 / 20))
        let runs = [3..<12, 33..<42]  // inside each vowel, clear of its edges
        let gains = SungVowelHold().gains(samples: samples, fps: 30, runs: runs)
        // The median of two is the larger: the second run is the reference (1); the first is 3 dB and 2
        // semitones below it: 1 − 0.3 · 0.3 − 0.6 · 2 / 12 = 0.81.
        #expect(gains.count == 2 && abs(gains[1] - 1) < 1e-9)
        #expect(abs(gains[0] - 0.81) < 0.01, "\(gains)")
        #expect(SungVowelHold().gains(samples: samples, fps: 30, runs: [3..<12]) == [1])
    }

    @Test("with the mode the jaw holds held vowels and loses vibrato-rate chatter; elsewhere it is unchanged",
          .enabled(if: HumanSpeechFixtures.isAvailable, "needs Models/media2face"))
    func holdsTheJaw() async throws {
        let clip = try #require(try SungClip.load(directory: Self.fixtures).first)
        let pipeline = try await Media2FacePipeline.load(configuration: Media2FacePipelineConfiguration(modelDirectory: HumanSpeechFixtures.model.path))
        func animate(singing: Bool) async throws -> FaceAnimation {
            var options = AnimationOptions()
            options.singing = singing
            return try await pipeline.animate(samples: clip.samples, source: clip.id,
                                              request: AnimationRequest(audioPath: clip.id, options: options)).animation
        }
        let plain = try await animate(singing: false), sung = try await animate(singing: true)
        var off = SingingEvaluation(), on = SingingEvaluation()
        off.add(clip, animation: plain)
        on.add(clip, animation: sung)
        let (a, b) = (off.scores, on.scores)
        print("singing mode off:", a, "\non:", b)
        let speedOff = try #require(a.held_jaw_speed), speedOn = try #require(b.held_jaw_speed)
        #expect(speedOn < 0.8 * speedOff, "held-vowel jaw speed \(speedOff) → \(speedOn) per s")
        // The held vowel stays open: the mean jaw moves by less than 0.05.
        #expect(abs(try #require(b.held_jaw_mean) - (try #require(a.held_jaw_mean))) < 0.05)
        // 4–8 Hz jaw motion on the vibrato notes.
        let jaw = ARKit.index(of: "jawOpen")!
        func bandRMS(_ animation: FaceAnimation) -> Double {
            let track = (0..<animation.frameCount).map { Double(animation.weights[$0 * ARKit.count + jaw]) }
            let notes = clip.score.notes.filter { $0.vibrato != nil }
            return notes.compactMap { note in
                SingingMeasures.bandMotion(track, SingingMeasures.frames(start: note.start + 0.35, end: note.end - 0.1, fps: animation.fps, frameCount: animation.frameCount),
                                           fps: animation.fps, band: SingingMeasures.vibratoBand)?.rms
            }.reduce(0, +) / Double(notes.count)
        }
        #expect(bandRMS(sung) < 0.5 * bandRMS(plain), "4–8 Hz jaw RMS \(bandRMS(plain)) → \(bandRMS(sung))")
        // Outside the held vowels nothing changes, frame for frame.
        let held = Set(SungVowelHold().heldVowels(samples: clip.samples, fps: plain.fps, frameCount: plain.frameCount).flatMap { $0 })
        let outside = (0..<plain.frameCount).filter { !held.contains($0) }
        #expect(outside.count > plain.frameCount / 3)
        #expect(outside.allSatisfy { f in (0..<ARKit.count).allSatisfy { plain.weights[f * ARKit.count + $0] == sung.weights[f * ARKit.count + $0] } })
        #expect(plain.headPose == sung.headPose)
    }
}
