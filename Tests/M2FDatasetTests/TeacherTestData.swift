import Foundation
import M2FDataset
import M2FTestSupport

/// Inputs for the teacher tests: flite phone timings (Tests/Fixtures/teacher, see RECIPE.md) and
/// seeded synthetic phone streams for long clips.
enum TeacherTestData {
    struct Utterance: Decodable {
        var voice: String
        var text: String
        var phones: [TimedPhone]

        enum CodingKeys: String, CodingKey { case voice, text, phones }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            voice = try container.decode(String.self, forKey: .voice)
            text = try container.decode(String.self, forKey: .text)
            var list = try container.nestedUnkeyedContainer(forKey: .phones)
            var phones: [TimedPhone] = []
            while !list.isAtEnd {
                var item = try list.nestedUnkeyedContainer()
                let phone = try item.decode(String.self)
                let start = try item.decode(Double.self), end = try item.decode(Double.self)
                phones.append(TimedPhone(phone: phone, start: start, end: end))
            }
            self.phones = phones
        }
    }

    static func flite() throws -> [Utterance] {
        let url = Fixture.directory.appendingPathComponent("teacher/flite_phones.json")
        return try JSONDecoder().decode([Utterance].self, from: Data(contentsOf: url))
    }

    /// A seeded stream of syllables (consonant cluster + vowel + optional coda) with phrase pauses,
    /// `seconds` long; phone durations 50–160 ms, pauses 0.2–0.8 s every 6–14 syllables.
    static func syntheticSpeech(seconds: Double, seed: UInt64) -> [TimedPhone] {
        var state = seed &+ 0x2545_F491_4F6C_DD1D
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        func pick(_ list: [String]) -> String { list[min(list.count - 1, Int(next() * Double(list.count)))] }
        let consonants = ["p", "b", "m", "f", "v", "t", "d", "n", "s", "z", "k", "g", "l", "r", "w", "y", "sh", "ch", "th", "dh", "hh", "jh"]
        let vowels = ["aa", "ae", "ah", "ao", "eh", "ih", "iy", "uh", "uw", "er", "ax", "ay", "aw", "ey", "ow", "oy"]
        var phones: [TimedPhone] = [], t = 0.0
        func add(_ phone: String, _ duration: Double) {
            phones.append(TimedPhone(phone: phone, start: t, end: t + duration))
            t += duration
        }
        add("pau", 0.3)
        var untilPause = 6 + Int(next() * 9)
        while t < seconds - 1 {
            add(pick(consonants), 0.05 + 0.06 * next())
            add(pick(vowels), 0.07 + 0.09 * next())
            if next() < 0.4 { add(pick(consonants), 0.05 + 0.06 * next()) }
            untilPause -= 1
            if untilPause == 0 {
                add("pau", 0.2 + 0.6 * next())
                untilPause = 6 + Int(next() * 9)
            }
        }
        add("pau", max(0.05, seconds - t))
        return phones
    }
}
