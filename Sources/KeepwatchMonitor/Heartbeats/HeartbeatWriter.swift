import KeepwatchStore
import Synchronization

/// Group commit: changes queued while a write is in flight go to the store together in the next transaction, and
/// each caller hears back only once its change is stored. Thousands of pings a second cost a few transactions.
final class HeartbeatWriter: Sendable {
    private struct Pending {
        var batch = HeartbeatBatch()
        var waiting: [CheckedContinuation<Void, any Error>] = []
    }

    private final class Queue: Sendable {
        let pending = Mutex(Pending())
    }

    private let store: any HeartbeatStore
    private let queue = Queue()
    private let wake: AsyncStream<Void>.Continuation
    private let loop: Task<Void, Never>

    init(store: any HeartbeatStore) {
        self.store = store
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        wake = continuation
        loop = Task { [queue] in
            for await _ in stream {
                let taken = queue.pending.withLock { state -> Pending in
                    defer { state = Pending() }
                    return state
                }
                guard !taken.waiting.isEmpty || !taken.batch.isEmpty else { continue }
                do {
                    try await store.saveHeartbeats(taken.batch)
                    for waiter in taken.waiting { waiter.resume() }
                } catch {
                    for waiter in taken.waiting { waiter.resume(throwing: error) }
                }
            }
        }
    }

    /// Queues the change; returns once it is in the store (or throws what the store said).
    func write(_ batch: HeartbeatBatch) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            queue.pending.withLock { state in
                state.batch.merge(batch)
                state.waiting.append(continuation)
            }
            wake.yield()
        }
    }

    /// Queues the change without waiting for it (the sweeper's timeouts, which nobody awaits).
    func enqueue(_ batch: HeartbeatBatch) {
        queue.pending.withLock { $0.batch.merge(batch) }
        wake.yield()
    }

    /// Writes what is queued and stops.
    func finish() async {
        wake.finish()
        await loop.value
    }
}
