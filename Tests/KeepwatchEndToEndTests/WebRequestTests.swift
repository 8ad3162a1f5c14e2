import Foundation
import NIOHTTP1
import Testing

/// What a browser does not show of the web face: redirects to sign in, the sign-in form's refusals, caching and
/// compression of assets and pages, the CSP, and that forms are refused to the wrong role and to other sites.
@Suite struct WebRequestTests {
    static let form = [("Content-Type", "application/x-www-form-urlencoded")]
    /// The test client inflates gzip itself, and cannot for a HEAD reply, which has no body.
    static let identity = [("Accept-Encoding", "identity")]

    /// Signs in through the form; the session id from `Set-Cookie`.
    static func signIn(_ node: NodeProcess, _ name: String, _ password: String) async throws -> String {
        let reply = try await node.request(.POST, "/login", rawBody: "username=\(name)&password=\(password)&next=%2Fjobs",
                                           credentials: .none, headers: form + [("Origin", node.baseURL)], followRedirects: false)
        #expect(reply.status == 303 && reply.headers["Location"].first == "/jobs", "\(reply.status) \(reply.headers)")
        let cookie = reply.headers["Set-Cookie"].first ?? ""
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "\(cookie)")
        return String(cookie.split(separator: ";").first?.dropFirst("sid=".count) ?? "")
    }

    static func node() async throws -> NodeProcess {
        let node = try NodeProcess()
        for (name, role) in [("olga", "operator"), ("vic", "viewer")] {
            #expect(try await node.admin(["adduser", name, "--role", role], input: "password-of-\(name)\n").status == 0)
        }
        try await node.start()
        let made = try await node.request(.POST, "/api/v1/jobs", json: [
            "job_id": "nightly", "job_schedule": ["status": "stop", "schedule_interval": "1 days"],
            "job_actions": [["freezer_action": ["action": "exec", "command": "echo done"]]],
        ])
        #expect(made.status == 201, "\(made.body)")
        return node
    }

    @Test func pagesNeedASessionAndTheSignInFormRefusesWhatItShould() async throws {
        let node = try await Self.node()
        let anonymous = try await node.request(.GET, "/jobs/nightly?x=1", credentials: .none, followRedirects: false)
        #expect(anonymous.status == 303 && anonymous.headers["Location"].first == "/login?next=%2Fjobs%2Fnightly%3Fx%3D1")
        #expect(try await node.get("/api/v1/jobs", credentials: .none).status == 401, "the API still answers 401, not a redirect")
        let login = try await node.get("/login", credentials: .none)
        #expect(login.status == 200 && login.body.contains("id=\"sign-in\""))
        let wrong = try await node.request(.POST, "/login", rawBody: "username=olga&password=nope", credentials: .none,
                                           headers: Self.form + [("Origin", node.baseURL)], followRedirects: false)
        #expect(wrong.status == 401 && wrong.body.contains("login-problem") && wrong.headers["Set-Cookie"].isEmpty)
        #expect(wrong.body.contains("value=\"olga\""), "the user name is kept, the password is not")
        let crossSite = try await node.request(.POST, "/login", rawBody: "username=olga&password=password-of-olga", credentials: .none,
                                               headers: Self.form + [("Origin", "http://evil.example")], followRedirects: false)
        #expect(crossSite.status == 403, "a sign-in form posted from another site is refused")
        let offsite = try await node.request(.POST, "/login", rawBody: "username=olga&password=password-of-olga&next=//evil.example/",
                                             credentials: .none, headers: Self.form + [("Origin", node.baseURL)], followRedirects: false)
        #expect(offsite.status == 303 && offsite.headers["Location"].first == "/", "next never leaves the node")
        let notAForm = try await node.request(.POST, "/login", rawBody: "{\"username\":\"olga\"}", credentials: .none,
                                              headers: [("Content-Type", "application/json"), ("Origin", node.baseURL)], followRedirects: false)
        #expect(notAForm.status == 400)

        let sid = try await Self.signIn(node, "olga", "password-of-olga")
        #expect(try await node.get("/jobs", credentials: .cookie(sid)).status == 200)
        #expect(try await node.get("/users", credentials: .cookie(sid)).status == 403, "Users is for admins")
        let out = try await node.request(.POST, "/logout", credentials: .cookie(sid), headers: [("Origin", node.baseURL)], followRedirects: false)
        #expect(out.status == 303 && (out.headers["Set-Cookie"].first ?? "").contains("Max-Age=0"))
        #expect(try await node.request(.GET, "/jobs", credentials: .cookie(sid), followRedirects: false).status == 303, "the session is gone")
    }

    @Test func formsCheckTheRoleAndTheOriginAndSayWhatWentWrong() async throws {
        let node = try await Self.node()
        let viewer = try await Self.signIn(node, "vic", "password-of-vic")
        let operatorSession = try await Self.signIn(node, "olga", "password-of-olga")
        let same = [("Origin", node.baseURL)]
        #expect(try await node.request(.POST, "/jobs/nightly/run", credentials: .cookie(viewer), headers: Self.form + same, followRedirects: false).status == 403)
        #expect(try await node.runs("nightly").isEmpty, "the viewer's forged run did nothing")
        let evil = try await node.request(.POST, "/jobs/nightly/run", credentials: .cookie(operatorSession),
                                          headers: Self.form + [("Origin", "http://evil.example")], followRedirects: false)
        #expect(evil.status == 403, "another site's form is refused even with an operator's cookie")
        let noOrigin = try await node.request(.POST, "/jobs/nightly/run", credentials: .cookie(operatorSession), headers: Self.form, followRedirects: false)
        #expect(noOrigin.status == 403, "a form that does not say where it comes from is refused")
        #expect(try await node.runs("nightly").isEmpty)

        let run = try await node.request(.POST, "/jobs/nightly/run", credentials: .cookie(operatorSession), headers: Self.form + same, followRedirects: false)
        #expect(run.status == 303 && (run.headers["Location"].first ?? "").hasPrefix("/jobs/nightly?notice=Run%20"), "\(run.headers)")
        #expect(try await node.eventually(10) { try await node.runs("nightly").first?["status"] as? String == "success" })
        let missing = try await node.request(.POST, "/jobs/nope/run", credentials: .cookie(operatorSession), headers: Self.form + same, followRedirects: false)
        #expect(missing.status == 303 && (missing.headers["Location"].first ?? "").contains("problem=job%20nope%20not%20found"))
        let huge = try await node.request(.POST, "/jobs/nightly/stop", rawBody: String(repeating: "a=b&", count: 20_000),
                                          credentials: .cookie(operatorSession), headers: Self.form + same, followRedirects: false)
        #expect(huge.status == 303 && (huge.headers["Location"].first ?? "").contains("problem="), "an oversized form is a problem, not a crash")
        let stopped = try await node.request(.POST, "/jobs/nightly/stop", credentials: .cookie(operatorSession), headers: Self.form + same, followRedirects: false)
        #expect(stopped.status == 303 && (stopped.headers["Location"].first ?? "").contains("notice="))
        let verify = try await node.request(.POST, "/backups/none/verify", credentials: .cookie(operatorSession), headers: Self.form + same, followRedirects: false)
        #expect((verify.headers["Location"].first ?? "").contains("problem=no%20backup%20named%20none"))
        let addSource = try await node.request(.POST, "/sources/add", rawBody: "kind=mgob&name=x&url=http://127.0.0.1:1",
                                               credentials: .cookie(operatorSession), headers: Self.form + same, followRedirects: false)
        #expect(addSource.status == 403, "only admins add sources")
        let page = try await node.get("/jobs/nightly", credentials: .cookie(viewer))
        #expect(page.status == 200 && !page.body.contains("run-now"), "a viewer's page has no Run now")
        let operatorPage = try await node.get("/jobs/nightly", credentials: .cookie(operatorSession))
        #expect(operatorPage.body.contains("class=\"run-now\""))
    }

    @Test func assetsAreCachedWithETagsAndPagesAreCompressedUnderAStrictPolicy() async throws {
        let node = try await Self.node()
        let css = try await node.get("/assets/keepwatch.css", credentials: .none)
        #expect(css.status == 200 && (css.headers["Content-Type"].first ?? "").hasPrefix("text/css"))
        let etag = try #require(css.headers["ETag"].first)
        #expect((css.headers["Cache-Control"].first ?? "").contains("max-age=31536000"))
        let again = try await node.request(.GET, "/assets/keepwatch.css", credentials: .none, headers: [("If-None-Match", etag)])
        #expect(again.status == 304 && again.body.isEmpty)
        let gzipped = try await node.request(.GET, "/assets/keepwatch.js", credentials: .none, headers: [("Accept-Encoding", "gzip, br")])
        #expect(gzipped.headers["Content-Encoding"].first == "gzip")
        #expect(try await node.request(.HEAD, "/assets/keepwatch.svg", credentials: .none, headers: Self.identity).status == 200)

        let sid = try await Self.signIn(node, "vic", "password-of-vic")
        let page = try await node.request(.GET, "/jobs", credentials: .cookie(sid), headers: [("Accept-Encoding", "gzip")])
        #expect(page.headers["Content-Encoding"].first == "gzip" && page.headers["Cache-Control"].first == "no-store")
        let policy = page.headers["Content-Security-Policy"].first ?? ""
        #expect(policy.contains("default-src 'self'") && policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"))
        let plain = try await node.get("/", credentials: .cookie(sid))
        #expect(!plain.body.contains("<script>") && !plain.body.contains("style=\""), "no inline script or style")
        #expect(plain.body.contains("href=\"/api/v1/overview\""), "the overview links its JSON twin")
        #expect(try await node.eventually(5) {
            (try await node.get("/api/v1/overview?kind=local").object["targets"] as? [Any])?.count == 1
        }, "a new job is on the board at once")
        let twin = try await node.get("/api/v1/overview?kind=local", credentials: .cookie(sid)).object
        let targets = twin["targets"] as? [[String: Any]] ?? []
        #expect(targets.map { $0["name"] as? String } == ["nightly"] && (twin["counts"] as? [String: Int])?["unknown"] == 1, "\(twin)")
        let filtered = try await node.get("/?state=error&q=%3Cb%3E", credentials: .cookie(sid))
        #expect(filtered.status == 200 && filtered.body.contains("value=\"&lt;b&gt;\""), "the search is escaped back into the page")
        #expect(try await node.get("/api/v1/users", credentials: .cookie(sid)).status == 403)
        let users = try await node.get("/api/v1/users").object["users"] as? [[String: Any]] ?? []
        #expect(Set(users.compactMap { $0["username"] as? String }).isSuperset(of: ["olga", "vic"]))
        #expect(!(try await node.get("/api/v1/users").body.contains("hash")), "no password hash leaves the node")
        #expect(try await node.request(.HEAD, "/jobs", credentials: .cookie(sid), headers: Self.identity).status == 200)
    }
}
