import M2FEngine
import M2FNeural

/// The pre-norm transformer decoder block (self + cross attention + 4× MLP) at the sizes of the
/// paper's denoiser: 4 heads, T = S = 200 frames, batch 8. Mirrors bench/torch_engine.py.
package enum DecoderBlockBenchmarks {
    /// Matmul FLOPs of one forward pass: 2·B·(14·T·C² + 2·S·C² + 2·T·C·(T+S)) (bench/README.md).
    static func forwardFlops(batch b: Int, frames t: Int, memory s: Int, width c: Int) -> Double {
        2 * Double(b) * (14 * Double(t * c * c) + 2 * Double(s * c * c) + 2 * Double(t * c * (t + s)))
    }

    package static func run(width: Int, iterations: Int) -> [BenchmarkResult] {
        let (batch, frames, memoryLength, heads) = (8, 200, 200, 4)
        var generator = RandomGenerator(seed: 3)
        let block = TransformerDecoderBlock(TransformerBlockConfiguration(width: width, numHeads: heads), generator: &generator)
        let x = Tensor.randomNormal([batch, frames, width], generator: &generator)
        let memory = Tensor.randomNormal([batch, memoryLength, width], generator: &generator)
        let upstream = Tensor.randomNormal([batch, frames, width], generator: &generator)
        let flops = forwardFlops(batch: batch, frames: frames, memory: memoryLength, width: width)

        let forward = BenchmarkTimer.measure("decoder_block_w\(width)_forward", flops: flops, iterations: iterations) {
            _ = withoutGrad { block(x, memory: memory) }
        }
        let forwardBackward = BenchmarkTimer.measure(
            "decoder_block_w\(width)_forward_backward", flops: 3 * flops, iterations: iterations
        ) {
            let xs = x.requiringGrad()
            let ms = memory.requiringGrad()
            block.zeroGrad()
            (block(xs, memory: ms) * upstream).sum().backward()
        }
        return [forward, forwardBackward]
    }
}
