import XCTest
import M2FDataset

final class SpeechEspeakTests: XCTestCase {
    var espeakVoices: [EspeakVoice] {
        VoiceCatalog.standard.entries.compactMap { if case let .espeak(voice) = $0.voice { return voice } else { return nil } }
    }

    func testEveryEspeakVoiceSpeaksWithSoundTimings() throws {
        XCTAssertGreaterThanOrEqual(espeakVoices.count, 8)
        var audio: [String: [Float]] = [:]
        for voice in espeakVoices {
            let utterance = try voice.synthesize("The quick brown fox jumps over the lazy dog.", prosody: .neutral)
            XCTAssertEqual(SpeechChecks.problems(utterance), [], voice.voiceID)
            let spoken = SpeechChecks.spoken(utterance)
            // Caribbean English stops the th (`d`); every other accent has dh.
            XCTAssertTrue(["dh", "d"].contains(spoken[0]), "\(voice.voiceID): \(spoken)")
            XCTAssertEqual(Array(spoken[1...2]), ["ax", "k"], "\(voice.voiceID): \(spoken)")
            XCTAssertEqual(spoken.last, "g", voice.voiceID)
            XCTAssertTrue(spoken.contains("jh") && spoken.contains("f") && spoken.contains("z"), "\(voice.voiceID): \(spoken)")
            audio[voice.voiceID] = utterance.samples
        }
        let ids = audio.keys.sorted()
        for (i, a) in ids.enumerated() {
            for b in ids[(i + 1)...] { XCTAssertNotEqual(audio[a], audio[b], "\(a) and \(b) sound the same") }
        }
    }

    func testPhonesLookLikeArpabetAndSitOnTheSpeech() throws {
        let voice = EspeakVoice(voiceID: "espeak-en-us", voiceName: "en-us")
        let utterance = try voice.synthesize("Thank you, Bob.", prosody: .neutral)
        XCTAssertEqual(SpeechChecks.problems(utterance), [])
        XCTAssertEqual(SpeechChecks.spoken(utterance), ["th", "ae", "ng", "k", "y", "uw", "b", "aa", "b"])
        // Voiced vowels are loud, pauses quiet: the timings sit on the audio.
        let rate = Double(utterance.sampleRate)
        func energy(_ phone: TimedPhone) -> Double {
            SpeechChecks.rms(utterance.samples[Int(phone.start * rate)..<max(Int(phone.end * rate), Int(phone.start * rate) + 1)])
        }
        let vowels = utterance.phones.filter { ["ae", "uw", "aa"].contains($0.phone) }.map(energy)
        let pauses = utterance.phones.filter { $0.phone == "pau" && $0.duration > 0.03 }.map(energy)
        XCTAssertFalse(pauses.isEmpty)
        XCTAssertGreaterThan(vowels.min()!, 5 * pauses.max()!)
    }

    func testStopClosuresAreQuietWhereThePhonesSayTheyAre() throws {
        let voice = EspeakVoice(voiceID: "espeak-en-us", voiceName: "en-us")
        let utterance = try voice.synthesize("Papa bought a map.", prosody: .neutral)
        XCTAssertEqual(SpeechChecks.spoken(utterance), ["p", "aa", "p", "ax", "b", "ao", "t", "ah", "m", "ae", "p"])
        let rate = Double(utterance.sampleRate)
        let loudest = SpeechChecks.rms(utterance.samples[...]) * 3
        for stop in utterance.phones.filter({ ["p", "t"].contains($0.phone) }).dropFirst() {
            let quietest = stride(from: stop.start, to: stop.end - 0.005, by: 0.005).map { t in
                SpeechChecks.rms(utterance.samples[Int(t * rate)..<Int((t + 0.005) * rate)])
            }.min()!
            XCTAssertLessThan(quietest, 0.05 * loudest, "closure of \(stop.phone) at \(stop.start)")
            // The closure sits in the stop's first part: its first 10 ms are silent.
            let onset = SpeechChecks.rms(utterance.samples[Int(stop.start * rate)..<Int((stop.start + 0.01) * rate)])
            XCTAssertLessThan(onset, 0.05 * loudest, "\(stop.phone) at \(stop.start) starts loud: closure left outside")
        }
    }

    func testRateChangesDurationAndPitchChangesAudio() throws {
        let voice = EspeakVoice(voiceID: "espeak-en-us", voiceName: "en-us")
        let text = "A rainbow appeared over the hills after the storm."
        let normal = try voice.synthesize(text, prosody: .neutral)
        let fast = try voice.synthesize(text, prosody: Prosody(rate: 1.5))
        XCTAssertEqual(SpeechChecks.problems(fast), [])
        XCTAssertLessThan(fast.duration, normal.duration * 0.8)
        XCTAssertEqual(SpeechChecks.spoken(fast), SpeechChecks.spoken(normal))
        let high = try voice.synthesize(text, prosody: Prosody(pitch: 1.3))
        XCTAssertNotEqual(high.samples, normal.samples)
    }

    func testMissingVoiceIsATypedError() {
        let voice = EspeakVoice(voiceID: "espeak-nowhere", voiceName: "xx-nowhere")
        XCTAssertThrowsError(try voice.synthesize("Hello there.", prosody: .neutral)) { error in
            XCTAssertEqual(error as? SpeechError, .voiceMissing(engine: "espeak-ng", voice: "xx-nowhere", aptPackage: "espeak-ng-data"))
        }
    }

    func testMnemonicTableSplitsGlides() {
        XCTAssertEqual(EspeakPhonemeMap.phones(for: "A@"), ["aa", "r"])
        XCTAssertEqual(EspeakPhonemeMap.phones(for: "_:"), ["pau"])
        XCTAssertEqual(EspeakPhonemeMap.phones(for: "t#"), ["t"])
        XCTAssertEqual(EspeakPhonemeMap.phones(for: ";"), [])
        let spans = EspeakPhonemeMap.split(start: 1, end: 2, count: 2)
        XCTAssertEqual(spans[0].0, 1); XCTAssertEqual(spans[0].1, 1.6, accuracy: 1e-12); XCTAssertEqual(spans[1].1, 2)
    }
}
