import Foundation
import M2FDataset
import M2FFace

/// Small deterministic speech and teacher stand-ins for the builder tests: the tests exercise the
/// store and the builder (planning, shards, resumption, failure handling), not speech or animation.
/// Letters map to phones of 70 ms; vowels are a voiced tone, consonants noise.
struct LetterVoice: SpeechSynthesizing {
    let voiceID: String
    var pitch: Double = 140

    static let phoneOfLetter: [Character: String] = [
        "a": "aa", "e": "eh", "i": "iy", "o": "ow", "u": "uw", "y": "ih", "b": "b", "p": "p", "m": "m", "f": "f", "v": "v",
        "t": "t", "d": "d", "n": "n", "l": "l", "s": "s", "z": "z", "k": "k", "g": "g", "c": "k", "h": "hh", "r": "r",
        "w": "w", "j": "jh", "q": "k", "x": "k",
    ]

    func synthesize(_ text: String, prosody: Prosody) throws -> SpokenUtterance {
        let rate = 16_000
        let phoneSeconds = 0.07 / prosody.rate
        var samples: [Float] = []
        var phones: [TimedPhone] = []
        func add(_ phone: String, seconds: Double) {
            let start = Double(samples.count) / Double(rate)
            let count = Int(seconds * Double(rate))
            let vowel = ["aa", "eh", "iy", "ow", "uw", "ih"].contains(phone)
            for i in 0..<count {
                let t = Double(samples.count + i) / Double(rate)
                let value = phone == "pau" ? 0 : vowel ? 0.3 * sin(2 * .pi * pitch * prosody.pitch * t) : 0.05 * sin(2 * .pi * 2_900 * t + Double(i % 7))
                samples.append(Float(value * prosody.volume))
            }
            phones.append(TimedPhone(phone: phone, start: start, end: Double(samples.count) / Double(rate)))
        }
        for word in text.lowercased().split(whereSeparator: { !$0.isLetter }) {
            for letter in word { if let phone = Self.phoneOfLetter[letter] { add(phone, seconds: phoneSeconds) } }
            add("pau", seconds: 0.03)
        }
        return SpokenUtterance(samples: samples, sampleRate: rate, phones: phones, transcript: text, voiceID: voiceID)
    }
}

/// Jaw open on vowels, lips pressed on p b m, a blink every 4 s.
struct VowelTeacher: TeacherAnimating {
    func animate(phones: [TimedPhone], samples: [Float], sampleRate: Int, duration: Double, fps: Double,
                 performance: TeacherPerformance) -> FaceAnimation {
        let frames = Int((duration * fps).rounded())
        var animation = FaceAnimation(fps: fps, frameCount: frames, withEyes: true)
        for f in 0..<frames {
            let t = Double(f) / fps
            let phone = phones.first { $0.start <= t && t < $0.end }?.phone ?? "pau"
            if ["aa", "eh", "iy", "ow", "uw", "ih"].contains(phone) { animation[f, .jawOpen] = 0.4 }
            let blink = Float(max(0, 1 - abs(t.truncatingRemainder(dividingBy: 4) - 2) / 0.08))
            animation[f, .eyeBlinkLeft] = blink
            animation[f, .eyeBlinkRight] = blink
            animation[f, .mouthSmileLeft] = Float(performance.emotion == .happy ? performance.intensity * 0.6 : 0)
        }
        return animation
    }
}

/// A voice that fails on purpose for sentences containing a marker word: "explode" throws,
/// "nan" returns NaN samples, "stretch" returns phones that end 2 s after the audio.
struct FaultyVoice: SpeechSynthesizing {
    struct Failure: LocalizedError { var errorDescription: String? { "the synthesizer crashed" } }
    let base: LetterVoice
    var voiceID: String { base.voiceID }

    func synthesize(_ text: String, prosody: Prosody) throws -> SpokenUtterance {
        var utterance = try base.synthesize(text, prosody: prosody)
        if text.contains("explode") { throw Failure() }
        if text.contains("nan") { utterance.samples[utterance.samples.count / 2] = .nan }
        if text.contains("stretch") { utterance.phones[utterance.phones.count - 1].end += 2 }
        return utterance
    }
}

enum BuildTestSources {
    /// `count` sentences of 4–9 made-up words.
    static func sentences(_ count: Int) -> [String] {
        let words = ["bob", "made", "a", "map", "of", "the", "moon", "five", "very", "fine", "days", "people", "sing", "at", "home",
                     "while", "we", "paint", "blue", "boats"]
        return (0..<count).map { i in
            (0..<(4 + i % 6)).map { words[(i * 7 + $0 * 3) % words.count] }.joined(separator: " ")
        }
    }

    static func sources(voices: Int = 6, sentences: [String] = sentences(60), faulty: Bool = false) -> SyntheticSources {
        let letterVoices = (0..<voices).map { LetterVoice(voiceID: "letter-\($0)", pitch: 110 + Double($0) * 15) }
        let synthesizers: [any SpeechSynthesizing] = faulty ? letterVoices.map { FaultyVoice(base: $0) } : letterVoices
        return SyntheticSources(voices: synthesizers,
                                profiles: letterVoices.enumerated().map { VoiceProfile(id: $1.voiceID, gender: $0 % 2 == 0 ? "female" : "male") },
                                sentences: sentences, teacher: VowelTeacher(), teacherVersion: "vowel-test-1")
    }

    static func temporaryDirectory(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-dataset-tests-\(name)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
