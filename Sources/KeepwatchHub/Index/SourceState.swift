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
    public var snapshot = SourceSnapshot()
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
