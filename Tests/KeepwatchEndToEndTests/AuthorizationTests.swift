import Foundation
import Testing

/// Roles, API tokens, the CSRF guard and `public_status` on a real node.
@Suite(.serialized) struct AuthorizationTests {
    static var job: [String: Any] {
        ["job_id": "sleepy", "job_actions": [["freezer_action": ["action": "exec", "command": ["sleep", "605"]]]],
         "job_schedule": ["status": "stop", "schedule_interval": "1 days"]]
    }

    @Test func rolesDecideWhatATokenMayDo() async throws {
        let node = try NodeProcess()
        try await node.start()
        let viewer = NodeProcess.Credentials.bearer(try await node.makeToken(role: "viewer"))
        let operatorToken = NodeProcess.Credentials.bearer(try await node.makeToken(role: "operator"))

        let viewerCreate = try await node.request(.POST, "/api/v1/jobs", json: Self.job, credentials: viewer)
        #expect(viewerCreate.status == 403)
        #expect(viewerCreate.object["request_status"] as? String == "AccessDenied")
        #expect(try await node.request(.POST, "/api/v1/jobs", json: Self.job, credentials: operatorToken).status == 403)
        #expect(try await node.request(.POST, "/api/v1/jobs", json: Self.job).status == 201)

        #expect(try await node.get("/api/v1/jobs", credentials: viewer).status == 200)
        #expect(try await node.get("/status", credentials: viewer).status == 200)
        #expect(try await node.get("/metrics", credentials: viewer).status == 200)
        #expect(try await node.get("/api/v1/audit", credentials: viewer).status == 403)
        #expect(try await node.get("/api/v1/audit", credentials: operatorToken).status == 403)

        let viewerStart = try await node.request(.POST, "/api/v1/jobs/sleepy/event", json: ["event": "start"], credentials: viewer)
        #expect(viewerStart.status == 403)
        #expect(try await node.request(.POST, "/backup/sleepy", credentials: viewer).status == 403)
        let started = try await node.request(.POST, "/api/v1/jobs/sleepy/event", json: ["event": "start"], credentials: operatorToken)
        #expect(started.status == 202, "\(started.body)")
        let aborted = try await node.request(.POST, "/api/v1/jobs/sleepy/event", json: ["event": "abort"], credentials: operatorToken)
        #expect(aborted.status == 202 || aborted.status == 409, "an operator may abort (409: nothing was running): \(aborted.body)")
        let removed = try await node.request(.POST, "/api/v1/jobs/sleepy/event", json: ["event": "remove"], credentials: operatorToken)
        #expect(removed.status == 403)
        #expect(try await node.request(.DELETE, "/api/v1/jobs/sleepy", credentials: operatorToken).status == 403)
        #expect(try await node.request(.PATCH, "/api/v1/jobs/sleepy", json: ["description": "x"], credentials: operatorToken).status == 403)
        #expect(try await node.get("/api/v1/jobs/sleepy", credentials: viewer).status == 200)
        let whoami = try await node.get("/api/v1/whoami", credentials: operatorToken)
        #expect(whoami.object["role"] as? String == "operator" && whoami.object["via"] as? String == "token")
        await node.stop()
    }

    @Test func viewerSessionCannotStartAJob() async throws {
        let node = try NodeProcess()
        try await node.start()
        #expect(try await node.request(.POST, "/api/v1/jobs", json: Self.job).status == 201)
        #expect(try await node.admin(["adduser", "vic", "vic-password", "--role", "viewer"]).status == 0)
        let (_, sid) = try await node.login("vic", "vic-password")
        let session = NodeProcess.Credentials.cookie(try #require(sid))
        let start = try await node.request(.POST, "/api/v1/jobs/sleepy/event", json: ["event": "start"], credentials: session)
        #expect(start.status == 403)
        #expect((start.object["error_string"] as? String)?.contains("viewer") == true)
        #expect(try await node.runs("sleepy").isEmpty)
        await node.stop()
    }

    @Test func expiredAndRevokedTokensAreRefused() async throws {
        let node = try NodeProcess()
        try await node.start()
        let shortLived = try await node.makeToken(role: "admin", expires: "4s", name: "short")
        #expect(try await node.get("/api/v1/jobs", credentials: .bearer(shortLived)).status == 200)
        try await Task.sleep(nanoseconds: 5_000_000_000)
        let expired = try await node.get("/api/v1/jobs", credentials: .bearer(shortLived))
        #expect(expired.status == 401)
        #expect(expired.headers["WWW-Authenticate"].first?.contains("expired") == true)

        let revocable = try await node.makeToken(role: "viewer", name: "revocable")
        #expect(try await node.get("/api/v1/jobs", credentials: .bearer(revocable)).status == 200)
        let listed = try await node.admin(["token", "list", "--json"])
        let tokens = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]] ?? []
        let id = try #require(tokens.first { $0["name"] as? String == "revocable" }?["token_id"] as? String)
        #expect(!listed.stdout.contains("kw_"), "token list must not show secrets")
        #expect(try await node.admin(["token", "revoke", id]).status == 0)
        let revoked = try await node.get("/api/v1/jobs", credentials: .bearer(revocable))
        #expect(revoked.status == 401)
        #expect(revoked.headers["WWW-Authenticate"].first?.contains("revoked") == true)
        #expect(try await node.admin(["token", "list"]).stdout.contains("revoked"))
        #expect(try await node.admin(["token", "revoke", "tok_missing"]).status == 1)
        await node.stop()
    }

    @Test func sessionWritesNeedJSONOrXRequestedWith() async throws {
        let node = try NodeProcess()
        try await node.start()
        let (_, sid) = try await node.login("admin", try #require(node.firstAdminPassword))
        let session = NodeProcess.Credentials.cookie(try #require(sid))
        let form = try await node.request(.POST, "/api/v1/jobs", rawBody: "job_id=x", credentials: session,
                                          headers: [("Content-Type", "application/x-www-form-urlencoded")])
        #expect(form.status == 403)
        #expect((form.object["error_string"] as? String)?.contains("cross-site") == true)
        let json = try await node.request(.POST, "/api/v1/jobs", json: Self.job, credentials: session)
        #expect(json.status == 201, "\(json.body)")
        let delete = try await node.request(.DELETE, "/api/v1/jobs/sleepy", credentials: session)
        #expect(delete.status == 403)
        let marked = try await node.request(.DELETE, "/api/v1/jobs/sleepy", credentials: session, headers: [("X-Requested-With", "fetch")])
        #expect(marked.status == 204)
        await node.stop()
    }

    @Test func publicStatusOpensOnlyMgobStatus() async throws {
        let node = try NodeProcess()
        try node.writeConfig("public_status: true\n")
        try await node.start()
        #expect(try await node.request(.POST, "/api/v1/jobs", json: Self.job).status == 201)
        #expect(try await node.get("/status", credentials: .none).status == 200)
        #expect(try await node.get("/status/sleepy", credentials: .none).status == 200)
        #expect(try await node.get("/status/../api/v1/jobs", credentials: .none).status == 401)
        #expect(try await node.get("/api/v1/jobs", credentials: .none).status == 401)
        #expect(try await node.get("/metrics", credentials: .none).status == 401)
        #expect(try await node.request(.POST, "/backup/sleepy", credentials: .none).status == 401)
        await node.stop()
    }

    @Test func securityHeadersOnEveryReply() async throws {
        let node = try NodeProcess()
        try await node.start()
        for reply in [try await node.get("/healthz", credentials: .none), try await node.get("/api/v1/jobs", credentials: .none),
                      try await node.get("/api/v1/jobs")] {
            #expect(reply.headers["X-Content-Type-Options"].first == "nosniff")
            #expect(reply.headers["X-Frame-Options"].first == "SAMEORIGIN")
            #expect(reply.headers["Content-Security-Policy"].first?.contains("default-src 'self'") == true)
            #expect(reply.headers["Strict-Transport-Security"].isEmpty, "no HSTS over plain HTTP")
        }
        await node.stop()
    }
}
