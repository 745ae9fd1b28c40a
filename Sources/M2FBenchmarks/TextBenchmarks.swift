import Dispatch
import M2FEncoders
import M2FEngine

/// `m2f bench text`: the MiniLM sentence encoder on style prompts (needs `m2f models fetch`).
package enum TextBenchmarks {
    /// A prompt of exactly 16 tokens with `[CLS]` and `[SEP]`.
    package static let prompt = "speaking quickly and excitedly, with a big bright smile and raised eyebrows."

    /// Tokenizer alone, then one 16-token prompt end to end and a batch of 64 prompts for each weight
    /// precision in `precisions`, interleaved: `rounds` rounds alternate the precisions (the order flips
    /// each round), so a loaded machine slows them alike. The default precision's lines have impl
    /// "swift"; the others "swift_<precision>_weights". With two precisions, every line of the second
    /// and later carries `ratio`: its median over the first precision's median. `includeBatch` false
    /// leaves out the batch of 64 (a profile of the prompt path alone).
    /// - Throws: `EncoderError.notInstalled` when the model is not in the cache.
    package static func run(iterations: Int = 50, rounds: Int = 5,
                           precisions: [BertWeightPrecision] = [.float32, .float16],
                           includeBatch: Bool = true) throws -> [BenchmarkResult] {
        precondition(!precisions.isEmpty && rounds > 0)
        let defaultPrecision = SentenceEncoderLoadOptions().weightPrecision
        let encoders = try precisions.map { try SentenceEncoder(options: SentenceEncoderLoadOptions(weightPrecision: $0)) }
        let tokenizer = encoders[0].tokenizer
        let tokens = tokenizer.encode(prompt).ids.count
        precondition(tokens == 16, "the benchmark prompt has \(tokens) tokens, not 16")
        let moods = ["happy", "sad", "angry", "calm", "nervous", "tired", "excited", "bored"]
        let batch = (0..<64).map { "\(moods[$0 % 8]) and \(moods[($0 / 8) % 8]), speaking slowly with a soft voice, take \($0)" }

        var results = [BenchmarkTimer.measure("text_tokenize_16_tokens", warmup: 5, iterations: iterations * 4) {
            _ = tokenizer.encode(prompt)
        }]
        let singleRuns = Swift.max(1, iterations / rounds), batchRuns = Swift.max(1, iterations / (5 * rounds))
        var single = [[Double]](repeating: [], count: precisions.count)
        var batched = [[Double]](repeating: [], count: precisions.count)
        for round in 0..<rounds {
            let order = round % 2 == 0 ? Array(precisions.indices) : precisions.indices.reversed()
            for index in order {
                let encoder = encoders[index]
                single[index] += samples(warmup: 3, runs: singleRuns) { _ = encoder.embed(prompt) }
                if includeBatch { batched[index] += samples(warmup: 1, runs: batchRuns) { _ = encoder.embed(batch) } }
            }
        }
        for (name, table) in [("text_embed_1x16_tokens", single), ("text_embed_batch_64", batched)] where !table[0].isEmpty {
            let baseline = BenchmarkTimer.median(table[0])
            for (index, precision) in precisions.enumerated() {
                var result = BenchmarkTimer.result(name, samples: table[index])
                result.impl = precision == defaultPrecision ? "swift" : "swift_\(precision.rawValue)_weights"
                result.weights = precision.rawValue
                if index > 0 { result.ratio = result.median_ms / baseline }
                results.append(result)
            }
        }
        return results
    }

    /// Milliseconds of each of `runs` timed calls after `warmup` untimed ones.
    static func samples(warmup: Int, runs: Int, _ body: () -> Void) -> [Double] {
        for _ in 0..<warmup { body() }
        return (0..<runs).map { _ in
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        }
    }
}
