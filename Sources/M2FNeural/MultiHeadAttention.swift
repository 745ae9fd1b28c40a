import M2FEngine

/// Hyper-parameters of `MultiHeadAttention`.
public struct MultiHeadAttentionConfiguration: Codable, Sendable, Equatable {
    /// Model width C (queries, keys, values and output).
    public var width: Int
    /// Number of heads H; the head size D = C / H.
    public var numHeads: Int
    /// Whether the four projections have biases. Default true.
    public var bias: Bool

    public init(width: Int, numHeads: Int, bias: Bool = true) {
        precondition(numHeads > 0 && width % numHeads == 0, "width \(width) is not a multiple of \(numHeads) heads")
        self.width = width
        self.numHeads = numHeads
        self.bias = bias
    }

    /// D = C / H.
    public var headSize: Int { width / numHeads }
}

/// Multi-head scaled dot-product attention: self-attention on `x`, or cross-attention from `x` to `memory`.
///
/// Keys under the module's prefix: `q_proj`, `k_proj`, `v_proj`, `out_proj`, each a `Linear(C, C)`
/// (`.weight` [C, C], `.bias` [C]). Head h is channels h·D ..< (h+1)·D of each projection.
public final class MultiHeadAttention: Module {
    public let configuration: MultiHeadAttentionConfiguration
    /// `<prefix>.q_proj.{weight,bias}`
    public let queryProjection: Linear
    /// `<prefix>.k_proj.{weight,bias}`
    public let keyProjection: Linear
    /// `<prefix>.v_proj.{weight,bias}`
    public let valueProjection: Linear
    /// `<prefix>.out_proj.{weight,bias}`
    public let outputProjection: Linear
    /// q, k and v stacked into one 16-bit weight [3C, C] with its bias [3C] (see
    /// `storeWeightsInHalfPrecision()`): self-attention then takes one product instead of three.
    public private(set) var stackedInputProjection: (weight: HalfLinearWeight, bias: Tensor?)?
    public var isTraining = false

    public init(_ configuration: MultiHeadAttentionConfiguration, generator: inout RandomGenerator) {
        self.configuration = configuration
        let projection = LinearConfiguration(inputSize: configuration.width, outputSize: configuration.width, bias: configuration.bias)
        queryProjection = Linear(projection, generator: &generator)
        keyProjection = Linear(projection, generator: &generator)
        valueProjection = Linear(projection, generator: &generator)
        outputProjection = Linear(projection, generator: &generator)
    }

    public var children: [(key: String, module: any Module)] {
        [("q_proj", queryProjection), ("k_proj", keyProjection), ("v_proj", valueProjection), ("out_proj", outputProjection)]
    }

    /// Rounds all four projection weights to binary16 in place, packs q, k, v stacked into
    /// `stackedInputProjection` and the output projection on its own (`Linear.halfWeight`). A snapshot
    /// for inference, as `Linear.storeWeightInHalfPrecision()`. q, k, v keep no 16-bit copy of their
    /// own: self-attention on few rows takes the stack, everything else BLAS on their rounded Float32
    /// values, so both multiply by the same numbers.
    public func storeWeightsInHalfPrecision() {
        let inputs = [queryProjection, keyProjection, valueProjection]
        for projection in inputs { HalfLinearWeight.roundToHalfInPlace(projection.weight.value) }
        outputProjection.storeWeightInHalfPrecision()
        let stacked = withoutGrad { Tensor.concatenate(inputs.map(\.weight.value), axis: 0) }
        let bias = configuration.bias ? withoutGrad { Tensor.concatenate(inputs.map { $0.bias!.value }, axis: 0) } : nil
        stackedInputProjection = (HalfLinearWeight(roundingInPlace: stacked), bias)
    }

    /// x [B, T, C], memory [B, S, C] (nil: self-attention, S = T) → [B, T, C].
    /// - Parameter mask: causal (key j > query t excluded), key padding [B, S] (1 = padded key) and an
    ///   additive bias broadcastable to [B, H, T, S].
    public func callAsFunction(_ x: Tensor, memory: Tensor? = nil, mask: AttentionMask = .none) -> Tensor {
        precondition(x.rank == 3 && x.shape[2] == configuration.width, "attention input \(x.shape) is not [B, T, \(configuration.width)]")
        let context = memory ?? x
        precondition(context.rank == 3 && context.shape[0] == x.shape[0] && context.shape[2] == configuration.width,
                     "attention memory \(context.shape) does not match input \(x.shape)")
        let (b, t, s) = (x.shape[0], x.shape[1], context.shape[1])
        let (h, d) = (configuration.numHeads, configuration.headSize)

        // [B, N, C] → [B, N, H, D] → [B, H, N, D] (a view)
        func splitHeads(_ y: Tensor, _ n: Int) -> Tensor { y.reshaped([b, n, h, d]).transposed(1, 2) }
        let q: Tensor, k: Tensor, v: Tensor
        if memory == nil, let stacked = stackedInputProjection, usesStackedProjection(x) {
            // [B, T, 3C] → [B, T, 3, H, D] → [3, B, H, T, D]; q, k, v are views into the one product.
            let heads = Tensor.linear(x, weight: stacked.weight, bias: stacked.bias).reshaped([b, t, 3, h, d]).permuted([2, 0, 3, 1, 4])
            (q, k, v) = (heads.selected(axis: 0, 0), heads.selected(axis: 0, 1), heads.selected(axis: 0, 2))
        } else {
            q = splitHeads(queryProjection(x), t)
            k = splitHeads(keyProjection(context), s)
            v = splitHeads(valueProjection(context), s)
        }
        let y = Tensor.scaledDotProductAttention(query: q, key: k, value: v, mask: mask)  // [B, H, T, D]
        let merged = y.transposed(1, 2).reshaped([b, t, h * d])  // [B, T, C]
        return outputProjection(merged)
    }

    /// The stacked product gives no gradient to the three projections, and past the kernel's row limit
    /// it would multiply the stacked copy by BLAS: then the three separate products are used.
    private func usesStackedProjection(_ x: Tensor) -> Bool {
        guard x.shape.dropLast().reduce(1, *) <= HalfLinearWeight.maximumKernelRows else { return false }
        guard Autograd.isRecording else { return true }
        let parameters = [queryProjection, keyProjection, valueProjection].flatMap { [$0.weight.value] + ($0.bias.map { [$0.value] } ?? []) }
        return !x.requiresGrad && !parameters.contains(where: \.requiresGrad)
    }
}
