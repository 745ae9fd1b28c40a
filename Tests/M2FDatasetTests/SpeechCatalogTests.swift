import Foundation
import M2FDataset
import M2FFace
import XCTest

final class SpeechCatalogTests: XCTestCase {
    func testCatalogHasThirteenDistinctVoicesWithHeldOutOnes() throws {
        let catalog = VoiceCatalog.standard
        XCTAssertGreaterThanOrEqual(catalog.entries.count, 13)
        XCTAssertEqual(Set(catalog.entries.map(\.voiceID)).count, catalog.entries.count)
        XCTAssertEqual(catalog.entries(in: .test).map(\.voiceID), ["flite-rms", "espeak-en-029-f4"])
        XCTAssertEqual(catalog.entries(in: .val).map(\.voiceID), ["espeak-en-us-nyc-m2"])
        XCTAssertEqual(Set(catalog.entries(in: .train).map(\.gender)), ["male", "female"])
        XCTAssertEqual(catalog.entries.filter { $0.voice.engine == "flite" }.count, 5)
        XCTAssertGreaterThanOrEqual(catalog.entries.filter { $0.voice.engine == "espeak-ng" }.count, 8)
        XCTAssertEqual(try catalog.entry("flite-slt").gender, "female")
        XCTAssertThrowsError(try catalog.entry("nobody")) { error in
            XCTAssertTrue((error as? LocalizedError)?.errorDescription?.contains("flite-slt") ?? false)
        }
        // Codable round trip (the store writes voice settings into manifests).
        let data = try JSONEncoder().encode(catalog.entries)
        XCTAssertEqual(try JSONDecoder().decode([VoiceEntry].self, from: data), catalog.entries)
    }

    /// Every voice speaks corpus sentences under every emotion's prosody with sound timings. The sweep
    /// covers 4 sentences per voice by default; M2F_SPEECH_SWEEP=N speaks N per voice.
    func testEveryVoiceSpeaksCorpusSentencesWithEmotionalProsody() throws {
        let corpus = try SentenceCorpus.build()
        let perVoice = Int(ProcessInfo.processInfo.environment["M2F_SPEECH_SWEEP"] ?? "") ?? 4
        let stride = max(1, corpus.sentences.count / (perVoice * VoiceCatalog.standard.entries.count))
        var index = 0
        for entry in VoiceCatalog.standard.entries {
            for _ in 0..<perVoice {
                let sentence = corpus.sentences[(index * stride) % corpus.sentences.count]
                let emotion = Emotion.allCases[index % Emotion.allCases.count]
                let prosody = EmotionProsody.prosody(for: emotion, intensity: 1, seed: UInt64(index))
                let utterance = try entry.voice.synthesizer.synthesize(sentence.text, prosody: prosody)
                XCTAssertEqual(SpeechChecks.problems(utterance), [], "\(entry.voiceID) \(emotion): \(sentence.text)")
                XCTAssertGreaterThanOrEqual(SpeechChecks.spoken(utterance).count, 3 * sentence.text.split(separator: " ").count / 2,
                                            "\(entry.voiceID): \(sentence.text)")
                index += 1
            }
        }
        XCTAssertEqual(EspeakPhonemeMap.unknownMnemonics, [])
    }

    /// A pitch multiplier reaches the F0 of every engine's output (flite target F0, eSpeak pitch scale,
    /// rms's pitch shift after synthesis).
    func testPitchMultiplierMovesMedianF0() throws {
        let text = "The quick brown fox jumps over the lazy dog."
        let voices: [any SpeechSynthesizing] = [FliteVoice.slt, FliteVoice.kal16, FliteVoice.rms,
                                                EspeakVoice(voiceID: "espeak-en-us", voiceName: "en-us")]
        for voice in voices {
            let base = SpeechChecks.medianF0(try voice.synthesize(text, prosody: .neutral))
            let high = SpeechChecks.medianF0(try voice.synthesize(text, prosody: Prosody(pitch: 1.25)))
            let low = SpeechChecks.medianF0(try voice.synthesize(text, prosody: Prosody(pitch: 0.8)))
            XCTAssertEqual(high / base, 1.25, accuracy: 0.06, "\(voice.voiceID): \(base) → \(high) Hz")
            XCTAssertEqual(low / base, 0.8, accuracy: 0.06, "\(voice.voiceID): \(base) → \(low) Hz")
        }
    }

    func testEmotionProsodyDirections() throws {
        let happy = EmotionProsody.prosody(for: .happy, intensity: 1)
        let sad = EmotionProsody.prosody(for: .sad, intensity: 1)
        let angry = EmotionProsody.prosody(for: .angry, intensity: 1)
        XCTAssertGreaterThan(happy.rate, 1); XCTAssertGreaterThan(happy.pitch, 1)
        XCTAssertLessThan(sad.rate, 1); XCTAssertLessThan(sad.pitch, 1); XCTAssertLessThan(sad.volume, 1)
        XCTAssertGreaterThan(angry.volume, 1.2); XCTAssertGreaterThan(angry.rate, 1)
        XCTAssertGreaterThan(EmotionProsody.prosody(for: .surprised, intensity: 1).pitch, happy.pitch)
        XCTAssertGreaterThan(EmotionProsody.prosody(for: .fearful, intensity: 1).rate, 1.1)
        XCTAssertEqual(EmotionProsody.prosody(for: .angry, intensity: 0), .neutral)
        let half = EmotionProsody.prosody(for: .sad, intensity: 0.5)
        XCTAssertEqual(half.rate, sad.rate.squareRoot(), accuracy: 1e-12)
        // Jitter: seeded, small, different per clip.
        let a = EmotionProsody.prosody(for: .happy, intensity: 1, seed: 1)
        XCTAssertEqual(a, EmotionProsody.prosody(for: .happy, intensity: 1, seed: 1))
        XCTAssertNotEqual(a, EmotionProsody.prosody(for: .happy, intensity: 1, seed: 2))
        XCTAssertEqual(a.rate / happy.rate, 1, accuracy: 0.05 + 1e-9)
        XCTAssertEqual(a.volume / happy.volume, 1, accuracy: 0.1 + 1e-9)

        // The prosody reaches the audio: sad espeak speech is longer and quieter than angry speech.
        let voice = EspeakVoice(voiceID: "espeak-en-us", voiceName: "en-us")
        let text = "I cannot believe you did that again."
        let sadSpeech = try voice.synthesize(text, prosody: sad)
        let angrySpeech = try voice.synthesize(text, prosody: angry)
        XCTAssertGreaterThan(sadSpeech.duration, angrySpeech.duration * 1.2)
        XCTAssertLessThan(SpeechChecks.rms(sadSpeech.samples[...]), SpeechChecks.rms(angrySpeech.samples[...]) * 0.7)
    }
}
