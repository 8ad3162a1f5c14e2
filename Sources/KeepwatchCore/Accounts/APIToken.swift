/// A bearer token for scripts, Prometheus and other nodes. Only the SHA-256 of its secret is stored;
/// the secret (`kw_…`) is shown once, when it is created.
public struct APIToken: Sendable, Hashable, Codable {
    public var tokenID: String
    public var name: String
    public var role: Role
    public var createdAt: Int64
    public var expiresAt: Int64?
    public var revokedAt: Int64?
    public var lastUsedAt: Int64?

    public init(tokenID: String, name: String, role: Role, createdAt: Int64, expiresAt: Int64? = nil,
                revokedAt: Int64? = nil, lastUsedAt: Int64? = nil) {
        self.tokenID = tokenID
        self.name = name
        self.role = role
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.lastUsedAt = lastUsedAt
    }

    public enum CodingKeys: String, CodingKey {
        case tokenID = "token_id", name, role, createdAt = "created_at", expiresAt = "expires_at"
        case revokedAt = "revoked_at", lastUsedAt = "last_used_at"
    }

    /// Why the token cannot be used at `now`, or nil when it can.
    public func refusal(at now: Int64) -> String? {
        if revokedAt != nil { return "token \(tokenID) was revoked" }
        if let expiresAt, expiresAt <= now { return "token \(tokenID) has expired" }
        return nil
    }
}
