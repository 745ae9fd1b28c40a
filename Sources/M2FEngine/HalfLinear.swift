import CHalfMatmul

/// A linear layer's weight W [N, K] (PyTorch layout: out × in) held as IEEE binary16, for `x · Wᵀ + b`
/// on few rows (a prompt of M ≤ 256 tokens), where streaming the weight costs more than the arithmetic;
/// optionally with GELU applied as the results are stored.
///
/// Why: MiniLM's 42 MB of Float32 layer weights exceed a 32 MB L3 and stream from memory on every prompt;
/// in 16 bits they take 21 MB and stay cached. The product converts and multiplies in one pass
/// (`m2f_half_linear`: vcvtph2ps + FMA on x86-64 with AVX2/F16C, a portable loop elsewhere). Larger
/// inputs use `cblas_sgemm` on `widened`, the same rounded values in Float32, so both paths multiply by
/// the same numbers and a text's embedding does not depend on the size of its batch.
///
/// Layout: panels of 16 output features, `packed[(p · K + k) · 16 + j] = half(W[16p + j, k])`, zero past N.
public final class HalfLinearWeight: @unchecked Sendable {
    /// N, output features.
    public let outputSize: Int
    /// K, input features.
    public let inputSize: Int
    /// The weight [N, K] after rounding to binary16, in Float32 (the tensor passed to `init`).
    public let widened: Tensor
    /// ceil(N / 16) · 16 · K halves.
    let packed: UnsafeMutableBufferPointer<UInt16>

    /// Output features per packed panel.
    public static let panelWidth = 16

    /// Inputs with more rows than this go to `cblas_sgemm` on `widened`. Measured (docs/BENCHMARKS.md):
    /// the kernel beats single-threaded OpenBLAS on MiniLM's products up to M = 256 and ties it beyond
    /// (a batch of 64 prompts, M ≈ 1300: ratio 0.98), so past 256 rows the proven BLAS path is kept.
    nonisolated(unsafe) public static var maximumKernelRows = 256

    /// Panel ranges per worker thread of one product (see `multiply`; a bench option).
    nonisolated(unsafe) public static var partsPerWorker = 2

    /// Rounds every value of `tensor` to the nearest binary16 (ties to even) in place, keeping Float32
    /// storage: for a weight that is multiplied only as part of a stacked 16-bit copy.
    /// - Precondition: `tensor` is contiguous and owns its storage (a `Parameter` value).
    public static func roundToHalfInPlace(_ tensor: Tensor) {
        precondition(tensor.isContiguous, "rounding in place needs a contiguous tensor, got strides \(tensor.strides)")
        widen(halves(of: tensor.basePointer, count: tensor.count), into: tensor.basePointer)
    }

    /// The binary16 bits of `count` values (round to nearest even): F16C where the CPU has it (a
    /// MiniLM load packs 10.6 M values; the scalar loop took ~0.1 s of it), `HalfPrecision` elsewhere.
    static func halves(of values: UnsafePointer<Float>, count: Int) -> [UInt16] {
        [UInt16](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0, m2f_floats_to_halves(values, buffer.baseAddress!, count) == 0 {
                for index in 0..<count { buffer[index] = HalfPrecision.half(from: values[index]) }
            }
            initialized = count
        }
    }

    /// Writes each binary16 value of `halves` as Float32 into `values`.
    static func widen(_ halves: [UInt16], into values: UnsafeMutablePointer<Float>) {
        halves.withUnsafeBufferPointer { source in
            guard let base = source.baseAddress else { return }  // nothing to widen
            let widenedBySIMD = m2f_halves_to_floats(base, values, source.count) != 0
            if !widenedBySIMD { for index in source.indices { values[index] = HalfPrecision.float(fromHalf: source[index]) } }
        }
    }

    /// Packs `weight` [N, K] and rounds its values to binary16 **in place** (round to nearest even), so
    /// every later use of that tensor (gradients, large batches) sees the stored 16-bit values.
    /// - Precondition: `weight` is a contiguous rank-2 tensor that owns its storage (a `Parameter` value).
    public init(roundingInPlace weight: Tensor) {
        precondition(weight.rank == 2 && weight.isContiguous, "a 16-bit linear weight must be a contiguous [N, K] tensor, got \(weight.shape)")
        let (n, k) = (weight.shape[0], weight.shape[1])
        let panels = (n + Self.panelWidth - 1) / Self.panelWidth
        outputSize = n
        inputSize = k
        widened = weight
        packed = .allocate(capacity: Swift.max(1, panels * Self.panelWidth * k))
        packed.initialize(repeating: 0)
        let w = weight.basePointer
        let bits = Self.halves(of: w, count: n * k)
        for row in 0..<n {
            let (panel, lane) = row.quotientAndRemainder(dividingBy: Self.panelWidth)
            for column in 0..<k { packed[(panel * k + column) * Self.panelWidth + lane] = bits[row * k + column] }
        }
        Self.widen(bits, into: w)
    }

    deinit { packed.deallocate() }

    /// Bytes of the 16-bit copy.
    public var packedBytes: Int { packed.count * 2 }

    /// True when the fused kernel runs its AVX2 + FMA + F16C path on this machine.
    public static var usesSIMD: Bool { m2f_half_linear_uses_simd() != 0 }

    /// Which code computes a 16-bit product.
    public enum Kernel: Sendable, CaseIterable {
        /// The AVX2 + FMA + F16C kernel where the CPU has them, else the portable loop.
        case best
        /// The portable C loop on any machine (tests compare it with `best`).
        case portable
    }

    /// What the kernel applies to its outputs as it stores them (saves a pass over the [M, N] result).
    public enum Activation: Sendable, CaseIterable {
        /// The affine product.
        case none
        /// Exact GELU, x · Φ(x), with erf as `Tensor.gelu()` computes it (Abramowitz & Stegun 7.1.26).
        case geluErf

        var code: m2f_half_activation {
            switch self {
            case .none: M2F_HALF_ACTIVATION_NONE
            case .geluErf: M2F_HALF_ACTIVATION_GELU_ERF
            }
        }
    }

    /// activation(x [..., K] · Wᵀ + bias [N]) → [..., N] by the fused 16-bit kernel, whatever the number
    /// of rows; records no gradient. `Tensor.linear(_:weight:bias:activation:)` picks between this and BLAS.
    public func product(_ x: Tensor, bias: Tensor?, activation: Activation = .none, kernel: Kernel = .best) -> Tensor {
        let (n, k) = (outputSize, inputSize)
        precondition(x.rank >= 1 && x.shape.last == k, "linear: input \(x.shape) does not end in \(k) (16-bit weight [\(n), \(k)])")
        let rows = x.shape.dropLast().reduce(1, *)
        let out = Tensor.uninitialized(Array(x.shape.dropLast()) + [n])
        if rows == 0 || n == 0 { return out }
        guard k > 0 else {
            // An empty sum: the bias alone.
            let b = bias?.contiguous()
            for row in 0..<rows { for j in 0..<n { out.basePointer[row * n + j] = b.map { $0.basePointer[j] } ?? 0 } }
            let affine = withExtendedLifetime(b) { out }
            return activation == .geluErf ? affine.gelu() : affine
        }
        // A single vector [K] is one row; otherwise the leading axes merge into rows (copying when they cannot).
        let matrix = x.rank == 1 ? x.contiguous().reshaped([1, k]) : x
        var flat = matrix.rowsFlattened() ?? matrix.contiguous().rowsFlattened()!
        if flat.strides[1] != 1 { flat = flat.contiguous() }
        let contiguousBias = bias.map { b -> Tensor in
            precondition(b.shape == [n], "linear: bias \(b.shape) for \(n) outputs")
            return b.contiguous()
        }
        withExtendedLifetime((flat, contiguousBias)) {
            multiply(flat.basePointer, ldx: rows == 1 ? k : flat.strides[0], rows: rows,
                     bias: contiguousBias.map { UnsafePointer($0.basePointer) }, into: out.basePointer, ldc: n,
                     activation: activation, kernel: kernel)
        }
        return out
    }

    /// c [M, N] (rows `ldc` apart) = activation(x [M, K] (rows `ldx` apart) · Wᵀ + bias), split by panels
    /// over the cores.
    func multiply(_ x: UnsafePointer<Float>, ldx: Int, rows m: Int, bias: UnsafePointer<Float>?,
                  into c: UnsafeMutablePointer<Float>, ldc: Int, activation: Activation, kernel: Kernel) {
        let (n, k) = (outputSize, inputSize)
        let panels = (n + Self.panelWidth - 1) / Self.panelWidth
        let packedBase = UncheckedSendable(UnsafePointer(packed.baseAddress!))
        // ~128k multiply-adds per worker at least: below that a dispatch costs more than it saves.
        let perPanel = Swift.max(1, m * Self.panelWidth * k)
        // Ranges are claimed one at a time, so a punctual worker takes over a late one's share (on a VM the
        // helper's half measured ~20 % slower: the caller then spun); but each range's first panel goes
        // unprefetched. MiniLM 1×16, medians of 8 runs each, 2 vCPUs: 1 per worker 4.3 ms, 2: 3.9, 4: 4.7.
        Parallel.forRanges(panels, minimumPerWorker: Swift.max(1, (1 << 17) / perPanel), partsPerWorker: Self.partsPerWorker) { range in
            let run = kernel == .best ? m2f_half_linear : m2f_half_linear_portable
            run(Int32(m), Int32(n), Int32(k), x, Int32(ldx), packedBase.value, bias, c, Int32(ldc),
                Int32(range.lowerBound), Int32(range.upperBound), activation.code)
        }
    }
}

extension Tensor {
    /// `activation(x · Wᵀ + b)` with a 16-bit weight: x [..., K] → [..., N].
    ///
    /// While the tape records and any operand needs a gradient, or when x has more than
    /// `HalfLinearWeight.maximumKernelRows` rows, this is `linear(x, weight: weight.widened, bias:)`
    /// (BLAS, differentiable) followed by `gelu()` for `.geluErf`; otherwise the fused 16-bit kernel,
    /// which records nothing.
    public static func linear(_ x: Tensor, weight: HalfLinearWeight, bias: Tensor?,
                              activation: HalfLinearWeight.Activation = .none) -> Tensor {
        let (n, k) = (weight.outputSize, weight.inputSize)
        precondition(x.shape.last == k, "linear: input \(x.shape) does not end in \(k) (16-bit weight [\(n), \(k)])")
        let rows = x.shape.dropLast().reduce(1, *)
        let needsTape = Autograd.isRecording && (x.requiresGrad || weight.widened.requiresGrad || bias?.requiresGrad == true)
        if needsTape || rows > HalfLinearWeight.maximumKernelRows {
            let affine = linear(x, weight: weight.widened, bias: bias)
            return activation == .geluErf ? affine.gelu() : affine
        }
        return weight.product(x, bias: bias, activation: activation)
    }
}
