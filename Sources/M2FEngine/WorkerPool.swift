import Foundation
import Synchronization

/// Persistent helper threads for `Parallel`: one per extra core, spinning briefly between jobs before
/// they sleep.
///
/// Why not `DispatchQueue.concurrentPerform`: its pool threads sleep as soon as a job ends, and waking a
/// sleeping vCPU costs tens of microseconds to milliseconds on a virtual machine. The engine runs kernels
/// back to back (a MiniLM prompt is ~150 of them), so most jobs paid that wake-up: a 512³ GEMM measured
/// 1.2–1.3× plain OpenBLAS, whose own threads spin. Here a helper that has just finished spins for
/// `spinNanoseconds` and catches the next kernel at once, and parts are claimed one at a time, so a
/// helper that is late (its vCPU descheduled) costs nothing: the caller takes the parts it has not.
@usableFromInline
final class WorkerPool: @unchecked Sendable {
    /// How long an idle helper polls for the next job before it sleeps.
    static let spinNanoseconds: UInt64 = 200_000

    let helperCount: Int
    /// The job ticket: generation (bits 40–63) | part count (bits 20–39) | next part to claim (bits 0–19).
    /// Claiming is one compare-and-swap on it, so a helper can never take a part of a job it did not see
    /// published, nor one past the end.
    private let ticket = Atomic<UInt64>(0)
    /// Parts of the current job not yet finished.
    private let unfinished = Atomic<Int>(0)
    private let sleepers = Atomic<Int>(0)
    private let wake = NSCondition()
    /// One job at a time; a caller that finds the pool busy runs its job inline instead of waiting.
    private let submission = NSLock()
    nonisolated(unsafe) private var job: ((Int) -> Void)?

    static let fieldMask: UInt64 = (1 << 20) - 1
    static let maximumParts = Int(fieldMask)

    init(helpers: Int) {
        helperCount = helpers
        for index in 0..<helpers {
            let thread = Thread { [unowned self] in self.helperLoop() }
            thread.name = "m2f-worker-\(index + 1)"
            thread.start()
        }
    }

    /// Runs `body(part)` for every part in 0..<parts on the caller and the helpers and returns when all
    /// are done; false (having run nothing) when another thread's job holds the pool.
    @usableFromInline
    func run(parts: Int, _ body: (Int) -> Void) -> Bool {
        precondition(parts > 0 && parts <= Self.maximumParts, "\(parts) parts")
        guard submission.try() else { return false }
        defer { submission.unlock() }
        withoutActuallyEscaping(body) { escapable in
            job = escapable
            unfinished.store(parts, ordering: .sequentiallyConsistent)
            let generation = (ticket.load(ordering: .relaxed) >> 40) &+ 1
            // Publishes `job`: a helper reads it only after a successful claim on this ticket.
            ticket.store((generation << 40) | (UInt64(parts) << 20), ordering: .sequentiallyConsistent)
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                wake.lock()
                wake.broadcast()
                wake.unlock()
            }
            work(generation: generation & Self.generationMask)
            while unfinished.load(ordering: .acquiring) > 0 {}
            job = nil
        }
        return true
    }

    static let generationMask: UInt64 = (1 << 24) - 1

    /// Claims and runs parts of job `generation` until none are left.
    private func work(generation: UInt64) {
        var value = ticket.load(ordering: .acquiring)
        while true {
            let next = value & Self.fieldMask, parts = (value >> 20) & Self.fieldMask
            guard value >> 40 == generation, next < parts else { return }
            let (claimed, original) = ticket.compareExchange(expected: value, desired: value + 1, ordering: .acquiringAndReleasing)
            guard claimed else { value = original; continue }
            job!(Int(next))
            unfinished.subtract(1, ordering: .releasing)
            value = ticket.load(ordering: .acquiring)
        }
    }

    private func helperLoop() {
        Parallel.insideWorker.set(true)
        var seen: UInt64 = 0
        while true {
            var current = ticket.load(ordering: .acquiring) >> 40
            if current == seen {
                let start = DispatchTime.now().uptimeNanoseconds
                while current == seen, DispatchTime.now().uptimeNanoseconds &- start < Self.spinNanoseconds {
                    current = ticket.load(ordering: .acquiring) >> 40
                }
            }
            if current == seen {
                wake.lock()
                sleepers.add(1, ordering: .sequentiallyConsistent)
                current = ticket.load(ordering: .sequentiallyConsistent) >> 40
                while current == seen {
                    wake.wait()
                    current = ticket.load(ordering: .sequentiallyConsistent) >> 40
                }
                sleepers.subtract(1, ordering: .sequentiallyConsistent)
                wake.unlock()
            }
            seen = current
            work(generation: current)
        }
    }
}
