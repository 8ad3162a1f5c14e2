import Foundation
import KeepwatchCore
import KeepwatchEngine
import KeepwatchStore
import Logging
import Testing

/// The account service over a real SQLite store: sign-in rules, sessions, tokens, first start.
@Suite struct AccountServiceTests {
    func withAccounts(ttl: Int64 = 3600, _ body: (AccountService, SQLStore) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteStore.open(path: directory.file("keepwatch.sqlite"))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        do {
            try await body(AccountService(store: store, sessionTTL: ttl, throttle: LoginThrottle(limit: 3, window: 60), logger: logger), store)
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
    }

    @Test func firstStartMakesOneAdmin() async throws {
        try await withAccounts { accounts, store in
            let password = try #require(try await accounts.createFirstAdminIfNeeded())
            #expect(try await accounts.createFirstAdminIfNeeded() == nil)
            #expect(try await store.user("admin")?.role == .admin)
            guard case .signedIn(let user, let sid) = try await accounts.login(username: "admin", password: password, source: "a") else {
                Issue.record("admin cannot sign in")
                return
            }
            #expect(user.username == "admin")
            let resolved = try await accounts.signedInUser(sessionID: sid, source: "a")
            #expect(resolved?.1.role == .admin && resolved?.1.isSession == true)
            #expect(try await accounts.signedInUser(sessionID: sid + "x", source: "a") == nil)
            #expect(try await accounts.logout(sessionID: sid, source: "a") == "admin")
            #expect(try await accounts.signedInUser(sessionID: sid, source: "a") == nil)
        }
    }

    @Test func throttleRefusesAfterTheLimitEvenWithTheRightPassword() async throws {
        try await withAccounts { accounts, _ in
            try await accounts.addUser("ann", password: "ann-password", role: .viewer)
            for _ in 0..<3 {
                guard case .denied = try await accounts.login(username: "ann", password: "nope", source: "10.0.0.1") else {
                    Issue.record("wrong password accepted")
                    return
                }
            }
            guard case .throttled(let wait) = try await accounts.login(username: "ann", password: "ann-password", source: "10.0.0.1") else {
                Issue.record("not throttled")
                return
            }
            #expect(wait > 0 && wait <= 60)
            guard case .signedIn = try await accounts.login(username: "ann", password: "ann-password", source: "10.0.0.2") else {
                Issue.record("another address is throttled too")
                return
            }
        }
    }

    @Test func idleSessionsEnd() async throws {
        try await withAccounts(ttl: 1) { accounts, store in
            try await accounts.addUser("ann", password: "ann-password", role: .operator)
            guard case .signedIn(_, let sid) = try await accounts.login(username: "ann", password: "ann-password", source: "a") else { return }
            try await store.touchSession(idHash: Secrets.digest(sid), at: Int64(Date().timeIntervalSince1970) - 5)
            #expect(try await accounts.signedInUser(sessionID: sid, source: "a") == nil)
            #expect(try await store.session(idHash: Secrets.digest(sid)) == nil, "the expired session is removed")
        }
    }

    @Test func tokensCarryTheirRoleUntilRevokedOrExpired() async throws {
        try await withAccounts { accounts, store in
            let (token, secret) = try await accounts.createToken(name: "prom", role: .viewer, expiresIn: nil)
            #expect(secret.hasPrefix("kw_") && token.tokenID.hasPrefix("tok_"))
            #expect(try await store.token(secretHash: Secrets.digest(secret)) != nil)
            guard case .valid(let principal) = try await accounts.check(bearer: secret) else {
                Issue.record("token refused")
                return
            }
            #expect(principal.role == .viewer && !principal.isSession)
            guard case .refused = try await accounts.check(bearer: "kw_unknown") else { Issue.record("unknown token accepted"); return }
            guard case .refused = try await accounts.check(bearer: String(secret.dropFirst(3))) else { Issue.record("prefix-less accepted"); return }
            _ = try await accounts.revokeToken(token.tokenID)
            guard case .refused(let reason) = try await accounts.check(bearer: secret) else { Issue.record("revoked token accepted"); return }
            #expect(reason.contains("revoked"))
            await #expect(throws: AccountError.notFound("token tok_none")) { try await accounts.revokeToken("tok_none") }
        }
    }

    @Test func registrationOnlyWhileEmptyAndProfilesValidate() async throws {
        try await withAccounts { accounts, _ in
            let first = try await accounts.register("root", password: "root-password", profile: .init(email: "r@example.com"), source: "a")
            #expect(first.role == .admin)
            await #expect(throws: AccountError.exists("Admin user")) {
                try await accounts.register("eve", password: "eve-password", profile: .init(), source: "a")
            }
            await #expect(throws: AccountError.self) { try await accounts.updateProfile("root", .init(email: "not-an-address")) }
            #expect(try await accounts.changePassword("root", old: "wrong", new: "root-password-2", source: "a") == .wrongOldPassword)
            #expect(try await accounts.changePassword("root", old: "root-password", new: "root-password-2", source: "a") == .changed)
        }
    }
}
