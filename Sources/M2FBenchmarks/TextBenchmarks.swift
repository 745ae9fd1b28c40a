import M2FEncoders
import M2FEngine

/// `m2f bench text`: the MiniLM sentence encoder on style prompts (needs `m2f models fetch`).
public enum TextBenchmarks {
    /// A prompt of exactly 16 tokens with `[CLS]` and `[SEP]`.
    public static let prompt = "speaking quickly and excitedly, with a big bright smile and raised eyebrows."

    /// Tokenizer alone, one 16-token prompt end to end, and a batch of 64 prompts.
    /// - Throws: `EncoderError.notInstalled` when the model is not in the cache.
    public static func run(iterations: Int = 50) throws -> [BenchmarkResult] {
        let encoder = try SentenceEncoder()
        let tokens = encoder.tokenizer.encode(prompt).ids.count
        precondition(tokens == 16, "the benchmark prompt has \(tokens) tokens, not 16")
        let moods = ["happy", "sad", "angry", "calm", "nervous", "tired", "excited", "bored"]
        let batch = (0..<64).map { "\(moods[$0 % 8]) and \(moods[($0 / 8) % 8]), speaking slowly with a soft voice, take \($0)" }
        return [
            BenchmarkTimer.measure("text_tokenize_16_tokens", warmup: 5, iterations: iterations * 4) {
                _ = encoder.tokenizer.encode(prompt)
            },
            BenchmarkTimer.measure("text_embed_1x16_tokens", warmup: 5, iterations: iterations) { _ = encoder.embed(prompt) },
            BenchmarkTimer.measure("text_embed_batch_64", warmup: 2, iterations: Swift.max(iterations / 5, 3)) { _ = encoder.embed(batch) },
        ]
    }
}
