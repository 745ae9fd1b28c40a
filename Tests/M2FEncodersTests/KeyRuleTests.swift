import M2FEncoders
import M2FEngine
import Testing

@Suite("MiniLM checkpoint key rules")
struct KeyRuleTests {
    /// The HuggingFace BertModel keys of a `layers`-deep checkpoint, buffers and pooler included.
    static func huggingFaceKeys(layers: Int) -> [String] {
        var keys = ["embeddings.position_ids", "embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight",
                    "embeddings.token_type_embeddings.weight", "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias",
                    "pooler.dense.weight", "pooler.dense.bias"]
        for n in 0..<layers {
            for part in ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
                         "attention.output.LayerNorm", "intermediate.dense", "output.dense", "output.LayerNorm"] {
                keys += ["encoder.layer.\(n).\(part).weight", "encoder.layer.\(n).\(part).bias"]
            }
        }
        return keys
    }

    @Test("each HuggingFace key maps to its BertEncoder key")
    func individualRules() {
        let expectations: [(String, String?)] = [
            ("embeddings.position_ids", nil),
            ("pooler.dense.weight", nil),
            ("embeddings.LayerNorm.weight", "embeddings.norm.weight"),
            ("embeddings.LayerNorm.gamma", "embeddings.norm.weight"),
            ("bert.embeddings.word_embeddings.weight", "embeddings.word_embeddings.weight"),
            ("encoder.layer.3.attention.self.query.weight", "layers.3.attention.q_proj.weight"),
            ("encoder.layer.3.attention.self.key.bias", "layers.3.attention.k_proj.bias"),
            ("encoder.layer.3.attention.self.value.weight", "layers.3.attention.v_proj.weight"),
            ("encoder.layer.3.attention.output.dense.weight", "layers.3.attention.out_proj.weight"),
            ("encoder.layer.3.attention.output.LayerNorm.beta", "layers.3.attention_norm.bias"),
            ("encoder.layer.3.intermediate.dense.weight", "layers.3.intermediate.weight"),
            ("encoder.layer.3.output.dense.bias", "layers.3.output.bias"),
            ("encoder.layer.3.output.LayerNorm.weight", "layers.3.output_norm.weight"),
        ]
        for (original, expected) in expectations {
            #expect(MiniLMModel.convertedKey(original) == expected, "\(original)")
        }
    }

    @Test("converted HuggingFace keys are exactly the model's parameter keys")
    func keysCoverModel() {
        var configuration = BertConfiguration()
        configuration.numLayers = 2
        configuration.vocabularySize = 10
        configuration.width = 8
        configuration.numHeads = 2
        configuration.intermediateSize = 16
        configuration.maxPositions = 6
        let model = BertEncoder(configuration)
        let converted = Set(Self.huggingFaceKeys(layers: 2).compactMap(MiniLMModel.convertedKey))
        #expect(converted == Set(model.namedParameters().map(\.key)))
        #expect(converted.count == Self.huggingFaceKeys(layers: 2).count - 3)
    }
}
