/// `Resampler` for audio that arrives in chunks: the samples that come out, over all `push` calls and
/// `finish`, are the ones `Resampler` gives for the whole recording at once.
///
/// Output k is y[k] = Σ_j bank[j]·x[n − j] with n = (half + k·down) / up, so it is final as soon as
/// input n has arrived; only the last filter length of input is kept.
public struct StreamingResampler: Sendable {
    public let resampler: Resampler
    /// Input kept, from input index `inputBase` on.
    private var input: [Float] = []
    private var inputBase = 0
    private var received = 0
    private var produced = 0

    public init(from sourceRate: Int, to targetRate: Int = WhisperLogMel.sampleRate) {
        resampler = Resampler(from: sourceRate, to: targetRate)
    }

    public var sourceRate: Int { resampler.sourceRate }

    /// The output samples that `samples` completes.
    public mutating func push(_ samples: [Float]) -> [Float] {
        input += samples
        received += samples.count
        var out: [Float] = []
        while newestInput(for: produced) < received {
            out.append(output(produced))
            produced += 1
        }
        trim()
        return out
    }

    /// The rest of the output (inputs past the end are zeros), ⌈count · up / down⌉ samples in all.
    public mutating func finish() -> [Float] {
        let total = resampler.outputCount(for: received)
        var out: [Float] = []
        while produced < total {
            out.append(output(produced))
            produced += 1
        }
        return out
    }

    private func newestInput(for k: Int) -> Int { (resampler.halfLength + k * resampler.down) / resampler.up }

    private func output(_ k: Int) -> Float {
        if resampler.up == resampler.down { return input[k - inputBase] }
        let t = resampler.halfLength + k * resampler.down
        let bank = resampler.phases[t % resampler.up]
        let newest = t / resampler.up
        var sum = 0.0
        for j in 0..<bank.count {
            let i = newest - j
            guard i >= 0 else { break }
            guard i < received else { continue }
            sum += bank[j] * Double(input[i - inputBase])
        }
        return Float(sum)
    }

    /// Keeps the inputs that outputs still to come can reach.
    private mutating func trim() {
        let longest = resampler.phases.map(\.count).max() ?? 1
        let oldestNeeded = max(0, newestInput(for: produced) - longest + 1)
        let drop = min(oldestNeeded - inputBase, input.count)
        if drop > 4096 {
            input.removeFirst(drop)
            inputBase += drop
        }
    }
}
