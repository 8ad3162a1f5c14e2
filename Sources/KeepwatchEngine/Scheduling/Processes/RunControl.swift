#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
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
    /// Where started process groups are noted, so that a node restarted after a crash can kill leftovers.
    public let groupFile: String?

    public init(gracePeriod: Double = 2, groupFile: String? = nil) {
        self.gracePeriod = gracePeriod
        self.groupFile = groupFile
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
        if let groupFile { Self.note(group, in: groupFile) }
    }

    static func note(_ group: pid_t, in file: String) {
        guard let identity = ProcessIdentity.of(group) else { return }
        let descriptor = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return }
        let line = Array(ProcessIdentity.line(group: group, identity: identity).utf8)
        _ = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
    }

    /// Kills (SIGKILL) the process groups noted in `file` by a run that was cut off — only those still provably
    /// the ones the run started (see `ProcessIdentity`) — then removes the file. Returns the groups killed.
    public static func killLeftovers(noted file: String) -> [pid_t] {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return [] }
        let groups = text.split(separator: "\n").compactMap(ProcessIdentity.parse(line:))
            .filter { ProcessIdentity.isStillOurs($0.0, noted: $0.1) }.map(\.0)
        for group in groups { kill(-group, SIGKILL) }
        unlink(file)
        return groups
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
