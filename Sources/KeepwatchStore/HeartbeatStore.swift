import KeepwatchCore

/// What heartbeat checks persist: their documents, their last pings, their flips, in batches that are written
/// whole or not at all (a batch is what a burst of pings changed).
public protocol HeartbeatStore: Sendable {
    func heartbeatChecks() async throws -> [(check: HeartbeatCheck, badgeKey: String)]
    /// Opens what the heartbeat writer saves its batches to, from its own thread.
    func heartbeatBatchSink() throws -> any HeartbeatBatchSink
    /// Newest first.
    func heartbeatPings(uuid: String, limit: Int) async throws -> [HeartbeatPing]
    func heartbeatPing(uuid: String, number: Int64) async throws -> HeartbeatPing?
    /// Newest first, created in [start, end) when given.
    func heartbeatFlips(uuid: String, start: Int64?, end: Int64?) async throws -> [HeartbeatFlip]

    func insertMonitorAPIKey(_ key: MonitorAPIKey, secretHash: String) async throws
    func monitorAPIKey(secretHash: String) async throws -> MonitorAPIKey?
    func monitorAPIKeys() async throws -> [MonitorAPIKey]
    /// Whether a key was revoked.
    func revokeMonitorAPIKey(id: String, at: Int64) async throws -> Bool

    func setting(_ key: String) async throws -> String?
    func setSetting(_ key: String, _ value: String) async throws
}

/// Where the heartbeat writer's batches go: synchronous, used by the writer's thread alone.
public protocol HeartbeatBatchSink: Sendable {
    /// All of `batch` in one transaction, or nothing of it.
    func save(_ batch: HeartbeatBatch) throws
    func close()
}

/// Everything one burst of pings (or one API call) changed.
public struct HeartbeatBatch: Sendable {
    public var checks: [(check: HeartbeatCheck, badgeKey: String)] = []
    public var deleted: [String] = []
    public var pings: [(uuid: String, ping: HeartbeatPing)] = []
    public var flips: [(uuid: String, flip: HeartbeatFlip)] = []
    /// Pings at or below the number are dropped (each check keeps its last 100).
    public var prune: [(uuid: String, upTo: Int64)] = []

    public init() {}

    public var isEmpty: Bool { checks.isEmpty && deleted.isEmpty && pings.isEmpty && flips.isEmpty && prune.isEmpty }

    public mutating func merge(_ other: HeartbeatBatch) {
        checks += other.checks
        deleted += other.deleted
        pings += other.pings
        flips += other.flips
        prune += other.prune
    }
}

/// A key for the Healthchecks management API: read-write (`hcw_…`) or read-only (`hcr_…`).
public struct MonitorAPIKey: Sendable, Equatable {
    public var keyID: String
    public var name: String
    public var readOnly: Bool
    public var createdAt: Int64
    public var revokedAt: Int64?

    public init(keyID: String, name: String, readOnly: Bool, createdAt: Int64, revokedAt: Int64? = nil) {
        self.keyID = keyID
        self.name = name
        self.readOnly = readOnly
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}
