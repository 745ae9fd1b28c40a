import Dispatch
import Foundation
import M2FEngine
import Testing

/// `Parallel.forRanges` on the spinning worker pool: every index exactly once, from any thread, after
/// the helpers have gone to sleep, and nested.
@Suite("parallel")
struct ParallelTests {
    /// Calls forRanges over `count` and returns how often each index was visited.
    static func visits(_ count: Int) -> [Int] {
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: count)
        counts.initialize(repeating: 0)
        defer { counts.deallocate() }
        Parallel.forRanges(count) { range in for i in range { counts[i] += 1 } }
        return Array(counts)
    }

    @Test func everyIndexIsVisitedExactlyOnceBackToBack() {
        for round in 0..<3000 {
            let count = 1 + round % 97
            #expect(Self.visits(count) == Array(repeating: 1, count: count), "round \(round)")
        }
    }

    @Test func jobsFromManyThreadsAtOnce() {
        let failures = Atomic(0)
        DispatchQueue.concurrentPerform(iterations: 6) { thread in
            for round in 0..<500 where Self.visits(10 + (thread + round) % 50) != Array(repeating: 1, count: 10 + (thread + round) % 50) {
                failures.add(1)
            }
        }
        #expect(failures.value == 0)
    }

    @Test func helpersWakeAfterSleeping() {
        for _ in 0..<5 {
            usleep(5_000)  // longer than the helpers spin: they are asleep when the next job comes
            #expect(Self.visits(64) == Array(repeating: 1, count: 64))
        }
    }

    @Test func nestedCallsRunInline() {
        let total = Self.visits(8).reduce(0, +)
        var nested = [Int](repeating: 0, count: 4)
        nested.withUnsafeMutableBufferPointer { outer in
            let pointer = outer.baseAddress!
            Parallel.forRanges(4) { range in
                for i in range {
                    #expect(Parallel.isInsideWorker)
                    Parallel.forRanges(10) { inner in pointer[i] += inner.count }
                }
            }
        }
        #expect(total == 8)
        #expect(nested == [10, 10, 10, 10])
    }
}

/// A tiny counter shared across threads.
private final class Atomic: @unchecked Sendable {
    private let lock = NSLock()
    private var count: Int
    init(_ value: Int) { count = value }
    func add(_ value: Int) { lock.lock(); count += value; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
