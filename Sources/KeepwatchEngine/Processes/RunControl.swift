#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The stop switch of one run: every child process group the run starts is registered here, so that an
/// abort, a timeout or a shutdown can signal them all (SIGTERM, then SIGKILL after a grace period).
public final class RunControl: Sendable {
    public enum StopReason: Equatable, Sendable, CustomStringConvertible {
        case aborted
        case timedOut(seconds: Int)
        case shutdown

        public var description: String {
            switch self {
            case .aborted: return "aborted on request"
            case .timedOut(let seconds): return "timed out after \(seconds)s"
            case .shutdown: return "aborted: the node is shutting down"
            }
        }
    }

    private struct State {
        var groups: Set<pid_t> = []
        var reason: StopReason?
    }

    private let state = Mutex(State())
    /// Seconds between SIGTERM and SIGKILL.
    public let gracePeriod: Double

    public init(gracePeriod: Double = 2) {
        self.gracePeriod = gracePeriod
    }

    public var stopReason: StopReason? { state.withLock { $0.reason } }
    public var isStopped: Bool { stopReason != nil }

    /// Records a started process group; if the run was already stopped, the group is killed at once.
    func register(_ group: pid_t) {
        let stopped = state.withLock { state -> Bool in
            state.groups.insert(group)
            return state.reason != nil
        }
        if stopped { kill(-group, SIGKILL) }
    }

    func unregister(_ group: pid_t) {
        _ = state.withLock { $0.groups.remove(group) }
    }

    /// Stops the run: SIGTERM to every registered group now, SIGKILL to those still registered after the grace period.
    public func stop(_ reason: StopReason) {
        let groups = state.withLock { state -> Set<pid_t> in
            if state.reason == nil { state.reason = reason }
            return state.groups
        }
        for group in groups { kill(-group, SIGTERM) }
        let grace = gracePeriod
        Task.detached { [weak self] in
            try? await Task.sleep(nanoseconds: UInt64(grace * 1_000_000_000))
            let remaining = self?.state.withLock { $0.groups } ?? []
            for group in remaining { kill(-group, SIGKILL) }
        }
    }

    /// Sleeps up to `seconds`, returning early (false) when the run is stopped.
    func pause(seconds: Int) async -> Bool {
        var left = seconds * 10
        while left > 0 {
            if isStopped { return false }
            try? await Task.sleep(nanoseconds: 100_000_000)
            left -= 1
        }
        return !isStopped
    }
}
