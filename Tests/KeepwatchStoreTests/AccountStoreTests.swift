import Foundation
import KeepwatchCore
import KeepwatchStore
import Testing

/// Users, sessions, tokens and the audit trail on a real SQLite file.
@Suite struct AccountStoreTests {
    func withStore(_ body: (SQLStore) async throws -> Void) async throws {
        try await SQLiteStoreTests().withStore { store, _ in try await body(store) }
    }

    static func user(_ name: String, role: Role = .viewer) -> UserAccount {
        UserAccount(username: name, email: "\(name)@example.com", role: role, passwordHash: "00:1:00", createdAt: 1_700_000_000)
    }

    @Test func usersRoundTripAndRefuseDuplicates() async throws {
        try await withStore { store in
            #expect(try await store.userCount() == 0)
            try await store.insertUser(Self.user("ann", role: .admin))
            try await store.insertUser(Self.user("bob"))
            await #expect(throws: StoreError.duplicate("user ann")) { try await store.insertUser(Self.user("ann")) }
            #expect(try await store.userCount() == 2)
            var ann = try #require(try await store.user("ann"))
            #expect(ann == Self.user("ann", role: .admin))
            ann.suspended = true
            ann.firstName = "Ann"
            ann.email = nil
            try await store.updateUser(ann)
            #expect(try await store.user("ann") == ann)
            await #expect(throws: StoreError.notFound("user zed")) { try await store.updateUser(Self.user("zed")) }
            #expect(try await store.users().map(\.username) == ["ann", "bob"])
        }
    }

    @Test func droppingAUserEndsTheirSessions() async throws {
        try await withStore { store in
            try await store.insertUser(Self.user("ann"))
            try await store.insertSession(SessionRecord(idHash: "h1", username: "ann", createdAt: 10, lastActiveAt: 10, source: "127.0.0.1"))
            try await store.insertSession(SessionRecord(idHash: "h2", username: "other", createdAt: 10, lastActiveAt: 10, source: "::1"))
            try await store.touchSession(idHash: "h1", at: 50)
            #expect(try await store.session(idHash: "h1")?.lastActiveAt == 50)
            #expect(try await store.deleteUser("ann"))
            #expect(try await store.deleteUser("ann") == false)
            #expect(try await store.session(idHash: "h1") == nil)
            #expect(try await store.session(idHash: "h2") != nil)
            try await store.insertSession(SessionRecord(idHash: "h3", username: "other", createdAt: 10, lastActiveAt: 90, source: "::1"))
            #expect(try await store.deleteSessions(lastActiveBefore: 50).map(\.idHash) == ["h2"])
            #expect(try await store.session(idHash: "h2") == nil)
            #expect(try await store.session(idHash: "h3") != nil)
        }
    }

    @Test func tokensAreFoundByTheirHashOnly() async throws {
        try await withStore { store in
            let token = APIToken(tokenID: "tok_1", name: "prometheus", role: .viewer, createdAt: 100, expiresAt: 200)
            try await store.insertToken(token, secretHash: "abc")
            #expect(try await store.token(secretHash: "abc") == token)
            #expect(try await store.token(secretHash: "abd") == nil)
            var revoked = token
            revoked.revokedAt = 150
            revoked.lastUsedAt = 140
            try await store.updateToken(revoked)
            #expect(try await store.token(id: "tok_1") == revoked)
            #expect(try await store.tokens() == [revoked])
            #expect(revoked.refusal(at: 160) == "token tok_1 was revoked")
            #expect(token.refusal(at: 200) == "token tok_1 has expired")
            #expect(token.refusal(at: 199) == nil)
        }
    }

    @Test func auditIsInTheOrderEntriesWereWrittenNewestFirst() async throws {
        try await withStore { store in
            for (at, action) in [(1, "login"), (3, "logout"), (3, "setrole"), (2, "login")] {
                try await store.appendAudit(AuditEntry(at: Int64(at), action: action, username: "ann", source: "127.0.0.1", result: "ok"))
            }
            let entries = try await store.auditEntries(limit: 3)
            #expect(entries.map(\.action) == ["login", "setrole", "logout"], "by sequence, not by the second they carry")
            #expect(entries.first?.detail == nil)
        }
    }
}
