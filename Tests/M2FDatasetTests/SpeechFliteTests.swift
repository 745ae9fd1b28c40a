import XCTest
import M2FDataset

final class SpeechFliteTests: XCTestCase {
    func testEveryFliteVoiceSpeaksWithSoundTimings() throws {
        var audio: [String: [Float]] = [:]
        for voice in FliteVoice.all {
            let utterance = try voice.synthesize("The quick brown fox jumps over the lazy dog.", prosody: .neutral)
            XCTAssertEqual(SpeechChecks.problems(utterance), [], voice.voiceID)
            XCTAssertEqual(utterance.voiceID, voice.voiceID)
            // CMU dictionary pronunciation, as flite's lexicon has it.
            XCTAssertEqual(SpeechChecks.spoken(utterance).prefix(6), ["dh", "ax", "k", "w", "ih", "k"], voice.voiceID)
            XCTAssertTrue(SpeechChecks.spoken(utterance).contains("jh"), voice.voiceID)
            audio[voice.voiceID] = utterance.samples
        }
        // Distinct voices produce different audio.
        let ids = audio.keys.sorted()
        for (i, a) in ids.enumerated() {
            for b in ids[(i + 1)...] { XCTAssertNotEqual(audio[a], audio[b], "\(a) and \(b) sound the same") }
        }
    }

    func testRatePitchAndVolumeChangeTheAudio() throws {
        let voice = FliteVoice.slt
        let text = "She sells sea shells by the sea shore."
        let normal = try voice.synthesize(text, prosody: .neutral)
        let slow = try voice.synthesize(text, prosody: Prosody(rate: 0.7))
        XCTAssertEqual(SpeechChecks.problems(slow), [])
        // duration_stretch = 1/0.7: the speech (not the fixed pauses) stretches by about 1.43.
        XCTAssertEqual(slow.duration / normal.duration, 1 / 0.7, accuracy: 0.15)
        XCTAssertEqual(SpeechChecks.spoken(slow), SpeechChecks.spoken(normal))
        let high = try voice.synthesize(text, prosody: Prosody(pitch: 1.3))
        XCTAssertNotEqual(high.samples, normal.samples)
        let loud = try voice.synthesize(text, prosody: Prosody(volume: 0.5))
        XCTAssertEqual(SpeechChecks.rms(loud.samples[...]) / SpeechChecks.rms(normal.samples[...]), 0.5, accuracy: 0.01)
    }

    func testParsesPsdurAndRejectsGarbage() throws {
        let phones = try FliteVoice.parsePhoneDurations("pau:0.164 hh:0.255 ax:0.304\n", voice: "v")
        XCTAssertEqual(phones, [TimedPhone(phone: "pau", start: 0, end: 0.164),
                                TimedPhone(phone: "hh", start: 0.164, end: 0.255),
                                TimedPhone(phone: "ax", start: 0.255, end: 0.304)])
        XCTAssertThrowsError(try FliteVoice.parsePhoneDurations("pau:x", voice: "v"))
        XCTAssertThrowsError(try FliteVoice.slt.synthesize("  ... ", prosody: .neutral)) { error in
            XCTAssertEqual(error as? SpeechError, .emptyText(voice: "flite-slt"))
        }
    }

    func testUnknownFliteVoiceIsATypedError() {
        let voice = FliteVoice(voiceID: "flite-nobody", name: "nobody", baseF0: 100)
        XCTAssertThrowsError(try voice.synthesize("Hello there.", prosody: .neutral)) { error in
            XCTAssertEqual(error as? SpeechError, .voiceMissing(engine: "flite", voice: "nobody", aptPackage: "flite"))
        }
    }

    func testClosingPauseIsClippedAndStopClosuresSitInsideTheStops() throws {
        // kal and kal16 report the final pause ~0.1 s longer than the audio they write; the spoken phones
        // still fit. In every voice the silent closure of each p lies inside the p's span (t is not
        // checked: between vowels American voices flap it, with no silent closure).
        for voice in FliteVoice.all {
            let utterance = try voice.synthesize("Papa bought a map.", prosody: .neutral)
            XCTAssertEqual(SpeechChecks.problems(utterance), [], voice.voiceID)
            XCTAssertEqual(SpeechChecks.spoken(utterance), ["p", "aa", "p", "ax", "b", "aa", "t", "ax", "m", "ae", "p"], voice.voiceID)
            let rate = Double(utterance.sampleRate)
            let stops = utterance.phones.filter { $0.phone == "p" }
            for stop in stops.dropFirst() {
                let quietest = stride(from: stop.start, to: stop.end - 0.005, by: 0.005).map { t in
                    SpeechChecks.rms(utterance.samples[Int(t * rate)..<Int((t + 0.005) * rate)])
                }.min()!
                XCTAssertLessThan(quietest, 0.01, "\(voice.voiceID): closure of \(stop.phone) at \(stop.start)")
            }
        }
    }
}
