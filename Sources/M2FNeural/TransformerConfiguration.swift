import M2FEngine

/// Hyper-parameters of one pre-norm transformer block (`TransformerEncoderBlock`, `TransformerDecoderBlock`).
public struct TransformerBlockConfiguration: Codable, Sendable, Equatable {
    /// Model width C.
    public var width: Int
    /// Attention heads H (C must be a multiple).
    public var numHeads: Int
    /// MLP hidden width. Default 4·C.
    public var mlpHiddenSize: Int
    /// LayerNorm epsilon. Default 1e-5.
    public var epsilon: Float
    /// Dropout on each residual branch (attention and MLP outputs) in training mode. Default 0.
    public var dropout: Float
    /// Whether self-attention is causal (query t sees keys ≤ t). Default false.
    public var causal: Bool
    /// GELU formula of the MLP. Default `.none` (exact erf).
    public var activation: GeluApproximation

    public init(width: Int, numHeads: Int, mlpHiddenSize: Int? = nil, epsilon: Float = 1e-5, dropout: Float = 0,
                causal: Bool = false, activation: GeluApproximation = .none) {
        self.width = width
        self.numHeads = numHeads
        self.mlpHiddenSize = mlpHiddenSize ?? 4 * width
        self.epsilon = epsilon
        self.dropout = dropout
        self.causal = causal
        self.activation = activation
    }

    var attention: MultiHeadAttentionConfiguration { MultiHeadAttentionConfiguration(width: width, numHeads: numHeads) }
    var norm: LayerNormConfiguration { LayerNormConfiguration(size: width, epsilon: epsilon) }
    var mlp: MLPConfiguration { MLPConfiguration(width: width, hiddenSize: mlpHiddenSize, activation: activation) }
}

/// Hyper-parameters of a stack of blocks (`TransformerEncoder`, `TransformerDecoder`).
public struct TransformerStackConfiguration: Codable, Sendable, Equatable {
    /// The configuration shared by every block.
    public var block: TransformerBlockConfiguration
    /// Number of blocks (`layers.0` … `layers.N-1`).
    public var numLayers: Int
    /// Whether a LayerNorm (key `norm`) follows the last block, as pre-norm stacks usually have. Default false.
    public var finalNorm: Bool

    public init(block: TransformerBlockConfiguration, numLayers: Int, finalNorm: Bool = false) {
        self.block = block
        self.numLayers = numLayers
        self.finalNorm = finalNorm
    }
}
