import Foundation

/// One of N deterministic slices of a batch (`m2f animate --list lines.txt --shard K/N`): the jobs at
/// list positions i with i mod N = K, K counted from 0 as Kubernetes' `JOB_COMPLETION_INDEX` and a Slurm
/// array `--array=0-(N-1)` count. Every process that reads the same list with the same N gets the same
/// slices, the N slices cover each job exactly once, and neighbouring lines (often similar lengths) are
/// spread over the shards.
package struct BatchShard: Sendable, Equatable, CustomStringConvertible {
    /// This shard, 0 ..< count.
    package var index: Int
    /// How many shards the batch is cut into.
    package var count: Int

    package static let whole = BatchShard(index: 0, count: 1)

    package init(index: Int, count: Int) {
        precondition(count >= 1 && (0..<count).contains(index), "shard \(index)/\(count)")
        self.index = index
        self.count = count
    }

    /// Parses `K/N` (0 ≤ K < N ≤ 1 000 000).
    package init(parsing text: String) throws(PipelineError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else {
            throw .invalidOption(name: "--shard", value: text, allowed: "K/N with whole numbers, e.g. 0/8 for the first of 8 shards")
        }
        guard (1...1_000_000).contains(n), (0..<n).contains(k) else {
            throw .invalidOption(name: "--shard", value: text, allowed: "K/N with 0 ≤ K < N ≤ 1000000 (K counts from 0)")
        }
        self.init(index: k, count: n)
    }

    /// This shard's jobs, in list order.
    package func select<Job>(_ jobs: [Job]) -> [Job] {
        jobs.enumerated().filter { $0.offset % count == index }.map(\.element)
    }

    package var description: String { "\(index)/\(count)" }
}
