import M2FEncoders
import M2FEngine

/// Whisper tiny.en encoder on 30 s of audio (3000 mel frames → 1500 feature frames), the unit that
/// bench/ctranslate2_whisper.py times for CTranslate2.
package enum WhisperBenchmarks {
    /// Needs the installed model (`m2f models fetch`).
    package static func run(iterations: Int) throws -> [BenchmarkResult] {
        let encoder = try WhisperModel.loadEncoder()
        var generator = RandomGenerator(seed: 5)
        let mel = Tensor.randomUniform([1, 80, 3000], lower: -1, upper: 1, generator: &generator)
        let short = mel.sliced(axis: 2, 0..<1000).contiguous()
        return withoutGrad {
            [
                BenchmarkTimer.measure("whisper_encoder_30s", warmup: 1, iterations: iterations) { _ = encoder(mel) },
                BenchmarkTimer.measure("whisper_encoder_10s_unpadded", warmup: 1, iterations: iterations) { _ = encoder(short) },
            ]
        }
    }
}
