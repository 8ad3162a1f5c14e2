import Foundation
import KeepwatchCore
import SQLKit

extension SQLStore: AccountStore {
    // MARK: users

    public func users() async throws -> [UserAccount] {
        try await database.raw("SELECT * FROM users ORDER BY username").all().map(Self.user)
    }

    public func user(_ username: String) async throws -> UserAccount? {
        try await database.raw("SELECT * FROM users WHERE username = \(bind: username)").first().map(Self.user)
    }

    public func userCount() async throws -> Int {
        try await database.raw("SELECT COUNT(*) AS n FROM users").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    public func insertUser(_ user: UserAccount) async throws {
        if try await self.user(user.username) != nil { throw StoreError.duplicate("user \(user.username)") }
        try await database.raw("""
            INSERT INTO users (username, email, first_name, last_name, role, suspended, password_hash, created_at, updated_at)
            VALUES (\(bind: user.username), \(bind: user.email), \(bind: user.firstName), \(bind: user.lastName),
                    \(bind: user.role.rawValue), \(bind: user.suspended ? 1 : 0), \(bind: user.passwordHash),
                    \(bind: user.createdAt), \(bind: user.updatedAt))
            """).run()
    }

    public func insertFirstUser(_ user: UserAccount) async throws -> Bool {
        let before = try await userCount()
        guard before == 0 else { return false }
        try await database.raw("""
            INSERT INTO users (username, email, first_name, last_name, role, suspended, password_hash, created_at, updated_at)
            SELECT \(bind: user.username), \(bind: user.email), \(bind: user.firstName), \(bind: user.lastName),
                   \(bind: user.role.rawValue), \(bind: user.suspended ? 1 : 0), \(bind: user.passwordHash),
                   \(bind: user.createdAt), \(bind: user.updatedAt)
            WHERE NOT EXISTS (SELECT 1 FROM users)
            """).run()
        guard let stored = try await self.user(user.username) else { return false }
        return try await userCount() == 1 && stored.passwordHash == user.passwordHash
    }

    public func updateUser(_ user: UserAccount) async throws {
        guard try await self.user(user.username) != nil else { throw StoreError.notFound("user \(user.username)") }
        try await database.raw("""
            UPDATE users SET email = \(bind: user.email), first_name = \(bind: user.firstName), last_name = \(bind: user.lastName),
                role = \(bind: user.role.rawValue), suspended = \(bind: user.suspended ? 1 : 0),
                password_hash = \(bind: user.passwordHash), updated_at = \(bind: user.updatedAt)
            WHERE username = \(bind: user.username)
            """).run()
    }

    public func deleteUser(_ username: String) async throws -> Bool {
        guard try await user(username) != nil else { return false }
        try await deleteSessions(username: username)
        try await database.raw("DELETE FROM users WHERE username = \(bind: username)").run()
        return true
    }

    // MARK: sessions

    public func insertSession(_ session: SessionRecord) async throws {
        try await database.raw("""
            INSERT INTO sessions (session_hash, username, created_at, last_active_at, source)
            VALUES (\(bind: session.idHash), \(bind: session.username), \(bind: session.createdAt), \(bind: session.lastActiveAt),
                    \(bind: session.source))
            """).run()
    }

    public func session(idHash: String) async throws -> SessionRecord? {
        try await database.raw("SELECT * FROM sessions WHERE session_hash = \(bind: idHash)").first().map(Self.session)
    }

    public func deleteSessions(lastActiveBefore before: Int64) async throws -> [SessionRecord] {
        let idle = try await database.raw("SELECT * FROM sessions WHERE last_active_at < \(bind: before)").all().map(Self.session)
        try await database.raw("DELETE FROM sessions WHERE last_active_at < \(bind: before)").run()
        return idle
    }

    public func touchSession(idHash: String, at: Int64) async throws {
        try await database.raw("UPDATE sessions SET last_active_at = \(bind: at) WHERE session_hash = \(bind: idHash)").run()
    }

    public func deleteSession(idHash: String) async throws {
        try await database.raw("DELETE FROM sessions WHERE session_hash = \(bind: idHash)").run()
    }

    public func deleteSessions(username: String) async throws {
        try await database.raw("DELETE FROM sessions WHERE username = \(bind: username)").run()
    }

    public func deleteSessions(username: String, except keep: String?) async throws {
        guard let keep else { return try await deleteSessions(username: username) }
        try await database.raw("DELETE FROM sessions WHERE username = \(bind: username) AND session_hash <> \(bind: keep)").run()
    }

    // MARK: tokens

    public func insertToken(_ token: APIToken, secretHash: String) async throws {
        try await database.raw("""
            INSERT INTO api_tokens (token_id, secret_hash, name, role, created_at, expires_at, revoked_at, last_used_at)
            VALUES (\(bind: token.tokenID), \(bind: secretHash), \(bind: token.name), \(bind: token.role.rawValue),
                    \(bind: token.createdAt), \(bind: token.expiresAt), \(bind: token.revokedAt), \(bind: token.lastUsedAt))
            """).run()
    }

    public func token(secretHash: String) async throws -> APIToken? {
        try await database.raw("SELECT * FROM api_tokens WHERE secret_hash = \(bind: secretHash)").first().map(Self.token)
    }

    public func token(id: String) async throws -> APIToken? {
        try await database.raw("SELECT * FROM api_tokens WHERE token_id = \(bind: id)").first().map(Self.token)
    }

    public func tokens() async throws -> [APIToken] {
        try await database.raw("SELECT * FROM api_tokens ORDER BY created_at, token_id").all().map(Self.token)
    }

    public func updateToken(_ token: APIToken) async throws {
        try await database.raw("""
            UPDATE api_tokens SET name = \(bind: token.name), role = \(bind: token.role.rawValue), expires_at = \(bind: token.expiresAt),
                revoked_at = \(bind: token.revokedAt), last_used_at = \(bind: token.lastUsedAt)
            WHERE token_id = \(bind: token.tokenID)
            """).run()
    }

    // MARK: audit

    public func appendAudit(_ entry: AuditEntry) async throws {
        let id = "\(entry.at)-\(UUID().uuidString.prefix(12).lowercased())"
        try await database.raw("""
            INSERT INTO audit_log (entry_id, at, action, username, source, result, detail, sequence)
            SELECT \(bind: id), \(bind: entry.at), \(bind: entry.action), \(bind: entry.username), \(bind: entry.source),
                   \(bind: entry.result), \(bind: entry.detail), COALESCE(MAX(sequence), 0) + 1 FROM audit_log
            """).run()
    }

    public func auditEntries(limit: Int) async throws -> [AuditEntry] {
        try await database.raw("SELECT * FROM audit_log ORDER BY COALESCE(sequence, 0) DESC, at DESC, entry_id DESC LIMIT \(bind: limit)").all().map { row in
            AuditEntry(at: try row.decode(column: "at", as: Int64.self), action: try row.decode(column: "action", as: String.self),
                       username: try row.decode(column: "username", as: String.self),
                       source: try row.decode(column: "source", as: String.self),
                       result: try row.decode(column: "result", as: String.self),
                       detail: try Self.optional(row, "detail", as: String.self))
        }
    }

    // MARK: rows

    static func optional<T: Decodable>(_ row: any SQLRow, _ column: String, as type: T.Type) throws -> T? {
        try row.decodeNil(column: column) ? nil : try row.decode(column: column, as: T.self)
    }

    static func role(_ row: any SQLRow) throws -> Role {
        let text = try row.decode(column: "role", as: String.self)
        guard let role = Role(rawValue: text) else { throw StoreError.corrupt("role '\(text)'") }
        return role
    }

    static func user(_ row: any SQLRow) throws -> UserAccount {
        UserAccount(username: try row.decode(column: "username", as: String.self),
                    email: try optional(row, "email", as: String.self),
                    firstName: try optional(row, "first_name", as: String.self),
                    lastName: try optional(row, "last_name", as: String.self),
                    role: try role(row),
                    suspended: try row.decode(column: "suspended", as: Int.self) != 0,
                    passwordHash: try row.decode(column: "password_hash", as: String.self),
                    createdAt: try row.decode(column: "created_at", as: Int64.self),
                    updatedAt: try row.decode(column: "updated_at", as: Int64.self))
    }

    static func session(_ row: any SQLRow) throws -> SessionRecord {
        SessionRecord(idHash: try row.decode(column: "session_hash", as: String.self),
                      username: try row.decode(column: "username", as: String.self),
                      createdAt: try row.decode(column: "created_at", as: Int64.self),
                      lastActiveAt: try row.decode(column: "last_active_at", as: Int64.self),
                      source: try row.decode(column: "source", as: String.self))
    }

    static func token(_ row: any SQLRow) throws -> APIToken {
        APIToken(tokenID: try row.decode(column: "token_id", as: String.self), name: try row.decode(column: "name", as: String.self),
                 role: try role(row), createdAt: try row.decode(column: "created_at", as: Int64.self),
                 expiresAt: try optional(row, "expires_at", as: Int64.self),
                 revokedAt: try optional(row, "revoked_at", as: Int64.self),
                 lastUsedAt: try optional(row, "last_used_at", as: Int64.self))
    }
}
