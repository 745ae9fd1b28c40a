import Foundation
import M2FCheckedInput
import M2FEngine
import M2FNeural

/// BERT embeddings: word + position + token type (always type 0 here), then LayerNorm.
///
/// Keys under `embeddings.`: `word_embeddings.weight` [V, C], `position_embeddings.weight` [P, C],
/// `token_type_embeddings.weight` [2, C], `norm.{weight,bias}` [C] (HuggingFace `LayerNorm`).
public final class BertEmbeddings: Module {
    /// `embeddings.word_embeddings.weight` [V, C]
    public let wordEmbeddings: Embedding
    /// `embeddings.position_embeddings.weight` [P, C]
    public let positionEmbeddings: Embedding
    /// `embeddings.token_type_embeddings.weight` [2, C]
    public let tokenTypeEmbeddings: Embedding
    /// `embeddings.norm.{weight,bias}`
    public let norm: LayerNorm
    public var isTraining = false

    init(_ configuration: BertConfiguration, generator: inout RandomGenerator) {
        wordEmbeddings = Embedding(count: configuration.vocabularySize, dimensions: configuration.width, generator: &generator)
        positionEmbeddings = Embedding(count: configuration.maxPositions, dimensions: configuration.width, generator: &generator)
        tokenTypeEmbeddings = Embedding(count: configuration.typeVocabularySize, dimensions: configuration.width, generator: &generator)
        norm = LayerNorm(size: configuration.width, epsilon: configuration.layerNormEpsilon)
    }

    public var children: [(key: String, module: any Module)] {
        [("word_embeddings", wordEmbeddings), ("position_embeddings", positionEmbeddings),
         ("token_type_embeddings", tokenTypeEmbeddings), ("norm", norm)]
    }

    /// ids laid out [B, T] → [B, T, C].
    public func callAsFunction(_ ids: [Int], batchSize b: Int, length t: Int) -> Tensor {
        let words = wordEmbeddings(ids, shape: [b, t])                               // [B, T, C]
        let positions = positionEmbeddings(Array(0..<t), shape: [t])                  // [T, C]
        let tokenType = tokenTypeEmbeddings.weight.value.sliced(axis: 0, 0..<1)       // [1, C]
        return norm(words + (positions + tokenType))
    }
}

/// One post-norm BERT layer: x = norm(x + attention(x)); x = norm(x + output(GELU(intermediate(x)))).
///
/// Keys under `layers.N.`: `attention.{q,k,v,out}_proj.{weight,bias}`, `attention_norm.*`,
/// `intermediate.{weight [4C, C], bias}`, `output.{weight [C, 4C], bias}`, `output_norm.*`.
public final class BertLayer: Module {
    /// `layers.N.attention.{q,k,v,out}_proj.*` (HF `attention.self.{query,key,value}`, `attention.output.dense`)
    public let attention: MultiHeadAttention
    /// `layers.N.attention_norm.*` (HF `attention.output.LayerNorm`)
    public let attentionNorm: LayerNorm
    /// `layers.N.intermediate.*` (HF `intermediate.dense`)
    public let intermediate: Linear
    /// `layers.N.output.*` (HF `output.dense`)
    public let output: Linear
    /// `layers.N.output_norm.*` (HF `output.LayerNorm`)
    public let outputNorm: LayerNorm
    public var isTraining = false

    init(_ configuration: BertConfiguration, generator: inout RandomGenerator) {
        attention = MultiHeadAttention(MultiHeadAttentionConfiguration(width: configuration.width, numHeads: configuration.numHeads),
                                       generator: &generator)
        attentionNorm = LayerNorm(size: configuration.width, epsilon: configuration.layerNormEpsilon)
        intermediate = Linear(inputSize: configuration.width, outputSize: configuration.intermediateSize, generator: &generator)
        output = Linear(inputSize: configuration.intermediateSize, outputSize: configuration.width, generator: &generator)
        outputNorm = LayerNorm(size: configuration.width, epsilon: configuration.layerNormEpsilon)
    }

    public var children: [(key: String, module: any Module)] {
        [("attention", attention), ("attention_norm", attentionNorm), ("intermediate", intermediate),
         ("output", output), ("output_norm", outputNorm)]
    }

    /// x [B, T, C] → [B, T, C]; `mask` carries the key padding [B, T].
    public func callAsFunction(_ x: Tensor, mask: AttentionMask) -> Tensor {
        let attended = attentionNorm(x + attention(x, mask: mask))
        return outputNorm(attended + output(intermediate.gelu(attended)))
    }
}

/// The BERT encoder (HuggingFace `BertModel` without its pooler): embeddings and post-norm layers.
///
/// Keys: `embeddings.*` and `layers.N.*` (see `BertEmbeddings`, `BertLayer`). HuggingFace checkpoints
/// are renamed by `MiniLMModel.keyRules` when `m2f models fetch` installs them.
public final class BertEncoder: Module {
    public let configuration: BertConfiguration
    /// `embeddings.*`
    public let embeddings: BertEmbeddings
    /// `layers.N.*`
    public let layers: [BertLayer]
    public var isTraining = false

    /// Randomly initialised (load weights with `loadParameters`).
    public init(_ configuration: BertConfiguration, seed: UInt64 = 0) {
        self.configuration = configuration
        var generator = RandomGenerator(seed: seed)
        embeddings = BertEmbeddings(configuration, generator: &generator)
        layers = (0..<configuration.numLayers).map { _ in BertLayer(configuration, generator: &generator) }
    }

    public var children: [(key: String, module: any Module)] {
        [("embeddings", embeddings as any Module)] + layers.enumerated().map { ("layers.\($0.offset)", $0.element as any Module) }
    }

    /// The six weight matrices of every layer (q, k, v, out, intermediate, output), the 99% of the
    /// parameters that the products stream; embeddings, biases and norms stay Float32.
    public var layerLinears: [Linear] {
        layers.flatMap { [$0.attention.queryProjection, $0.attention.keyProjection, $0.attention.valueProjection,
                          $0.attention.outputProjection, $0.intermediate, $0.output] }
    }

    /// The 16-bit copies after `storeLayerWeights(as: .float16)`: per layer q·k·v stacked, out,
    /// intermediate, output (empty for Float32).
    public var halfWeights: [HalfLinearWeight] {
        layers.flatMap { layer in
            [layer.attention.stackedInputProjection?.weight, layer.attention.outputProjection.halfWeight,
             layer.intermediate.halfWeight, layer.output.halfWeight].compactMap { $0 }
        }
    }

    /// Stores the layer weight matrices as `precision` (after loading; `.float16` rounds them once, in
    /// place, and stacks each layer's q, k, v into one product). The 16-bit copies are snapshots taken
    /// once: a layer that already has them is skipped, so weights changed later are not re-copied.
    public func storeLayerWeights(as precision: BertWeightPrecision) {
        guard precision == .float16 else { return }
        for layer in layers where layer.attention.stackedInputProjection == nil {
            layer.attention.storeWeightsInHalfPrecision()
            layer.intermediate.storeWeightInHalfPrecision()
            layer.output.storeWeightInHalfPrecision()
        }
    }

    /// Token ids [B, T] (row-major) with key mask [B, T] (1 real, 0 padding; nil: no padding) → hidden states [B, T, C].
    public func callAsFunction(ids: [Int], mask: [Float]?, batchSize b: Int, length t: Int) -> Tensor {
        precondition(ids.count == b * t, "\(ids.count) ids for [\(b), \(t)]")
        precondition(t <= configuration.maxPositions, "sequence of \(t) tokens exceeds \(configuration.maxPositions) positions")
        var attentionMask = AttentionMask.none
        if let mask, mask.contains(0) {
            attentionMask.keyPadding = Tensor(mask.map { 1 - $0 }, shape: [b, t])
        }
        var h = embeddings(ids, batchSize: b, length: t)
        for layer in layers { h = layer(h, mask: attentionMask) }
        return h
    }
}

/// How a `BertEncoder` holds its layer weight matrices for inference (a load option).
public enum BertWeightPrecision: String, Codable, Sendable, CaseIterable {
    /// Float32, as in the checkpoint (42 MB for MiniLM-L6: more than a 32 MB L3, so every prompt streams
    /// them from memory).
    case float32
    /// IEEE binary16, rounded once at load (21 MB, cache resident), multiplied by the fused 16-bit kernel
    /// for prompts of up to `HalfLinearWeight.maximumKernelRows` tokens and by BLAS on the same rounded
    /// values for larger batches.
    case float16
}

/// Architecture of a BERT encoder; decodes HuggingFace `config.json` (snake-case keys).
public struct BertConfiguration: Codable, Sendable, Equatable {
    /// V. Default 30522 (BERT uncased).
    public var vocabularySize: Int = 30522
    /// C. Default 384 (MiniLM-L6).
    public var width: Int = 384
    /// Number of layers. Default 6.
    public var numLayers: Int = 6
    /// Attention heads H. Default 12.
    public var numHeads: Int = 12
    /// Feed-forward width. Default 1536.
    public var intermediateSize: Int = 1536
    /// Position table size P. Default 512.
    public var maxPositions: Int = 512
    /// Token type table size. Default 2.
    public var typeVocabularySize: Int = 2
    /// LayerNorm epsilon. Default 1e-12.
    public var layerNormEpsilon: Float = 1e-12

    public init() {}

    enum CodingKeys: String, CodingKey {
        case vocabularySize = "vocab_size", width = "hidden_size", numLayers = "num_hidden_layers"
        case numHeads = "num_attention_heads", intermediateSize = "intermediate_size"
        case maxPositions = "max_position_embeddings", typeVocabularySize = "type_vocab_size", layerNormEpsilon = "layer_norm_eps"
    }
}

extension BertConfiguration {
    /// Decodes a HuggingFace `config.json` and checks every field (`rangeProblem`); `file` names it in errors.
    /// - Throws: `EncoderError.unreadable` naming the file, the bad fields and how to reinstall.
    public static func decode(_ data: Data, file: String, model: String = MiniLMModel.name) throws -> BertConfiguration {
        let configuration: BertConfiguration
        do {
            configuration = try JSONDecoder().decode(BertConfiguration.self, from: data)
        } catch {
            throw EncoderError.unreadable(path: file, reason: "not a BERT config.json (\(error)); reinstall with `m2f models fetch --only \(model) --force`")
        }
        if let problem = configuration.rangeProblem {
            throw EncoderError.unreadable(path: file, reason: "\(problem); reinstall with `m2f models fetch --only \(model) --force`")
        }
        return configuration
    }

    /// Every field out of its range and every broken relation (numHeads 0 divides by zero, a width
    /// that numHeads does not divide gives SGEMM illegal arguments). Nil when the encoder can be built.
    public var rangeProblem: String? {
        var check = FieldRanges()
        check.require("vocab_size", vocabularySize, in: 1...1_000_000)
        check.require("hidden_size", width, in: 1...4096)
        check.require("num_hidden_layers", numLayers, in: 1...64)
        check.require("num_attention_heads", numHeads, in: 1...64)
        check.require("intermediate_size", intermediateSize, in: 1...16_384)
        check.require("max_position_embeddings", maxPositions, in: 2...8192)
        check.require("type_vocab_size", typeVocabularySize, in: 1...16)
        check.require("layer_norm_eps", layerNormEpsilon, in: 1e-30...0.1)
        if check.isValid {
            check.require(width % numHeads == 0, "hidden_size \(width) must be a multiple of num_attention_heads \(numHeads)")
        }
        return check.problem
    }

    /// A lower bound on the encoder's parameters (embedding tables and layer matrices), checked against
    /// the weights file before anything is allocated.
    public var minimumParameterCount: Int {
        (vocabularySize + maxPositions) * width + numLayers * (4 * width * width + 2 * width * intermediateSize)
    }
}
