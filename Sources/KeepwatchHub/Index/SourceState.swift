import KeepwatchCore

/// A source as the hub knows it now: its definition, how its last refresh went, and the last good data.
public struct SourceState: Sendable {
    public enum Status: String, Sendable {
        case ok
        case failed
        case authenticationError = "authentication-error"
    }

    public var definition: SourceDefinition
    public var status: Status = .failed
    public var statusMessage = "not refreshed yet"
    /// Unix seconds of the last refresh that finished (either way), and of the last that succeeded.
    public var lastUpdated: Int64?
    public var lastSeen: Int64?
    public var snapshot = SourceSnapshot() {
        didSet { columns = HubColumns() }
    }
    /// What the lists have read from this snapshot (`ListQuery`'s columns), built as requests need them.
    public private(set) var columns = HubColumns()
    /// Refreshes failed in a row.
    public var failures = 0

    public init(definition: SourceDefinition) {
        self.definition = definition
    }

    public var xid: String { definition.xid }

    /// What the items of this source carry as `controller_id`.
    public var ref: SourceRef {
        SourceRef(xid: definition.xid, controllerID: snapshot.controllerID, url: definition.url, kind: definition.kind)
    }
}

/// How one read of a source ended: its new data, or why it failed (with, for Ethoscope, what its daemons say now).
public enum RefreshOutcome: Sendable {
    case success(SourceSnapshot)
    case failure(SourceFailure, replacing: SourceSnapshot?)
}

extension SourceState {
    /// A read's outcome, as the index keeps it: a failure keeps the last good data; only what the remote says about
    /// itself now (Ethoscope's daemon envelopes) replaces the old.
    mutating func apply(_ outcome: RefreshOutcome, at now: Int64) {
        lastUpdated = now
        switch outcome {
        case .success(let fresh):
            snapshot = fresh
            status = .ok
            statusMessage = fresh.warning ?? ""
            lastSeen = now
            failures = 0
        case .failure(let failure, let replacement):
            if let replacement { snapshot.daemonBodies = replacement.daemonBodies }
            status = failure.kind == .authenticationError ? .authenticationError : .failed
            statusMessage = failure.message
            failures += 1
        }
    }
}
