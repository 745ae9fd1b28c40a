import M2FEngine

/// Pre-norm transformer encoder block: x += self_attn(norm1(x)); x += mlp(norm2(x)).
///
/// Keys under the block's prefix (e.g. `layers.0.`): `norm1.{weight,bias}`,
/// `self_attn.{q,k,v,out}_proj.{weight,bias}`, `norm2.{weight,bias}`, `mlp.fc1.*`, `mlp.fc2.*`.
public final class TransformerEncoderBlock: Module {
    public let configuration: TransformerBlockConfiguration
    /// `<prefix>.norm1.{weight,bias}`
    public let norm1: LayerNorm
    /// `<prefix>.self_attn.{q,k,v,out}_proj.{weight,bias}`
    public let selfAttention: MultiHeadAttention
    /// `<prefix>.norm2.{weight,bias}`
    public let norm2: LayerNorm
    /// `<prefix>.mlp.fc1.*`, `<prefix>.mlp.fc2.*`
    public let mlp: MLP
    /// On both residual branches; no parameters.
    public let dropout: Dropout
    public var isTraining = false

    public init(_ configuration: TransformerBlockConfiguration, generator: inout RandomGenerator) {
        self.configuration = configuration
        norm1 = LayerNorm(configuration.norm)
        selfAttention = MultiHeadAttention(configuration.attention, generator: &generator)
        norm2 = LayerNorm(configuration.norm)
        mlp = MLP(configuration.mlp, generator: &generator)
        dropout = Dropout(probability: configuration.dropout, seed: generator.nextUInt64())
    }

    public var children: [(key: String, module: any Module)] {
        [("norm1", norm1), ("self_attn", selfAttention), ("norm2", norm2), ("mlp", mlp), ("dropout", dropout)]
    }

    /// x [B, T, C] → [B, T, C]. `mask` adds key padding [B, T] or a bias; `configuration.causal` adds causality.
    public func callAsFunction(_ x: Tensor, mask: AttentionMask = .none) -> Tensor {
        var selfMask = mask
        selfMask.causal = selfMask.causal || configuration.causal
        var h = x + dropout(selfAttention(norm1(x), mask: selfMask))
        h = h + dropout(mlp(norm2(h)))
        return h
    }
}

/// A stack of `TransformerEncoderBlock`s with an optional final LayerNorm.
///
/// Keys: `layers.N.<block keys>` for N in 0..<numLayers, and `norm.{weight,bias}` when `finalNorm`.
public final class TransformerEncoder: Module {
    public let configuration: TransformerStackConfiguration
    /// `layers.N.*`
    public let layers: [TransformerEncoderBlock]
    /// `norm.{weight,bias}`, when `configuration.finalNorm`
    public let norm: LayerNorm?
    public var isTraining = false

    public init(_ configuration: TransformerStackConfiguration, generator: inout RandomGenerator) {
        self.configuration = configuration
        var blocks: [TransformerEncoderBlock] = []
        for _ in 0..<configuration.numLayers { blocks.append(TransformerEncoderBlock(configuration.block, generator: &generator)) }
        layers = blocks
        norm = configuration.finalNorm ? LayerNorm(configuration.block.norm) : nil
    }

    public var children: [(key: String, module: any Module)] {
        layers.enumerated().map { ("layers.\($0.offset)", $0.element as any Module) } + (norm.map { [("norm", $0 as any Module)] } ?? [])
    }

    /// x [B, T, C] → [B, T, C]; `mask` is passed to every block.
    public func callAsFunction(_ x: Tensor, mask: AttentionMask = .none) -> Tensor {
        var h = x
        for layer in layers { h = layer(h, mask: mask) }
        return norm.map { $0(h) } ?? h
    }
}
