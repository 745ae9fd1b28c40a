import Dispatch
import Foundation

/// Splits row-parallel work across the machine's cores.
///
/// Small jobs run inline: a dispatch costs a few microseconds, more than the work below `minimumPerWorker`.
public enum Parallel {
    /// Number of worker threads: one per active core, or `M2F_THREADS` (1 … 256) where set. Foundation
    /// counts the machine's cores, not the ones `taskset` leaves: two workers pinned to one core spin
    /// against each other, so a run on one core says `M2F_THREADS=1`.
    public static let workerCount: Int = {
        if let value = ProcessInfo.processInfo.environment["M2F_THREADS"].flatMap(Int.init), (1...256).contains(value) { return value }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()

    /// True on a thread that is already one of `forRanges`' workers: nested work then runs inline.
    public static var isInsideWorker: Bool { insideWorker.get() }

    @usableFromInline static let insideWorker = ThreadFlag()

    /// Calls `body` with disjoint ranges that together cover `0..<count`.
    /// - Parameters:
    ///   - minimumPerWorker: rows below which another worker is not worth starting.
    ///   - partsPerWorker: ranges per worker, claimed one at a time, so a worker whose core is taken
    ///     away (a virtual machine's stolen vCPU) leaves its remaining ranges to the others instead of
    ///     making them wait. 1: one equal range each (the cheapest split when cores are steady).
    @inlinable
    public static func forRanges(_ count: Int, minimumPerWorker: Int = 1, partsPerWorker: Int = 1, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let workers = min(workerCount, max(1, count / max(1, minimumPerWorker)))
        if workers <= 1 || isInsideWorker {
            body(0..<count)
            return
        }
        let parts = min(count, workers * min(max(1, partsPerWorker), count))  // clamped first: no overflow
        let chunk = (count + parts - 1) / parts
        // Workers only read shared inputs and write disjoint ranges, so sharing the closure is safe.
        let ran = pool.run(parts: parts) { part in
            let start = part * chunk
            let end = min(count, start + chunk)
            guard start < end else { return }
            insideWorker.withValue(true) { body(start..<end) }
        }
        // Another thread's job holds the pool: this one runs on its own thread rather than wait.
        if !ran { insideWorker.withValue(true) { body(0..<count) } }
    }

    /// The helper threads (one per core beyond the caller's), started on first use.
    @usableFromInline static let pool = WorkerPool(helpers: workerCount - 1)

    /// Rows of `rowLength` elements each: picks the split so each worker gets at least ~32k elements.
    @inlinable
    public static func forRows(_ rows: Int, rowLength: Int, _ body: (Range<Int>) -> Void) {
        let minimumRows = max(1, 32_768 / max(1, rowLength))
        forRanges(rows, minimumPerWorker: minimumRows, body)
    }
}

/// Carries a value across a concurrency boundary the compiler cannot check (disjoint-range workers).
@usableFromInline
struct UncheckedSendable<Value>: @unchecked Sendable {
    @usableFromInline let value: Value
    @usableFromInline init(_ value: Value) { self.value = value }
}

/// A per-thread boolean (pthread-specific data), cheap to read on hot paths.
@usableFromInline
final class ThreadFlag: @unchecked Sendable {
    private var key = pthread_key_t()

    init() { pthread_key_create(&key, nil) }

    @usableFromInline func get() -> Bool { pthread_getspecific(key) != nil }

    /// Sets the flag for the rest of this thread's life (the pool's helpers).
    @usableFromInline func set(_ value: Bool) { pthread_setspecific(key, value ? UnsafeRawPointer(bitPattern: 1) : nil) }

    @usableFromInline func withValue<R>(_ value: Bool, _ body: () -> R) -> R {
        let previous = pthread_getspecific(key)
        pthread_setspecific(key, value ? UnsafeRawPointer(bitPattern: 1) : nil)
        defer { pthread_setspecific(key, previous) }
        return body()
    }
}
