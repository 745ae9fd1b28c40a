import Foundation
import M2FEncoders
import M2FTestSupport
import Testing

@Suite("MiniLM sentence encoder (real weights)")
struct SentenceEncoderTests {
    @Test("embeddings match sentence-transformers: cosine ≥ 0.9999")
    func golden() throws {
        let encoder = try RealModel.encoder()
        let fixture = try Fixture("embedding_golden", group: "text")
        let texts = try #require(fixture.config["texts"] as? [String])
        let expected = try fixture.tensor("embeddings").toArray()
        let dimensions = encoder.dimensions
        #expect(expected.count == texts.count * dimensions)
        // Batched (padded) and one at a time must both match.
        let batched = encoder.embed(texts)
        for (i, text) in texts.enumerated() {
            let reference = Array(expected[(i * dimensions)..<((i + 1) * dimensions)])
            let single = encoder.embed(text)
            for (label, vector) in [("batched", batched[i]), ("single", single)] {
                let cosine = SentenceEncoder.cosine(vector, reference)
                #expect(cosine >= 0.9999, "\(label) \(text.debugDescription.prefix(60)): cosine \(cosine)")
            }
        }
    }

    @Test("'happy and excited' is closer to 'joyful, smiling' than to 'sad and tired'")
    func sanityOrdering() throws {
        let encoder = try RealModel.encoder()
        let vectors = encoder.embed(["happy and excited", "joyful, smiling", "sad and tired"])
        let near = SentenceEncoder.cosine(vectors[0], vectors[1]), far = SentenceEncoder.cosine(vectors[0], vectors[2])
        #expect(near > far + 0.1, "joyful \(near), sad \(far)")
    }

    @Test("empty and whitespace-only text give the same finite unit vector")
    func emptyAndWhitespace() throws {
        let encoder = try RealModel.encoder()
        let empty = encoder.embed(""), blank = encoder.embed(" \t\n  ")
        let finite = empty.allSatisfy { $0.isFinite }
        #expect(empty.count == 384 && finite)
        #expect(abs(SentenceEncoder.cosine(empty, empty) - 1) < 1e-5)
        // Same tokens ([CLS] [SEP]); compared with a tolerance since BLAS may sum in another order.
        #expect(encoder.tokenizer.encode(" \t\n  ").ids == encoder.tokenizer.encode("").ids)
        let largestDifference = zip(empty, blank).map { abs($0 - $1) }.max() ?? 0
        #expect(largestDifference < 1e-6)
    }

    @Test("100 kB of text is truncated to 256 tokens, the same as its 254-piece prefix")
    func hundredKilobytes() throws {
        let encoder = try RealModel.encoder()
        let sentence = "She laughs, then speaks quickly and brightly about the trip. "
        let text = String(repeating: sentence, count: 100_000 / sentence.utf8.count + 1)
        #expect(text.utf8.count >= 100_000)
        let tokens = encoder.tokenizer.encode(text)
        #expect(tokens.ids.count == 256 && tokens.ids.last == encoder.tokenizer.separatorID)
        let start = Date()
        let long = encoder.embed(text)
        #expect(Date().timeIntervalSince(start) < 2)
        let prefix = String(repeating: sentence, count: 40)
        #expect(encoder.tokenizer.encode(prefix).ids == tokens.ids)
        #expect(SentenceEncoder.cosine(long, encoder.embed(prefix)) > 0.99999)
    }
}
