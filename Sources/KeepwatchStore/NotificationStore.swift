import KeepwatchCore

/// What notifications persist: channels made through the API (sealed whole with the node key), the outbox (every
/// message from queueing to its end), silences, and the open problems reminders repeat.
public protocol NotificationStore: Sendable {
    func channels() async throws -> [ChannelDefinition]
    /// Inserts or replaces the channel of that name.
    func saveChannel(_ channel: ChannelDefinition) async throws
    func deleteChannel(name: String) async throws -> Bool

    /// Stores a new entry; returns it with its id.
    func insertOutbox(_ entry: OutboxEntry) async throws -> OutboxEntry
    func updateOutbox(_ entry: OutboxEntry) async throws
    /// Queued entries, oldest first.
    func queuedOutbox() async throws -> [OutboxEntry]
    /// The newest entries, any state, newest first.
    func recentOutbox(limit: Int) async throws -> [OutboxEntry]
    /// Drops sent and failed entries older than the time.
    func pruneOutbox(before: Int64) async throws

    func silences() async throws -> [Silence]
    func saveSilence(_ silence: Silence) async throws
    func deleteSilence(id: String) async throws -> Bool

    func problems() async throws -> [OpenProblem]
    func saveProblem(_ problem: OpenProblem) async throws
    func deleteProblem(channel: String, key: String) async throws
}
