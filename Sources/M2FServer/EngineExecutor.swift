import Foundation
import Synchronization

/// Threads of their own for the engine's work, so that a long denoising run never holds a thread that
/// the server's request handlers need.
///
/// Hummingbird answers requests on Swift's cooperative pool (one thread per core, two here); the
/// pipeline's actor would otherwise run there and keep a pool thread busy for seconds per upload, and
/// `/healthz` and WebSocket frames would wait behind it. Work started under
/// `withTaskExecutorPreference(executor)` runs here instead, actors included (SE-0417).
/// `m2f bench serve` measures the difference (`healthzDuringUpload`).
public final class EngineExecutor: TaskExecutor, Sendable {
    private let queue = Mutex<[UnownedJob]>([])
    private let ready = DispatchSemaphore(value: 0)
    /// 0: no threads of its own; `run` leaves the work on Swift's shared pool (to measure the difference).
    public let threadCount: Int

    /// Starts `threads` threads named `m2f-NAME-N`; they live as long as the process. `niceness` (0 … 19,
    /// Linux only) lowers their scheduling priority: uploads run at 10 so that live streams, which have
    /// a deadline, get the cores first.
    public init(threads: Int, name: String = "engine", niceness: Int32 = 0) {
        precondition(threads >= 0, "a negative thread count")
        threadCount = threads
        for index in 0..<threads {
            let thread = Thread { [self] in
                if niceness > 0 { Self.lowerThisThreadsPriority(to: niceness) }
                self.runJobs()
            }
            thread.name = "m2f-\(name)-\(index + 1)"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Linux keeps a nice value per thread: setpriority on the thread's id (from /proc/thread-self, as
    /// Swift's Glibc does not export gettid). Elsewhere, and if that fails, the thread keeps its priority.
    private static func lowerThisThreadsPriority(to niceness: Int32) {
        #if os(Linux)
        guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self"),
              let id = link.split(separator: "/").last.flatMap({ id_t($0) }) else { return }
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id, niceness)
        #endif
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        queue.withLock { $0.append(unowned) }
        ready.signal()
    }

    private func runJobs() {
        while true {
            ready.wait()
            guard let job = queue.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { continue }
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }

    /// Runs `work` with this executor preferred (its actors' jobs too), and returns its result.
    public func run<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T {
        guard threadCount > 0 else { return try await work() }
        return try await withTaskExecutorPreference(self) { try await work() }
    }
}
