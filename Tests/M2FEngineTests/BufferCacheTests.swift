import Dispatch
import Foundation
import M2FEngine
import Testing

@Suite("buffer cache")
struct BufferCacheTests {
    @Test func sizeClassesCoverTheRequestWithAtMostAQuarterToSpare() {
        for bytes in [1, 4, 4096, 32 * 1024, 32 * 1024 + 4, 100_000, 1 << 20, (1 << 20) + 4, 3_000_000, 123_456_788] {
            let block = BufferCache.blockSize(for: bytes)
            #expect(block >= bytes, "\(bytes) → \(block)")
            #expect(Double(block) <= Double(bytes) * 1.25 + 64, "\(bytes) → \(block)")
            if bytes > 32 * 1024 { #expect(block % 64 == 0, "\(bytes) → \(block)") }
        }
        // Neighbouring shapes share a class, so a resized batch reuses the same blocks.
        #expect(BufferCache.blockSize(for: 1_000_000) == BufferCache.blockSize(for: 1_040_000))
    }

    @Test func aFreedBufferIsHandedToTheNextRequestOfItsClass() {
        guard BufferCache.capacityBytes > 0 else { return }
        // An odd size far from what other suites allocate, so a concurrent test does not take the block first.
        let count = 9_876_543
        var storage: TensorStorage? = TensorStorage(count: count)
        let first = storage!.pointer
        storage = nil
        let again = TensorStorage(count: count - 1000)
        #expect(again.pointer == first)
        let other = TensorStorage(count: count)
        #expect(other.pointer != again.pointer, "two live storages must not share memory")
    }

    @Test func concurrentAllocationsNeverShareMemory() {
        let sizes = [10_000, 50_000, 200_000, 1_000_000]
        let failures = Counter()
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for round in 0..<150 {
                let count = sizes[(worker + round) % sizes.count]
                let storage = TensorStorage(count: count, repeating: Float(worker))
                // Another thread writing into this block would show up as a foreign value.
                for index in stride(from: 0, to: count, by: 997) where storage.pointer[index] != Float(worker) {
                    failures.add()
                }
            }
        }
        #expect(failures.value == 0)
    }
}

/// A thread-safe tally for the concurrent test.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
