import Foundation
import M2FEncoders
import M2FTestSupport
import Testing

/// The MiniLM layer weights in 16 bits (the default) against Float32 and sentence-transformers.
@Suite("MiniLM weight precision (real weights)")
struct WeightPrecisionTests {
    @Test("float16 and float32 weights both give cosine ≥ 0.9999 to sentence-transformers; the 16-bit copy is half the bytes")
    func bothPrecisionsMatchTheReference() throws {
        let directory = try RealModel.directory()
        let fixture = try Fixture("embedding_golden", group: "text")
        let texts = try #require(fixture.config["texts"] as? [String])
        let expected = try fixture.tensor("embeddings").toArray()
        var minimum: [BertWeightPrecision: Float] = [:]
        for precision in BertWeightPrecision.allCases {
            let encoder = try SentenceEncoder(directory: directory, options: SentenceEncoderLoadOptions(weightPrecision: precision))
            let halfWeights = encoder.model.halfWeights
            #expect(halfWeights.count == (precision == .float16 ? 24 : 0))  // per layer: q·k·v stacked, out, intermediate, output
            if precision == .float16 {
                let floatBytes = encoder.model.layerLinears.reduce(0) { $0 + 4 * $1.weight.count }
                #expect(halfWeights.reduce(0) { $0 + $1.packedBytes } * 2 == floatBytes)
            }
            let dimensions = encoder.dimensions
            // One at a time (the 16-bit kernel) and batched (BLAS on the rounded weights past 256 rows).
            let batched = encoder.embed(texts)
            for (i, text) in texts.enumerated() {
                let reference = Array(expected[(i * dimensions)..<((i + 1) * dimensions)])
                for vector in [encoder.embed(text), batched[i]] {
                    let cosine = SentenceEncoder.cosine(vector, reference)
                    minimum[precision] = Swift.min(minimum[precision] ?? 1, cosine)
                    #expect(cosine >= 0.9999, "\(precision) \(text.debugDescription.prefix(60)): cosine \(cosine)")
                }
            }
        }
        print("MiniLM minimum cosine to sentence-transformers over \(texts.count) texts:",
              minimum.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", "))
    }
}
