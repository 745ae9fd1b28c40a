import Foundation
import M2FEncoders
import M2FTestSupport
import Testing

@Suite("WordPiece tokenizer")
struct WordPieceTokenizerTests {
    /// A toy vocabulary: ids follow the order of the list.
    static func toy(maxLength: Int = 256) throws -> WordPieceTokenizer {
        let tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "un", "##aff", "##able", "happy", "##ness", "!", ",",
                      "cafe", "你", "好", "a", "##a"]
        var vocabulary: [String: Int] = [:]
        for (id, token) in tokens.enumerated() { vocabulary[token] = id }
        return try WordPieceTokenizer(vocabulary: vocabulary, specialTokens: [("[MASK]", 4), ("[CLS]", 2)],
                                      maxInputCharsPerWord: 10, maxLength: maxLength)
    }

    @Test("greedy longest-match-first pieces, [UNK] for an uncoverable word, punctuation split")
    func pieces() throws {
        let tokenizer = try Self.toy()
        #expect(tokenizer.encode("unaffable").tokens == ["[CLS]", "un", "##aff", "##able", "[SEP]"])
        #expect(tokenizer.encode("Happiness").tokens == ["[CLS]", "[UNK]", "[SEP]"])
        #expect(tokenizer.encode("HAPPYness, happy!").tokens == ["[CLS]", "happy", "##ness", ",", "happy", "!", "[SEP]"])
    }

    @Test("accents stripped, CJK spaced, control characters dropped, special tokens matched verbatim")
    func normalisation() throws {
        let tokenizer = try Self.toy()
        #expect(tokenizer.encode("Café\u{0007}").tokens == ["[CLS]", "cafe", "[SEP]"])
        #expect(tokenizer.encode("你好").tokens == ["[CLS]", "你", "好", "[SEP]"])
        #expect(tokenizer.encode("a [MASK] a").ids == [2, 15, 4, 15, 3])
        #expect(tokenizer.encode("a [mask]").tokens.contains("[MASK]") == false)
    }

    @Test("words longer than maxInputCharsPerWord become [UNK]")
    func longWord() throws {
        let tokenizer = try Self.toy()
        #expect(tokenizer.encode("aaaaaaaaaa").tokens == ["[CLS]", "a"] + Array(repeating: "##a", count: 9) + ["[SEP]"])
        #expect(tokenizer.encode("aaaaaaaaaaa").tokens == ["[CLS]", "[UNK]", "[SEP]"])
    }

    @Test("truncation keeps [CLS] and [SEP]; batches are padded with mask 0")
    func truncationAndBatch() throws {
        let tokenizer = try Self.toy(maxLength: 5)
        #expect(tokenizer.encode("a a a a a a").ids == [2, 15, 15, 15, 3])
        let batch = tokenizer.encodeBatch(["a", "a a a"])
        #expect(batch.ids == [2, 15, 3, 0, 0, 2, 15, 15, 15, 3])
        #expect(batch.mask == [1, 1, 1, 0, 0, 1, 1, 1, 1, 1])
        #expect(batch.lengths == [3, 5])
    }

    @Test("empty and whitespace-only text encode as [CLS] [SEP]")
    func emptyText() throws {
        let tokenizer = try Self.toy()
        #expect(tokenizer.encode("").ids == [2, 3])
        #expect(tokenizer.encode(" \t\n\u{00A0} ").ids == [2, 3])
    }

    @Test("a malformed tokenizer.json names the file")
    func malformedFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-bad-tokenizer-\(UUID().uuidString).json").path
        try Data(#"{"model": {"type": "BPE"}}"#.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: EncoderError.malformedTokenizer(path: path, problem: "model.type is not WordPiece with a vocab")) {
            try WordPieceTokenizer(contentsOf: path)
        }
    }

    @Test("ids equal HuggingFace tokenizers' for the golden strings")
    func golden() throws {
        let url = Fixture.directory.appendingPathComponent("text/tokenizer_golden.json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let cases = try #require(json["cases"] as? [[String: Any]])
        #expect(cases.count >= 100)
        let tokenizer = try WordPieceTokenizer(
            contentsOf: try RealModel.directory().appendingPathComponent(MiniLMModel.File.tokenizer).path,
            maxLength: json["max_length"] as? Int ?? 256)
        var mismatches = 0
        for item in cases {
            let text = try #require(item["text"] as? String)
            let expected = try #require(item["ids"] as? [Int])
            let actual = tokenizer.encode(text)
            if actual.ids != expected {
                mismatches += 1
                Issue.record("\(text.debugDescription.prefix(80)): got \(actual.tokens.prefix(20)), expected \((item["tokens"] as? [String] ?? []).prefix(20))")
            }
        }
        #expect(mismatches == 0)
    }
}
