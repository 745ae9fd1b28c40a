import M2FEngine

/// `m2f bench engine`: the engine's hot paths, named as in bench/torch_engine.py for side-by-side runs.
package enum EngineBenchmarks {
    /// The groups `run` measures, in order; `--only` picks among them by prefix of their bench names.
    package static let groups = ["sgemm_512", "decoder_block_w512", "decoder_block_w256", "elementwise", "batched_matmul"]

    /// Runs the engine benchmarks (every group, or those whose name starts with one of `only`),
    /// handing each result over as soon as it is measured.
    package static func run(quick: Bool = false, only: [String] = [], report: (BenchmarkResult) -> Void) {
        let iterations = quick ? 3 : 10
        func wanted(_ group: String) -> Bool { only.isEmpty || only.contains { group.hasPrefix($0) || $0.hasPrefix(group) } }
        if wanted("sgemm_512") { report(sgemm(size: 512, iterations: quick ? 5 : 30)) }
        for width in [512, 256] where wanted("decoder_block_w\(width)") {
            for result in DecoderBlockBenchmarks.run(width: width, iterations: iterations) { report(result) }
        }
        if wanted("elementwise") { for result in elementwise(iterations: iterations) { report(result) } }
        if wanted("batched_matmul") { for result in attentionProducts(iterations: iterations) { report(result) } }
    }

    /// Attention-sized batched GEMMs ([32, 200, 64] × [32, 64, 200]) run one matrix per core versus
    /// each matrix split across the cores: the evidence behind `Tensor.perCoreGemmLimit`.
    package static func attentionProducts(iterations: Int) -> [BenchmarkResult] {
        var generator = RandomGenerator(seed: 4)
        let q = Tensor.randomNormal([32, 200, 64], generator: &generator)
        let k = Tensor.randomNormal([32, 64, 200], generator: &generator)
        let flops = 2.0 * 32 * 200 * 200 * 64
        let saved = Tensor.perCoreGemmLimit
        defer { Tensor.perCoreGemmLimit = saved }
        Tensor.perCoreGemmLimit = Int.max
        let perCore = BenchmarkTimer.measure("batched_matmul_32x200x64x200_per_core", flops: flops, iterations: iterations * 3) {
            _ = withoutGrad { q.matmul(k) }
        }
        Tensor.perCoreGemmLimit = 0
        let splitEach = BenchmarkTimer.measure("batched_matmul_32x200x64x200_split_each", flops: flops, iterations: iterations * 3) {
            _ = withoutGrad { q.matmul(k) }
        }
        return [perCore, splitEach]
    }

    /// The non-GEMM kernels a decoder block spends its remaining time in, at its sizes (B·T = 1600).
    package static func elementwise(iterations: Int) -> [BenchmarkResult] {
        var generator = RandomGenerator(seed: 2)
        let hidden = Tensor.randomNormal([1600, 2048], generator: &generator)
        let rows = Tensor.randomNormal([1600, 512], generator: &generator)
        let scores = Tensor.randomNormal([32, 200, 200], generator: &generator)
        let weight = Tensor.ones([512]), bias = Tensor.zeros([512])
        return withoutGrad {
            [
                BenchmarkTimer.measure("gelu_1600x2048", iterations: iterations) { _ = hidden.gelu() },
                BenchmarkTimer.measure("softmax_32x200x200", iterations: iterations) { _ = scores.softmax() },
                BenchmarkTimer.measure("layernorm_1600x512", iterations: iterations) { _ = rows.layerNorm(weight: weight, bias: bias) },
                BenchmarkTimer.measure("add_1600x512", iterations: iterations) { _ = rows + rows },
                BenchmarkTimer.measure("transpose_copy_8x200x4x128", iterations: iterations) {
                    _ = rows.reshaped([8, 200, 4, 128]).permuted([0, 2, 1, 3]).contiguous()
                },
            ]
        }
    }

    /// C = A·B for square matrices through the engine's matmul (BLAS underneath).
    package static func sgemm(size n: Int, iterations: Int) -> BenchmarkResult {
        var generator = RandomGenerator(seed: 1)
        let a = Tensor.randomNormal([n, n], generator: &generator)
        let b = Tensor.randomNormal([n, n], generator: &generator)
        return BenchmarkTimer.measure("sgemm_\(n)", flops: 2 * Double(n * n * n), warmup: 3, iterations: iterations) {
            _ = withoutGrad { a.matmul(b) }
        }
    }
}
