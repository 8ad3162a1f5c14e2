import KeepwatchCore

/// Users, sessions, API tokens and the audit trail. Secrets are stored only as hashes.
public protocol AccountStore: Sendable {
    func users() async throws -> [UserAccount]
    func user(_ username: String) async throws -> UserAccount?
    func userCount() async throws -> Int
    /// Fails with `StoreError.duplicate` when the name is taken.
    func insertUser(_ user: UserAccount) async throws
    /// Inserts the user only while there is no user at all, atomically; whether it was inserted.
    func insertFirstUser(_ user: UserAccount) async throws -> Bool
    /// Fails with `StoreError.notFound` when there is no such user.
    func updateUser(_ user: UserAccount) async throws
    /// Removes the user and every session of theirs; whether the user existed.
    func deleteUser(_ username: String) async throws -> Bool

    func insertSession(_ session: SessionRecord) async throws
    func session(idHash: String) async throws -> SessionRecord?
    func touchSession(idHash: String, at: Int64) async throws
    func deleteSession(idHash: String) async throws
    func deleteSessions(username: String) async throws
    /// Removes the user's sessions except the one with `keep` as its hash.
    func deleteSessions(username: String, except keep: String?) async throws
    /// Removes sessions last used before `before`; the ones removed.
    func deleteSessions(lastActiveBefore before: Int64) async throws -> [SessionRecord]

    func insertToken(_ token: APIToken, secretHash: String) async throws
    func token(secretHash: String) async throws -> APIToken?
    func token(id: String) async throws -> APIToken?
    func tokens() async throws -> [APIToken]
    func updateToken(_ token: APIToken) async throws

    func appendAudit(_ entry: AuditEntry) async throws
    /// Newest first.
    func auditEntries(limit: Int) async throws -> [AuditEntry]
}
