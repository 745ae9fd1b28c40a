import M2FEngine

/// Converts the encoder half of a CTranslate2 Whisper model into `WhisperEncoder` keys.
public enum WhisperCheckpoint {
    /// One rename: CTranslate2 variable → our key. `{N}` stands for the layer index.
    struct Rule {
        let source: String
        let target: String
    }

    /// The rule list (one place for every rename; the fused q/k/v projection is split separately).
    static let rules: [Rule] = [
        Rule(source: "encoder/conv1/weight", target: "conv1.weight"),
        Rule(source: "encoder/conv1/bias", target: "conv1.bias"),
        Rule(source: "encoder/conv2/weight", target: "conv2.weight"),
        Rule(source: "encoder/conv2/bias", target: "conv2.bias"),
        Rule(source: "encoder/position_encodings/encodings", target: "positions"),
        Rule(source: "encoder/layer_norm/gamma", target: "encoder.norm.weight"),
        Rule(source: "encoder/layer_norm/beta", target: "encoder.norm.bias"),
        Rule(source: "encoder/layer_{N}/self_attention/layer_norm/gamma", target: "encoder.layers.{N}.norm1.weight"),
        Rule(source: "encoder/layer_{N}/self_attention/layer_norm/beta", target: "encoder.layers.{N}.norm1.bias"),
        Rule(source: "encoder/layer_{N}/self_attention/linear_1/weight", target: "encoder.layers.{N}.self_attn.out_proj.weight"),
        Rule(source: "encoder/layer_{N}/self_attention/linear_1/bias", target: "encoder.layers.{N}.self_attn.out_proj.bias"),
        Rule(source: "encoder/layer_{N}/ffn/layer_norm/gamma", target: "encoder.layers.{N}.norm2.weight"),
        Rule(source: "encoder/layer_{N}/ffn/layer_norm/beta", target: "encoder.layers.{N}.norm2.bias"),
        Rule(source: "encoder/layer_{N}/ffn/linear_0/weight", target: "encoder.layers.{N}.mlp.fc1.weight"),
        Rule(source: "encoder/layer_{N}/ffn/linear_0/bias", target: "encoder.layers.{N}.mlp.fc1.bias"),
        Rule(source: "encoder/layer_{N}/ffn/linear_1/weight", target: "encoder.layers.{N}.mlp.fc2.weight"),
        Rule(source: "encoder/layer_{N}/ffn/linear_1/bias", target: "encoder.layers.{N}.mlp.fc2.bias"),
    ]

    /// Our key for a CTranslate2 name, or nil when no rule applies (pure; tested on its own).
    public static func targetKey(for source: String) -> String? {
        for rule in rules {
            let parts = rule.source.components(separatedBy: "{N}")
            if parts.count == 1 {
                if source == rule.source { return rule.target }
                continue
            }
            guard source.hasPrefix(parts[0]), source.hasSuffix(parts[1]),
                  source.count > parts[0].count + parts[1].count else { continue }
            let index = source.dropFirst(parts[0].count).dropLast(parts[1].count)
            guard !index.isEmpty, index.allSatisfy(\.isNumber) else { continue }
            return rule.target.replacingOccurrences(of: "{N}", with: String(index))
        }
        return nil
    }

    /// Every encoder tensor of `model` under `WhisperEncoder` keys. The fused q/k/v projection
    /// (`linear_0`, [3C, C]) is split into `q_proj`, `k_proj`, `v_proj`; Whisper's key projection has no
    /// bias, so CTranslate2 stores zeros there and so do we.
    public static func convert(_ model: CTranslate2Model) throws -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for name in model.variables.keys where name.hasPrefix("encoder/") {
            if name == "encoder/num_heads" { continue }
            if name.hasSuffix("/self_attention/linear_0/weight") || name.hasSuffix("/self_attention/linear_0/bias") {
                let layer = name.split(separator: "/")[1].dropFirst("layer_".count)
                let fused = try model.tensor(name)
                let width = fused.shape[0] / 3
                let suffix = name.hasSuffix("weight") ? "weight" : "bias"
                for (index, projection) in ["q_proj", "k_proj", "v_proj"].enumerated() {
                    result["encoder.layers.\(layer).self_attn.\(projection).\(suffix)"] =
                        fused.sliced(axis: 0, (index * width)..<((index + 1) * width)).contiguous()
                }
                continue
            }
            guard let key = targetKey(for: name) else {
                throw EncoderError.conversion(path: model.path, problem: "no conversion rule for variable '\(name)'")
            }
            result[key] = try model.tensor(name)
        }
        return result
    }
}
