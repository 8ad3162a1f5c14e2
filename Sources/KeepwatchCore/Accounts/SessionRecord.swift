/// A signed-in browser or client. The cookie carries a random id; the store keeps only its SHA-256.
public struct SessionRecord: Sendable, Hashable {
    public var idHash: String
    public var username: String
    public var createdAt: Int64
    public var lastActiveAt: Int64
    public var source: String

    public init(idHash: String, username: String, createdAt: Int64, lastActiveAt: Int64, source: String) {
        self.idHash = idHash
        self.username = username
        self.createdAt = createdAt
        self.lastActiveAt = lastActiveAt
        self.source = source
    }

    /// Idle sessions end: `ttl` seconds after the last request that used them.
    public func isIdle(at now: Int64, ttl: Int64) -> Bool { now - lastActiveAt >= ttl }
}
