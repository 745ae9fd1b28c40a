import Foundation

/// At most `capacity` holders at once and at most `queueLimit` waiting for a turn; one more is
/// refused at once, so a flood of requests costs the server a counter, not memory.
actor AdmissionGate {
    let capacity: Int
    let queueLimit: Int
    private(set) var holders = 0
    private var waiting: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextID: UInt64 = 0

    init(capacity: Int, queueLimit: Int) {
        self.capacity = capacity
        self.queueLimit = queueLimit
    }

    var waitingCount: Int { waiting.count }

    /// Takes a place, waiting for one if the queue has room.
    /// - Throws: `ServerError.busy(refusal)` when full, `CancellationError` when cancelled while waiting.
    func enter(refusal: String) async throws {
        if holders < capacity {
            holders += 1
            return
        }
        guard waiting.count < queueLimit else { throw ServerError.busy(refusal) }
        nextID += 1
        let id = nextID
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                waiting.append((id, continuation))
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    /// Gives the place back: to the first waiter, else to the pool.
    func leave() {
        if waiting.isEmpty {
            holders -= 1
        } else {
            waiting.removeFirst().continuation.resume()
        }
    }

    private func cancel(_ id: UInt64) {
        guard let index = waiting.firstIndex(where: { $0.id == id }) else { return }
        waiting.remove(at: index).continuation.resume(throwing: CancellationError())
    }
}
