import Foundation
import M2FEncoders
import Media2Face
import Testing

/// The style vocabulary's embeddings on disk: written once, read back bit for bit, never taken from a
/// file made for other anchors or another encoder, and recomputed when the file is damaged.
@Suite struct VocabularyCacheTests {
    /// A deterministic encoder that counts the texts it embeds (the cache is under test, not MiniLM).
    final class CountingEncoder: TextEncoding, @unchecked Sendable {
        var embedded = 0
        var dimensions: Int { 8 }
        func embed(_ texts: [String]) -> [[Float]] {
            embedded += texts.count
            return texts.map { text in (0..<8).map { Float(text.unicodeScalars.reduce(0) { $0 + Int($1.value) } % (17 + $0)) / 17 } }
        }
    }

    @Test func writesOnceReadsBackAndRefusesStaleOrDamagedFiles() throws {
        let folder = PipelineFixtures.folder("vocabulary-cache")
        let anchors = Array(StyleVocabulary.anchors.prefix(12))
        let encoder = CountingEncoder()
        let cache = VocabularyEmbeddingCache(directory: folder, encoderIdentity: "encoder-a")
        let first = cache.embeddings(of: anchors, encoder: encoder)
        #expect(encoder.embedded == 12 && first.count == 12 * 8)
        #expect(cache.embeddings(of: anchors, encoder: encoder) == first)
        #expect(encoder.embedded == 12, "the second read comes from the file")

        let other = VocabularyEmbeddingCache(directory: folder, encoderIdentity: "encoder-b")
        #expect(other.file(for: anchors) != cache.file(for: anchors))
        #expect(cache.file(for: Array(anchors.dropLast())) != cache.file(for: anchors))

        try Data(repeating: 0, count: 10).write(to: cache.file(for: anchors))
        #expect(cache.embeddings(of: anchors, encoder: encoder) == first)
        #expect(encoder.embedded == 24, "a truncated file is recomputed")
    }
}
