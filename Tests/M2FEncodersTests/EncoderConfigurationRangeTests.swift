import Foundation
import M2FEncoders
import Testing

/// Issue 19: encoder configurations are checked field by field (numHeads 0 divides by zero; a width
/// that numHeads does not divide made SGEMM reject its arguments and the output wrong with exit 0).
@Suite struct EncoderConfigurationRangeTests {
    static var miniLM: [String: Any] { [
        "vocab_size": 30522, "hidden_size": 384, "num_hidden_layers": 6, "num_attention_heads": 12,
        "intermediate_size": 1536, "max_position_embeddings": 512, "type_vocab_size": 2, "layer_norm_eps": 1e-12,
    ] }

    /// A JSON value written as text (parameterised tests take Sendable arguments).
    static func value(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed) }

    @Test(arguments: [
        ("num_attention_heads", "0", "num_attention_heads is 0"), ("num_attention_heads", "5", "must be a multiple of num_attention_heads 5"),
        ("hidden_size", "-384", "hidden_size is -384"), ("num_hidden_layers", "1000000", "num_hidden_layers is 1000000"),
        ("vocab_size", "0", "vocab_size is 0"), ("intermediate_size", "-1", "intermediate_size is -1"),
        ("max_position_embeddings", "1099511627776", "max_position_embeddings is"), ("layer_norm_eps", "0", "layer_norm_eps is 0.0"),
    ])
    func miniLMFieldOutOfRange(field: String, value: String, message: String) throws {
        var json = Self.miniLM
        json[field] = try Self.value(value)
        let data = try JSONSerialization.data(withJSONObject: json)
        do {
            _ = try BertConfiguration.decode(data, file: "/cache/all-minilm-l6-v2/config.json")
            Issue.record("\(field) = \(value) was accepted")
        } catch {
            let text = error.localizedDescription
            #expect(text.contains("/cache/all-minilm-l6-v2/config.json") && text.contains(message), "\(text)")
            #expect(text.contains("m2f models fetch --only all-minilm-l6-v2"), "\(text)")
        }
    }

    @Test func shippedConfigurationsAreInRange() throws {
        let data = try JSONSerialization.data(withJSONObject: Self.miniLM)
        #expect(try BertConfiguration.decode(data, file: "config.json") == BertConfiguration())
        #expect(WhisperEncoderConfiguration().rangeProblem == nil)
        var whisper = WhisperEncoderConfiguration()
        whisper.numHeads = 5
        #expect(whisper.rangeProblem == "width 384 must be a multiple of numHeads 5")
        whisper.numLayers = 0
        #expect(whisper.rangeProblem == "numLayers is 0; allowed: 1 … 64")
    }
}
