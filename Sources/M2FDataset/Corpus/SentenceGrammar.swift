import Foundation
import M2FEngine
import M2FFace

/// A seeded template grammar over `GrammarVocabulary`: statements, questions, exclamations, sentences
/// with spelled-out numbers and dates, and lines written for each emotion.
///
/// `generate(count:seed:)` draws templates and words with `RandomGenerator(seed:)`, drops duplicates and
/// returns exactly `count` distinct sentences in draw order (same seed, same list, on every platform).
public enum SentenceGrammar {
    /// The seed of the standard corpus.
    public static let standardSeed: UInt64 = 20_240_127

    /// `count` distinct sentences (each 3–25 words) with their emotion hints.
    public static func generate(count: Int, seed: UInt64 = standardSeed) -> [(text: String, emotion: Emotion?)] {
        var random = RandomGenerator(seed: seed)
        var seen = Set<String>()
        var result: [(String, Emotion?)] = []
        var attempts = 0
        while result.count < count {
            attempts += 1
            precondition(attempts < count * 50, "the grammar cannot produce \(count) distinct sentences")
            let (text, emotion) = sentence(&random)
            let words = text.split(separator: " ").count
            guard (3...25).contains(words), seen.insert(CorpusSentence.normalised(text)).inserted else { continue }
            result.append((text, emotion))
        }
        return result
    }

    /// One sentence: a template drawn with the weights below (a quarter of them emotional lines).
    static func sentence(_ random: inout RandomGenerator) -> (String, Emotion?) {
        let roll = random.nextInt(below: 100)
        switch roll {
        case 0..<30: return (statement(&random), nil)
        case 30..<45: return (question(&random), nil)
        case 45..<52: return (exclamation(&random), nil)
        case 52..<64: return (numberSentence(&random), nil)
        default:
            let emotion = Emotion.allCases[random.nextInt(below: Emotion.allCases.count)]
            return (emotional(emotion, &random), emotion)
        }
    }

    // MARK: - Templates

    typealias V = GrammarVocabulary

    static func statement(_ r: inout RandomGenerator) -> String {
        let verb = pick(V.verbs, &r)
        switch r.nextInt(below: 4) {
        case 0: return capitalised("\(pick(V.subjects, &r)) \(verb.1) \(pick(V.objects, &r)) \(pick(V.adjuncts, &r)).")
        case 1: return capitalised("\(pick(V.pluralSubjects, &r)) will \(verb.0) \(pick(V.objects, &r)) \(pick(V.adjuncts, &r)).")
        case 2: return capitalised("\(pick(V.subjects, &r)) was \(verb.2) \(pick(V.objects, &r)) when the \(pick(V.nouns, &r)) began.")
        default: return capitalised("\(pick(V.adjuncts, &r)), \(pick(V.pluralSubjects, &r)) \(verb.1) \(pick(V.objects, &r)).")
        }
    }

    static func question(_ r: inout RandomGenerator) -> String {
        let verb = pick(V.verbs, &r)
        switch r.nextInt(below: 5) {
        case 0: return capitalised("did \(pick(V.subjects, &r)) \(verb.0) \(pick(V.objects, &r)) \(pick(V.adjuncts, &r))?")
        case 1: return capitalised("where did \(pick(V.pluralSubjects, &r)) \(verb.0) \(pick(V.objects, &r))?")
        case 2: return capitalised("why is \(pick(V.subjects, &r)) so \(pick(V.adjectives, &r)) today?")
        case 3: return capitalised("how many \(pick(V.pluralNouns, &r)) did \(pick(V.subjects, &r)) \(verb.0) \(pick(V.adjuncts, &r))?")
        default: return capitalised("would \(pick(V.pluralSubjects, &r)) like to \(verb.0) \(pick(V.objects, &r)) with me?")
        }
    }

    static func exclamation(_ r: inout RandomGenerator) -> String {
        switch r.nextInt(below: 3) {
        case 0:
            let adjective = pick(V.adjectives, &r)
            let article = "aeiou".contains(adjective.first!) ? "an" : "a"
            return "What \(article) \(adjective) \(pick(V.nouns, &r)) this is!"
        case 1: return "\(pick(V.interjections, &r)), \(pick(V.subjects, &r)) \(pick(V.verbs, &r).1) \(pick(V.objects, &r))!"
        default: return capitalised("look at \(pick(V.objects, &r)) \(pick(V.adjuncts, &r))!")
        }
    }

    static func numberSentence(_ r: inout RandomGenerator) -> String {
        switch r.nextInt(below: 5) {
        case 0:
            let n = 2 + r.nextInt(below: 98)
            return capitalised("\(pick(V.subjects, &r)) \(pick(V.verbs, &r).1) \(NumberWords.spell(n)) \(pick(V.pluralNouns, &r)) \(pick(V.adjuncts, &r)).")
        case 1:
            let hour = 1 + r.nextInt(below: 12), minute = 5 * (1 + r.nextInt(below: 11))
            return "The train to the coast leaves at \(NumberWords.spell(hour)) \(NumberWords.spell(minute)) \(r.nextInt(below: 2) == 0 ? "in the morning" : "in the evening")."
        case 2:
            let room = 100 + r.nextInt(below: 900)
            return "Room \(NumberWords.spell(room)) is on the \(NumberWords.ordinal(1 + r.nextInt(below: 12))) floor."
        case 3:
            let day = 1 + r.nextInt(below: 28)
            return "We will meet on \(pick(V.weekdays, &r)) the \(NumberWords.spell(day))th of \(pick(V.months, &r))."
                .replacingOccurrences(of: "oneth", with: "first").replacingOccurrences(of: "twoth", with: "second")
                .replacingOccurrences(of: "threeth", with: "third").replacingOccurrences(of: "fiveth", with: "fifth")
                .replacingOccurrences(of: "eightth", with: "eighth").replacingOccurrences(of: "nineth", with: "ninth")
                .replacingOccurrences(of: "twelveth", with: "twelfth").replacingOccurrences(of: "tyth", with: "tieth")
        default:
            let price = 2 + r.nextInt(below: 4998)
            return "The \(pick(V.objects, &r).split(separator: " ").last!) costs \(NumberWords.spell(price)) dollars."
        }
    }

    static func emotional(_ emotion: Emotion, _ r: inout RandomGenerator) -> String {
        let verb = pick(V.verbs, &r)
        let subject = pick(V.subjects, &r), object = pick(V.objects, &r), adjunct = pick(V.adjuncts, &r)
        let options: [String]
        switch emotion {
        case .happy:
            options = ["I am so glad that \(subject) \(verb.1) \(object)!",
                       "What a wonderful \(pick(V.nouns, &r)), thank you so much!",
                       "We finally \(verb.1) \(object), this is great!",
                       "Hooray, \(pick(V.events, &r)) was a huge success!",
                       "I love \(pick(V.events, &r)) \(adjunct), it makes me smile."]
        case .sad:
            options = ["I miss \(pick(V.people, &r)) so much.",
                       "It is a shame that \(subject) lost \(object).",
                       "Nobody came to \(pick(V.events, &r)) \(adjunct).",
                       "I wish \(pick(V.people, &r)) were still here with us.",
                       "Everything feels so empty since \(pick(V.people, &r)) moved away."]
        case .angry:
            options = ["I told you not to \(verb.0) \(object)!",
                       "Stop \(verb.2) \(object) right now!",
                       "How dare \(subject) \(verb.0) \(object) without asking!",
                       "This is completely unacceptable, \(subject) broke \(object) again!",
                       "Get out of here and take \(object) with you!"]
        case .surprised:
            options = ["Wow, \(subject) really \(verb.1) \(object)?",
                       "I cannot believe \(subject) \(verb.1) \(object) \(adjunct)!",
                       "Really, \(pick(V.pluralSubjects, &r)) found \(object) \(adjunct)?",
                       "Oh my goodness, is that \(object)?",
                       "No way, \(pick(V.events, &r)) is today?"]
        case .fearful:
            options = ["Did you hear that noise \(adjunct)?",
                       "Please do not leave me alone \(adjunct).",
                       "Something is moving \(adjunct), I am scared.",
                       "What if \(subject) never comes back from \(pick(V.events, &r))?",
                       "Quick, hide \(object), somebody is coming!"]
        case .disgusted:
            options = ["That \(pick(V.foods, &r)) smells absolutely awful.",
                       "Ugh, there is mould all over \(object).",
                       "I cannot stand the taste of this \(pick(V.foods, &r)).",
                       "Yuck, who left \(object) \(adjunct)?",
                       "That is revolting, please throw away the \(pick(V.foods, &r))."]
        case .contempt:
            options = ["Oh, so you think \(subject) could \(verb.0) \(object).",
                       "As if \(pick(V.pluralSubjects, &r)) could ever \(verb.0) \(object).",
                       "How very clever of \(subject) to \(verb.0) \(object) \(adjunct).",
                       "I suppose \(subject) calls that \(verb.2).",
                       "Of course \(subject) would \(verb.0) \(object), how typical."]
        case .neutral:
            options = ["\(capitalised(subject)) \(verb.1) \(object) \(adjunct).",
                       "The \(pick(V.nouns, &r)) starts \(adjunct).",
                       "Please put \(object) \(adjunct).",
                       "\(capitalised(subject)) usually walks to work \(adjunct).",
                       "There is \(object) \(adjunct)."]
        }
        return capitalised(options[r.nextInt(below: options.count)])
    }

    // MARK: - Helpers

    static func pick<T>(_ list: [T], _ r: inout RandomGenerator) -> T { list[r.nextInt(below: list.count)] }

    static func capitalised(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }
}
