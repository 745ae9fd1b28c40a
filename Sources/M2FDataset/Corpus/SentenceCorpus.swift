import Foundation
import M2FFace

/// The M2F-D sentence corpus: clean fortune sentences followed by grammar sentences, duplicates (by
/// normalised text) removed, in a fixed order.
///
/// The grammar alone yields `grammarCount` (default 6 000) sentences, so the corpus never falls below
/// 5 000 whatever the fortune files hold; `fingerprint` names the exact corpus (a hash of every id in order)
/// for manifests. Splits: `CorpusSentence.split` holds out 5 % of sentences for val and 5 % for test.
public struct SentenceCorpus: Sendable {
    /// How the fortune files are used.
    public enum FortuneUse: Sendable {
        /// Read them; a missing file is an error naming fortunes-min.
        case required(directory: String)
        /// Grammar sentences only.
        case none
    }

    public var sentences: [CorpusSentence]

    public init(sentences: [CorpusSentence]) { self.sentences = sentences }

    /// Builds the corpus. Default: fortunes from `/usr/share/games/fortunes` plus 6 000 grammar sentences.
    public static func build(
        fortunes: FortuneUse = .required(directory: FortuneSentences.defaultDirectory),
        grammarCount: Int = 6_000, seed: UInt64 = SentenceGrammar.standardSeed
    ) throws(SpeechError) -> SentenceCorpus {
        var seen = Set<String>()
        var sentences: [CorpusSentence] = []
        if case let .required(directory) = fortunes {
            for text in try FortuneSentences.load(directory: directory) {
                let sentence = CorpusSentence(text: text, source: .fortune)
                if seen.insert(sentence.id).inserted { sentences.append(sentence) }
            }
        }
        for (text, emotion) in SentenceGrammar.generate(count: grammarCount, seed: seed) {
            let sentence = CorpusSentence(text: text, source: .grammar, emotionHint: emotion)
            if seen.insert(sentence.id).inserted { sentences.append(sentence) }
        }
        return SentenceCorpus(sentences: sentences)
    }

    /// The sentences of `split`.
    public func sentences(in split: CorpusSplit) -> [CorpusSentence] { sentences.filter { $0.split == split } }

    /// The sentences the grammar wrote for `emotion`.
    public func sentences(for emotion: Emotion) -> [CorpusSentence] { sentences.filter { $0.emotionHint == emotion } }

    /// `c` + 16 hex digits: FNV-1a 64 over all ids in order.
    public var fingerprint: String {
        let hash = CorpusSentence.fnv1a(sentences.map(\.id).joined(separator: ","))
        let hex = String(hash, radix: 16)
        return "c" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Counts by source, split and emotion hint, one `key count` pair per line (for stats and reports).
    public var summary: String {
        var lines = ["sentences \(sentences.count)", "fingerprint \(fingerprint)"]
        for source in [CorpusSentence.Source.fortune, .grammar] {
            lines.append("source.\(source.rawValue) \(sentences.filter { $0.source == source }.count)")
        }
        for split in CorpusSplit.allCases { lines.append("split.\(split.rawValue) \(sentences(in: split).count)") }
        for emotion in Emotion.allCases { lines.append("emotion.\(emotion.rawValue) \(sentences(for: emotion).count)") }
        let words = sentences.map { $0.text.split(separator: " ").count }
        lines.append("words.mean " + String(format: "%.1f", Double(words.reduce(0, +)) / Double(max(words.count, 1))))
        return lines.joined(separator: "\n")
    }
}
