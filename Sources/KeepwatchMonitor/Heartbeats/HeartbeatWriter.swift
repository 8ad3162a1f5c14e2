import KeepwatchStore
import Synchronization

/// Group commit: changes queued while a write is in flight go to the store together in the next transaction, and
/// each caller hears back only once its change is stored. Thousands of pings a second cost a few transactions.
///
/// Changes are queued with `submit`, synchronously, from inside the heartbeat service's isolation, so the queue's
/// order is the order the changes were made in: a check's newer state is never stored before an older one.
final class HeartbeatWriter: Sendable {
    /// A queued change, to wait for.
    struct Ticket: Sendable, Hashable {
        fileprivate let number: Int
    }

    private struct State {
        var batch = HeartbeatBatch()
        var queued: [Int] = []
        var next = 0
        var waiting: [Int: CheckedContinuation<Void, any Error>] = [:]
        /// Outcomes of tickets stored before anyone waited for them.
        var finished: [Int: Result<Void, any Error>] = [:]
    }

    private final class Shared: Sendable {
        let state = Mutex(State())
    }

    private let store: any HeartbeatStore
    private let shared = Shared()
    private let wake: AsyncStream<Void>.Continuation
    private let loop: Task<Void, Never>

    init(store: any HeartbeatStore) {
        self.store = store
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        wake = continuation
        loop = Task { [shared] in
            for await _ in stream {
                let (batch, tickets) = shared.state.withLock { current -> (HeartbeatBatch, [Int]) in
                    defer {
                        current.batch = HeartbeatBatch()
                        current.queued = []
                    }
                    return (current.batch, current.queued)
                }
                guard !tickets.isEmpty || !batch.isEmpty else { continue }
                let outcome: Result<Void, any Error>
                do {
                    try await store.saveHeartbeats(batch)
                    outcome = .success(())
                } catch {
                    outcome = .failure(error)
                }
                let ready = shared.state.withLock { current -> [CheckedContinuation<Void, any Error>] in
                    tickets.compactMap { ticket in
                        guard let waiter = current.waiting.removeValue(forKey: ticket) else {
                            current.finished[ticket] = outcome
                            return nil
                        }
                        return waiter
                    }
                }
                for waiter in ready { waiter.resume(with: outcome) }
            }
        }
    }

    /// Queues the change (call it where the change was made, without suspending in between).
    func submit(_ batch: HeartbeatBatch) -> Ticket {
        let ticket = shared.state.withLock { current -> Int in
            current.batch.merge(batch)
            current.next += 1
            current.queued.append(current.next)
            return current.next
        }
        wake.yield()
        return Ticket(number: ticket)
    }

    /// Returns once the change is in the store (or throws what the store said).
    func wait(_ ticket: Ticket) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let done = shared.state.withLock { current -> Result<Void, any Error>? in
                if let outcome = current.finished.removeValue(forKey: ticket.number) { return outcome }
                current.waiting[ticket.number] = continuation
                return nil
            }
            if let done { continuation.resume(with: done) }
        }
    }

    /// Queues the change without waiting for it (the sweeper's timeouts, which nobody awaits).
    func enqueue(_ batch: HeartbeatBatch) {
        shared.state.withLock { $0.batch.merge(batch) }
        wake.yield()
    }

    /// Writes what is queued and stops.
    func finish() async {
        wake.finish()
        await loop.value
    }
}
