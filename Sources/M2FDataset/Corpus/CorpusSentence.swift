import M2FFace

/// One sentence of the M2F-D corpus with its stable id, where it came from and its split.
public struct CorpusSentence: Codable, Sendable, Hashable {
    /// Where a sentence came from.
    public enum Source: String, Codable, Sendable {
        /// Debian's fortune files (package fortunes-min).
        case fortune
        /// The seeded grammar of `SentenceGrammar`.
        case grammar
    }

    /// `s` + 16 hex digits: FNV-1a 64 of the normalised text (lower-case letters and single spaces), so the
    /// id survives re-ordering, re-generation and punctuation changes.
    public var id: String
    public var text: String
    public var source: Source
    /// The emotion the words suggest, when the grammar wrote them for one (nil: any emotion fits).
    public var emotionHint: Emotion?

    public init(text: String, source: Source, emotionHint: Emotion? = nil) {
        self.text = text
        self.source = source
        self.emotionHint = emotionHint
        id = Self.id(for: text)
    }

    /// The held-out split of this sentence: 5 % val and 5 % test, chosen by a hash of the id so it never
    /// changes when the corpus grows or is re-ordered.
    public var split: CorpusSplit { Self.split(forID: id) }

    public static func split(forID id: String) -> CorpusSplit {
        var z = fnv1a(id) &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        let bucket = z % 100
        return bucket < 5 ? .val : bucket < 10 ? .test : .train
    }

    /// Lower-case letters and apostrophes, words separated by one space.
    public static func normalised(_ text: String) -> String {
        text.lowercased().split { !($0.isLetter || $0 == "'") }.joined(separator: " ")
    }

    public static func id(for text: String) -> String {
        let hash = fnv1a(normalised(text))
        let hex = String(hash, radix: 16)
        return "s" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// 64-bit FNV-1a over the UTF-8 bytes.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
