import M2FEngine

/// Pre-norm transformer decoder block:
/// x += self_attn(norm1(x)); x += cross_attn(norm2(x), memory); x += mlp(norm3(x)).
///
/// Keys under the block's prefix (e.g. `layers.0.`): `norm1`, `self_attn`, `norm2`, `cross_attn`,
/// `norm3`, `mlp.fc1`, `mlp.fc2` (each with `.weight` and `.bias`; attention ones as `{q,k,v,out}_proj.*`).
public final class TransformerDecoderBlock: Module {
    public let configuration: TransformerBlockConfiguration
    /// `<prefix>.norm1.{weight,bias}`
    public let norm1: LayerNorm
    /// `<prefix>.self_attn.{q,k,v,out}_proj.{weight,bias}`
    public let selfAttention: MultiHeadAttention
    /// `<prefix>.norm2.{weight,bias}`
    public let norm2: LayerNorm
    /// `<prefix>.cross_attn.{q,k,v,out}_proj.{weight,bias}`
    public let crossAttention: MultiHeadAttention
    /// `<prefix>.norm3.{weight,bias}`
    public let norm3: LayerNorm
    /// `<prefix>.mlp.fc1.*`, `<prefix>.mlp.fc2.*`
    public let mlp: MLP
    /// On all three residual branches; no parameters.
    public let dropout: Dropout
    public var isTraining = false

    public init(_ configuration: TransformerBlockConfiguration, generator: inout RandomGenerator) {
        self.configuration = configuration
        norm1 = LayerNorm(configuration.norm)
        selfAttention = MultiHeadAttention(configuration.attention, generator: &generator)
        norm2 = LayerNorm(configuration.norm)
        crossAttention = MultiHeadAttention(configuration.attention, generator: &generator)
        norm3 = LayerNorm(configuration.norm)
        mlp = MLP(configuration.mlp, generator: &generator)
        dropout = Dropout(probability: configuration.dropout, seed: generator.nextUInt64())
    }

    public var children: [(key: String, module: any Module)] {
        [("norm1", norm1), ("self_attn", selfAttention), ("norm2", norm2), ("cross_attn", crossAttention),
         ("norm3", norm3), ("mlp", mlp), ("dropout", dropout)]
    }

    /// x [B, T, C], memory [B, S, C] → [B, T, C].
    /// - Parameters:
    ///   - selfAttentionMask: masks over x's own positions (`configuration.causal` adds causality).
    ///   - memoryMask: masks over memory positions, e.g. key padding [B, S].
    public func callAsFunction(_ x: Tensor, memory: Tensor, selfAttentionMask: AttentionMask = .none,
                               memoryMask: AttentionMask = .none) -> Tensor {
        var selfMask = selfAttentionMask
        selfMask.causal = selfMask.causal || configuration.causal
        var h = x + dropout(selfAttention(norm1(x), mask: selfMask))
        h = h + dropout(crossAttention(norm2(h), memory: memory, mask: memoryMask))
        h = h + dropout(mlp(norm3(h)))
        return h
    }
}

/// A stack of `TransformerDecoderBlock`s attending to one memory, with an optional final LayerNorm.
///
/// Keys: `layers.N.<block keys>` for N in 0..<numLayers, and `norm.{weight,bias}` when `finalNorm`.
public final class TransformerDecoder: Module {
    public let configuration: TransformerStackConfiguration
    /// `layers.N.*`
    public let layers: [TransformerDecoderBlock]
    /// `norm.{weight,bias}`, when `configuration.finalNorm`
    public let norm: LayerNorm?
    public var isTraining = false

    public init(_ configuration: TransformerStackConfiguration, generator: inout RandomGenerator) {
        self.configuration = configuration
        var blocks: [TransformerDecoderBlock] = []
        for _ in 0..<configuration.numLayers { blocks.append(TransformerDecoderBlock(configuration.block, generator: &generator)) }
        layers = blocks
        norm = configuration.finalNorm ? LayerNorm(configuration.block.norm) : nil
    }

    public var children: [(key: String, module: any Module)] {
        layers.enumerated().map { ("layers.\($0.offset)", $0.element as any Module) } + (norm.map { [("norm", $0 as any Module)] } ?? [])
    }

    /// x [B, T, C], memory [B, S, C] → [B, T, C]; the masks are passed to every block.
    public func callAsFunction(_ x: Tensor, memory: Tensor, selfAttentionMask: AttentionMask = .none,
                               memoryMask: AttentionMask = .none) -> Tensor {
        var h = x
        for layer in layers { h = layer(h, memory: memory, selfAttentionMask: selfAttentionMask, memoryMask: memoryMask) }
        return norm.map { $0(h) } ?? h
    }
}
