import M2FEncoders
import M2FEngine
import Testing

@Suite("BertEncoder strict loading")
struct StrictLoadingTests {
    static func tinyConfiguration() -> BertConfiguration {
        var configuration = BertConfiguration()
        configuration.numLayers = 1
        configuration.vocabularySize = 12
        configuration.width = 8
        configuration.numHeads = 2
        configuration.intermediateSize = 16
        configuration.maxPositions = 10
        return configuration
    }

    @Test("a complete checkpoint loads; missing, unused and mis-shaped tensors throw with the key")
    func strict() throws {
        let source = BertEncoder(Self.tinyConfiguration(), seed: 1)
        let target = BertEncoder(Self.tinyConfiguration(), seed: 2)
        var tensors = source.parameterTensors()
        try target.loadParameters(tensors, source: "tiny")
        #expect(target.embeddings.wordEmbeddings.weight.value.toArray() == source.embeddings.wordEmbeddings.weight.value.toArray())

        var missing = tensors
        missing["layers.0.output_norm.bias"] = nil
        #expect(throws: EngineError.missingKeys(path: "tiny", keys: ["layers.0.output_norm.bias"])) {
            try target.loadParameters(missing, source: "tiny")
        }
        tensors["pooler.dense.weight"] = .zeros([8, 8])
        #expect(throws: EngineError.unusedKeys(path: "tiny", keys: ["pooler.dense.weight"])) {
            try target.loadParameters(tensors, source: "tiny")
        }
        tensors["pooler.dense.weight"] = nil
        tensors["layers.0.intermediate.weight"] = .zeros([8, 16])
        #expect(throws: EngineError.parameterShapeMismatch(path: "tiny", key: "layers.0.intermediate.weight", expected: [16, 8], actual: [8, 16])) {
            try target.loadParameters(tensors, source: "tiny")
        }
    }

    @Test("the installed checkpoint holds exactly the model's keys")
    func realCheckpointKeys() throws {
        let directory = try RealModel.directory()
        let file = try SafeTensorsFile(path: directory.appendingPathComponent(MiniLMModel.File.weights).path)
        let model = try RealModel.encoder().model
        #expect(Set(file.names) == Set(model.namedParameters().map(\.key)))
        #expect(model.parameterCount == 22_565_376)
    }
}
