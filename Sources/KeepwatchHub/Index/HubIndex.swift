import KeepwatchCore
import Synchronization

/// What every view reads: each source's state, replaced whole when its refresh ends, so a view never waits on a
/// source and never sees half a refresh. Sources keep their order: the local node first, then oldest first.
public final class HubIndex: Sendable {
    struct Contents {
        var states: [String: SourceState] = [:] {
            didSet { ordered = nil }
        }
        var order: [String] = [] {
            didSet { ordered = nil }
        }
        /// `states` in `order`, kept until either changes (views read far more often than sources change).
        var ordered: [SourceState]?
    }

    private let contents = Mutex(Contents())

    public init() {}

    /// Every source, in order.
    public func states() -> [SourceState] {
        contents.withLock { contents in
            if let ordered = contents.ordered { return ordered }
            let ordered = contents.order.compactMap { contents.states[$0] }
            contents.ordered = ordered
            return ordered
        }
    }

    public func state(_ xid: String) -> SourceState? {
        contents.withLock { $0.states[xid] }
    }

    /// Adds a source, or replaces its definition (its data stays until the next refresh).
    public func put(_ definition: SourceDefinition) {
        contents.withLock { contents in
            if var state = contents.states[definition.xid] {
                state.definition = definition
                contents.states[definition.xid] = state
                return
            }
            contents.states[definition.xid] = SourceState(definition: definition)
            if definition.kind == .local { contents.order.insert(definition.xid, at: 0) } else { contents.order.append(definition.xid) }
        }
    }

    public func remove(_ xid: String) {
        contents.withLock { contents in
            contents.states[xid] = nil
            contents.order.removeAll { $0 == xid }
        }
    }

    /// Applies a refresh's outcome, only while the source still has the definition the refresh used: a source removed
    /// or changed during its refresh does not come back with old data.
    /// Returns the status before and after, or nil when the outcome was dropped.
    @discardableResult
    func record(_ xid: String, definition: SourceDefinition, _ change: (inout SourceState) -> Void)
        -> (before: SourceState.Status, after: SourceState.Status, first: Bool)? {
        contents.withLock { contents in
            guard var state = contents.states[xid], state.definition == definition else { return nil }
            let before = state.status
            let first = state.lastUpdated == nil
            change(&state)
            contents.states[xid] = state
            return (before, state.status, first)
        }
    }
}
