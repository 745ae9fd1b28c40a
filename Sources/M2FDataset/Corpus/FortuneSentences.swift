import Foundation

/// Clean sentences from Debian's fortune files (`/usr/share/games/fortunes`, package fortunes-min).
///
/// Each `%`-separated entry is joined into one line (attribution lines starting with `--` dropped), split
/// after `.`, `!` or `?` (not after Mr/Mrs/Dr/St/vs abbreviations), and kept when `isClean`.
public enum FortuneSentences {
    public static let defaultDirectory = "/usr/share/games/fortunes"
    /// The fortunes-min files, in the order they are read.
    public static let files = ["fortunes", "literature", "riddles"]

    /// The clean sentences of all `files` in `directory`, in file order, duplicates kept (the corpus
    /// removes them). Throws `corpusSourceMissing` naming fortunes-min when a file is missing.
    public static func load(directory: String = defaultDirectory) throws(SpeechError) -> [String] {
        var sentences: [String] = []
        for name in files {
            let path = directory + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .corpusSourceMissing(path: path, aptPackage: "fortunes-min")
            }
            sentences += extract(String(decoding: data, as: UTF8.self))
        }
        return sentences
    }

    /// Clean sentences of one fortune file's text.
    public static func extract(_ text: String) -> [String] {
        var result: [String] = []
        for entry in text.components(separatedBy: "\n%\n") {
            let lines = entry.split(separator: "\n").filter {
                !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") && $0 != "%"
            }
            let joined = lines.joined(separator: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
            result += splitSentences(joined).filter(isClean)
        }
        return result
    }

    private static let abbreviations: Set<String> = ["mr", "mrs", "ms", "dr", "st", "vs", "jr", "sr", "mt", "prof"]

    /// Splits after sentence-ending punctuation followed by a space (abbreviations do not end a sentence).
    static func splitSentences(_ text: String) -> [String] {
        var sentences: [String] = []
        var current = ""
        let characters = Array(text)
        for (index, character) in characters.enumerated() {
            current.append(character)
            guard ".!?".contains(character) else { continue }
            let next = index + 1 < characters.count ? characters[index + 1] : " "
            guard next == " " else { continue }
            let lastWord = current.split(separator: " ").last.map { $0.lowercased().filter(\.isLetter) } ?? ""
            if character == ".", abbreviations.contains(lastWord) { continue }
            sentences.append(current.trimmingCharacters(in: .whitespaces))
            current = ""
        }
        let rest = current.trimmingCharacters(in: .whitespaces)
        if !rest.isEmpty { sentences.append(rest) }
        return sentences
    }

    /// 3…25 words; letters, spaces, apostrophes and `, . ! ? ; -` only; starts with a capital and ends
    /// with `.`, `!` or `?`; no repeated end marks and no shouted (all-capital) words but `I` and `A`.
    public static func isClean(_ sentence: String) -> Bool {
        let words = sentence.split(separator: " ")
        guard (3...25).contains(words.count), let first = sentence.first, first.isUppercase,
              let last = sentence.last, ".!?".contains(last) else { return false }
        let allowed = Set(",.!?;-' ")
        for character in sentence where !(character.isASCII && character.isLetter) && !allowed.contains(character) {
            return false
        }
        if sentence.contains("..") || sentence.contains("!!") || sentence.contains("??") || sentence.contains("--") {
            return false
        }
        for word in words {
            let letters = word.filter(\.isLetter)
            if letters.count >= 2, letters == letters.uppercased() { return false }
            if word.hasPrefix("-") || word.hasPrefix("'") { return false }
        }
        return true
    }
}
