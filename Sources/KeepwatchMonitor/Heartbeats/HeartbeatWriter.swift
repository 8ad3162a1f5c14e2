import Dispatch
import Foundation
import KeepwatchStore
import Synchronization

/// Group commit: changes queued while a write is in flight go to the store together in the next transaction, and
/// each caller hears back only once its change is stored. Thousands of pings a second cost a few transactions.
///
/// Changes are queued with `submit`, synchronously, from inside the heartbeat service's isolation, so the queue's
/// order is the order the changes were made in: a check's newer state is never stored before an older one.
///
/// The writes run on a thread of their own, synchronously (`HeartbeatBatchSink`): a ping then costs one wake-up of
/// that thread at most, not a trip through a thread pool per statement.
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
        /// The thread waits for `wake` (and must be signalled to see new work).
        var idle = false
        var finishing = false
    }

    private final class Shared: Sendable {
        let state = Mutex(State())
        let wake = DispatchSemaphore(value: 0)
        let stopped = DispatchSemaphore(value: 0)
    }

    private let shared = Shared()

    /// `open` is called on the writer's thread; when it fails, every change fails with its error.
    init(open: @escaping @Sendable () throws -> any HeartbeatBatchSink) {
        let shared = shared
        let thread = Thread {
            let sink = Result { try open() }
            Self.run(shared, sink: sink)
            if case .success(let sink) = sink { sink.close() }
            shared.stopped.signal()
        }
        thread.name = "keepwatch-heartbeat-writer"
        thread.start()
    }

    private static func run(_ shared: Shared, sink: Result<any HeartbeatBatchSink, any Error>) {
        while true {
            let work = shared.state.withLock { current -> (HeartbeatBatch, [Int], Bool)? in
                if current.queued.isEmpty && current.batch.isEmpty {
                    if current.finishing { return (HeartbeatBatch(), [], true) }
                    current.idle = true
                    return nil
                }
                defer {
                    current.batch = HeartbeatBatch()
                    current.queued = []
                }
                return (current.batch, current.queued, false)
            }
            guard let (batch, tickets, done) = work else {
                shared.wake.wait()
                continue
            }
            if done { return }
            let outcome = Result<Void, any Error> { try sink.get().save(batch) }
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

    /// Queues the change (call it where the change was made, without suspending in between).
    func submit(_ batch: HeartbeatBatch) -> Ticket {
        let (ticket, wake) = shared.state.withLock { current -> (Int, Bool) in
            current.batch.merge(batch)
            current.next += 1
            current.queued.append(current.next)
            return (current.next, Self.takeIdle(&current))
        }
        if wake { shared.wake.signal() }
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
        let wake = shared.state.withLock { current -> Bool in
            current.batch.merge(batch)
            return Self.takeIdle(&current)
        }
        if wake { shared.wake.signal() }
    }

    /// Writes what is queued and stops.
    func finish() async {
        let wake = shared.state.withLock { current -> Bool in
            current.finishing = true
            return Self.takeIdle(&current)
        }
        if wake { shared.wake.signal() }
        let stopped = shared.stopped
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                stopped.wait()
                stopped.signal()
                continuation.resume()
            }
        }
    }

    /// Whether the thread sleeps and must be woken; it is awake from here on.
    private static func takeIdle(_ state: inout State) -> Bool {
        defer { state.idle = false }
        return state.idle
    }
}
