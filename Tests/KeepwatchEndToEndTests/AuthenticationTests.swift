import Foundation
import Testing

/// cmon-proxy's `/proxy/auth/*` on a real node: sign-in, sessions, throttling, registration, profile and password.
@Suite(.serialized) struct AuthenticationTests {
    static var authenticationRequired: NSDictionary { [
        "request_created": "", "request_processed": "", "request_status": "AuthRequired", "error_string": "authentication is required",
    ] }

    @Test func everyRouteButHealthNeedsCredentials() async throws {
        let node = try NodeProcess()
        try await node.start()
        #expect(try await node.get("/healthz", credentials: .none).status == 200)
        for path in ["/api/v1/jobs", "/api/v1/runs", "/api/v1/backups", "/status", "/metrics", "/version", "/api/v1/audit", "/nowhere"] {
            let reply = try await node.get(path, credentials: .none)
            #expect(reply.status == 401, "\(path)")
            #expect(NSDictionary(dictionary: reply.object) == Self.authenticationRequired, "\(path): \(reply.body)")
        }
        let post = try await node.request(.POST, "/backup/x", credentials: .none)
        #expect(post.status == 401)
        let garbage = try await node.get("/api/v1/jobs", credentials: .bearer("not-a-token"))
        #expect(garbage.status == 401)
        await node.stop()
    }

    @Test func loginCheckLogoutWithAuditTrail() async throws {
        let node = try NodeProcess()
        try await node.start()
        let password = try #require(node.firstAdminPassword, "no first admin password in \(node.log)")
        let (login, sid) = try await node.login("admin", password)
        #expect(login.status == 200, "\(login.body)")
        #expect(login.object["request_status"] as? String == "Ok")
        #expect(login.object["request_created"] as? String == "")
        #expect((login.object["request_processed"] as? String)?.hasPrefix("20") == true)
        #expect(login.object["error_string"] == nil)
        let user = try #require(login.object["user"] as? [String: Any])
        #expect(user["username"] as? String == "admin")
        #expect(user["role"] as? String == "admin")
        #expect(user["passwordhash"] == nil && user["suspended"] == nil && user["xid"] == nil)
        let cookie = try #require(login.headers["Set-Cookie"].first)
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"))
        #expect(!cookie.contains("Secure"), "Secure only under TLS: \(cookie)")
        let session = try #require(sid)

        let check = try await node.request(.POST, "/proxy/auth/check", json: [:], credentials: .cookie(session))
        #expect(check.status == 200)
        #expect((check.object["user"] as? [String: Any])?["username"] as? String == "admin")
        #expect(try await node.get("/api/v1/jobs", credentials: .cookie(session)).status == 200)

        let logout = try await node.request(.POST, "/proxy/auth/logout", json: [:], credentials: .cookie(session))
        #expect(logout.status == 200)
        #expect(NSDictionary(dictionary: logout.object) == ["request_created": "", "request_processed": "", "request_status": "Ok"])
        let after = try await node.get("/proxy/auth/check", credentials: .cookie(session))
        #expect(after.status == 401)
        #expect(after.object["request_status"] as? String == "AuthRequired")
        #expect(after.object["error_string"] as? String == "not authenticated")
        #expect(try await node.get("/api/v1/jobs", credentials: .cookie(session)).status == 401)

        let audit = try await node.get("/api/v1/audit").object["entries"] as? [[String: Any]] ?? []
        let actions = audit.map { "\($0["action"] as? String ?? "")/\($0["result"] as? String ?? "")/\($0["username"] as? String ?? "")" }
        #expect(actions.contains("login/ok/admin") && actions.contains("logout/ok/admin"), "\(actions)")
        let signIns = audit.filter { ["login", "logout"].contains($0["action"] as? String) }
        #expect(!signIns.isEmpty && signIns.allSatisfy { ($0["source"] as? String) == "127.0.0.1" })
        #expect(node.log.contains("msg=\"audit\" action=login result=ok source=127.0.0.1 user=admin"), "\(node.log)")
        await node.stop()
    }

    @Test func wrongPasswordsAreRefusedThenThrottled() async throws {
        let node = try NodeProcess()
        try await node.start()
        let password = try #require(node.firstAdminPassword)
        let unknown = try await node.login("nobody", "whatever-password")
        #expect(unknown.reply.status == 401)
        #expect(unknown.reply.object["request_status"] as? String == "AccessDenied")
        #expect(unknown.reply.object["error_string"] as? String == "User not found or wrong password")
        #expect(unknown.sid == nil)
        // The throttle counts per username at one address: ten wrong passwords for admin, then even the right one waits.
        for attempt in 1...10 {
            let wrong = try await node.login("admin", "wrong-\(attempt)")
            #expect(wrong.reply.status == 401)
            #expect(wrong.reply.object["error_string"] as? String == "User not found or wrong password")
        }
        let blocked = try await node.login("admin", password)
        #expect(blocked.reply.status == 429, "\(blocked.reply.body)")
        #expect(blocked.sid == nil)
        #expect(Int(blocked.reply.headers["Retry-After"].first ?? "") ?? 0 > 0)
        let audit = try await node.get("/api/v1/audit").object["entries"] as? [[String: Any]] ?? []
        #expect(audit.contains { $0["result"] as? String == "throttled" })
        #expect(audit.filter { $0["result"] as? String == "denied" }.count == 11)
        #expect(try await node.login("nobody", "whatever-password").reply.status == 401, "another username from the same address is not blocked")
        await node.stop()
    }

    @Test func suspendedUsersLoseTheirSessionsAndCannotSignIn() async throws {
        let node = try NodeProcess()
        try await node.start()
        #expect(try await node.admin(["adduser", "bob", "bob-password-1", "--role", "viewer"]).status == 0)
        let (signedIn, sid) = try await node.login("bob", "bob-password-1")
        #expect(signedIn.status == 200)
        let session = try #require(sid)
        #expect(try await node.get("/api/v1/jobs", credentials: .cookie(session)).status == 200)
        let suspend = try await node.admin(["suspend", "bob"])
        #expect(suspend.status == 0, "\(suspend.stderr)")
        #expect(try await node.get("/api/v1/jobs", credentials: .cookie(session)).status == 401)
        let refused = try await node.login("bob", "bob-password-1")
        #expect(refused.reply.status == 401)
        #expect(refused.reply.object["error_string"] as? String == "User not found or wrong password",
                "a suspended account answers like a wrong password, so the reply does not confirm the password")
        #expect(try await node.admin(["suspend", "bob", "--lift"]).status == 0)
        #expect(try await node.login("bob", "bob-password-1").reply.status == 200)
        await node.stop()
    }

    @Test func idleSessionsExpire() async throws {
        let node = try NodeProcess()
        try node.writeConfig("session_ttl: 2s\n")
        try await node.start()
        let (_, sid) = try await node.login("admin", try #require(node.firstAdminPassword))
        let session = try #require(sid)
        #expect(try await node.get("/proxy/auth/check", credentials: .cookie(session)).status == 200)
        try await Task.sleep(nanoseconds: 3_200_000_000)
        #expect(try await node.get("/proxy/auth/check", credentials: .cookie(session)).status == 401)
        #expect(try await node.get("/api/v1/jobs", credentials: .cookie(session)).status == 401)
        let audit = try await node.get("/api/v1/audit").object["entries"] as? [[String: Any]] ?? []
        #expect(audit.contains { $0["action"] as? String == "logout" && $0["result"] as? String == "expired" })
        await node.stop()
    }

    @Test func cmonNanosecondTTLIsRead() async throws {
        let node = try NodeProcess()
        try node.writeConfig("session_ttl: 3600000000000\n")
        try await node.start()
        let (_, sid) = try await node.login("admin", try #require(node.firstAdminPassword))
        #expect(try await node.get("/proxy/auth/check", credentials: .cookie(try #require(sid))).status == 200)
        await node.stop()
    }

    @Test func sessionsSurviveReloadAndRestart() async throws {
        let node = try NodeProcess()
        try await node.start()
        let (_, sid) = try await node.login("admin", try #require(node.firstAdminPassword))
        let session = try #require(sid)
        guard let process = node.process else { return }
        kill(process.processIdentifier, SIGHUP)
        let reloaded = try await node.eventually(5) { node.log.contains("SIGHUP received") }
        #expect(reloaded)
        #expect(try await node.get("/proxy/auth/check", credentials: .cookie(session)).status == 200)
        await node.stop()
        try await node.start()
        #expect(try await node.get("/proxy/auth/check", credentials: .cookie(session)).status == 200)
        #expect(try await node.get("/api/v1/jobs", credentials: .cookie(session)).status == 200)
        await node.stop()
    }

    @Test func registerWorksOnlyWhileNoUserExists() async throws {
        let node = try NodeProcess()
        try await node.start()
        let taken = try await node.request(.POST, "/proxy/auth/register", json: ["user": ["username": "eve", "password": "eve-password"]],
                                           credentials: .none)
        #expect(taken.status == 401)
        #expect(taken.object["request_status"] as? String == "AccessDenied")
        #expect(taken.object["error_string"] as? String == "Admin user already exists")
        let refused = try await node.admin(["dropuser", "admin"])
        #expect(refused.status != 0 && refused.stderr.contains("last active admin"), "\(refused.stderr)")
        _ = JobEngineTests.shell("sqlite3 -cmd '.timeout 5000' '\(node.dataPath)/keepwatch.sqlite' 'DELETE FROM users'")
        let short = try await node.request(.POST, "/proxy/auth/register", json: ["user": ["username": "root", "password": "x"]], credentials: .none)
        #expect(short.status == 400, "\(short.body)")
        let registered = try await node.request(.POST, "/proxy/auth/register",
                                                json: ["user": ["username": "root", "email": "root@example.com", "password": "root-password"]],
                                                credentials: .none)
        #expect(registered.status == 200, "\(registered.body)")
        #expect((registered.object["user"] as? [String: Any])?["password"] == nil)
        #expect(try await node.login("root", "root-password").reply.status == 200)
        let again = try await node.request(.POST, "/proxy/auth/register", json: ["user": ["username": "eve", "password": "eve-password"]],
                                           credentials: .none)
        #expect(again.status == 401)
        await node.stop()
    }

    @Test func updateAndSetPasswordAreSaved() async throws {
        let node = try NodeProcess()
        try await node.start()
        #expect(try await node.admin(["adduser", "dana", "dana-password", "--role", "operator"]).status == 0)
        let (_, sid) = try await node.login("dana", "dana-password")
        let session = NodeProcess.Credentials.cookie(try #require(sid))
        let update = try await node.request(.POST, "/proxy/auth/update",
                                            json: ["user": ["username": "dana", "email": "dana@example.com", "firstname": "Dana"]],
                                            credentials: session)
        #expect(update.status == 200, "\(update.body)")
        #expect((update.object["user"] as? [String: Any])?["email"] as? String == "dana@example.com")
        let escalate = try await node.request(.POST, "/proxy/auth/update",
                                              json: ["user": ["username": "dana", "email": "dana@example.com", "role": "admin", "admin": true,
                                                              "suspended": false, "passwordhash": "00:1:00"]],
                                              credentials: session)
        #expect(escalate.status == 200)
        #expect((escalate.object["user"] as? [String: Any])?["role"] as? String == "operator", "update cannot change the role")
        #expect(try await node.login("dana", "dana-password").reply.status == 200, "update cannot change the password")
        let other = try await node.request(.POST, "/proxy/auth/update", json: ["user": ["username": "admin", "email": "x@example.com"]],
                                           credentials: session)
        #expect(other.status == 401)
        #expect(other.object["error_string"] as? String == "wrong username")
        let badEmail = try await node.request(.POST, "/proxy/auth/update", json: ["user": ["username": "dana", "email": "nope"]],
                                              credentials: session)
        #expect(badEmail.status == 400)
        let listed = try await node.admin(["listusers", "--json"])
        #expect(listed.stdout.contains("dana@example.com"), "\(listed.stdout)")
        #expect(!listed.stdout.contains("passwordhash") && !listed.stdout.contains(":600000:"))

        let wrongOld = try await node.request(.POST, "/proxy/auth/setpassword",
                                              json: ["old_password": "nope-nope", "new_password": "dana-password-2"], credentials: session)
        #expect(wrongOld.status == 401)
        #expect(wrongOld.object["error_string"] as? String == "wrong old password")
        let weak = try await node.request(.POST, "/proxy/auth/setpassword",
                                          json: ["old_password": "dana-password", "new_password": "short"], credentials: session)
        #expect(weak.status == 400)
        let changed = try await node.request(.POST, "/proxy/auth/setpassword",
                                             json: ["old_password": "dana-password", "new_password": "dana-password-2"], credentials: session)
        #expect(changed.status == 200, "\(changed.body)")
        await node.stop()
        try await node.start()
        #expect(try await node.login("dana", "dana-password").reply.status == 401)
        #expect(try await node.login("dana", "dana-password-2").reply.status == 200)
        await node.stop()
    }

    @Test func malformedAndOversizedBodiesAreRefused() async throws {
        let node = try NodeProcess()
        try await node.start()
        let malformed = try await node.request(.POST, "/proxy/auth/login", rawBody: "{\"username\": ", credentials: .none)
        #expect(malformed.status == 400)
        #expect(malformed.object["type"] as? String == "InvalidRequest")
        #expect((malformed.object["message"] as? String)?.hasPrefix("Invalid request:") == true)
        let notObject = try await node.request(.POST, "/proxy/auth/login", rawBody: "[1,2]", credentials: .none)
        #expect(notObject.status == 400)
        let huge = String(repeating: "a", count: 2 << 20)
        let oversized = try await node.request(.POST, "/proxy/auth/login", rawBody: "{\"username\":\"\(huge)\"}", credentials: .none)
        #expect(oversized.status == 413)
        let oversizedJob = try await node.request(.POST, "/api/v1/jobs", rawBody: "{\"x\":\"\(huge)\"}")
        #expect(oversizedJob.status == 413)
        await node.stop()
    }
}
