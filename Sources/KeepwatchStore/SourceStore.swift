import KeepwatchCore

/// The sources the hub watches. Passwords and tokens are sealed with the node key before they are written.
public protocol SourceStore: Sendable {
    /// Oldest first.
    func sources() async throws -> [SourceDefinition]
    /// Fails with `StoreError.duplicate` when the xid, or another source's URL with the same kind, is taken.
    func insertSource(_ source: SourceDefinition) async throws
    /// Fails with `StoreError.notFound` when there is no such xid, `StoreError.duplicate` when the URL is another's.
    func updateSource(_ source: SourceDefinition) async throws
    /// Whether a source was removed.
    func deleteSource(xid: String) async throws -> Bool
}
