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

    @Test func jobsLinkByIdStartAgainAfterStopAndRefusalsArePages() async throws {
        let node = try await Self.node()
        let made = try await node.request(.POST, "/api/v1/jobs", json: [
            "job_id": "described", "description": "Nightly documents", "job_schedule": ["schedule_interval": "1 days"],
            "job_actions": [["freezer_action": ["action": "exec", "command": "sleep 30"]]],
        ])
        #expect(made.status == 201, "\(made.body)")
        let operatorSession = try await Self.signIn(node, "olga", "password-of-olga")
        let same = Self.form + [("Origin", node.baseURL)]
        #expect(try await node.eventually(5) {
            try await node.get("/", credentials: .cookie(operatorSession)).body.contains("href=\"/jobs/described\">Nightly documents</a>")
        }, "a job with a description links to its id, not its description")

        #expect(try await node.request(.POST, "/jobs/described/run", credentials: .cookie(operatorSession), headers: same, followRedirects: false).status == 303)
        #expect(try await node.eventually(10) { try await node.runs("described").first?["status"] as? String == "running" })
        let abort = try await node.request(.POST, "/jobs/described/abort", credentials: .cookie(operatorSession), headers: same, followRedirects: false)
        #expect(abort.status == 303 && (abort.headers["Location"].first ?? "").contains("notice="))
        #expect(try await node.eventually(10) { try await node.runs("described").first?["status"] as? String == "aborted" })
        let stopped = try await node.get("/jobs/described", credentials: .cookie(operatorSession)).body
        #expect(stopped.contains("id=\"job-stopped\"") && stopped.contains("action=\"/jobs/described/start\""), "a stopped job says so and offers Start")
        #expect(stopped.contains("<span class=\"dot error\" aria-hidden=\"true\"></span> <span id=\"job-state\">aborted</span>"),
                "an aborted run is an error, as on the overview")
        let start = try await node.request(.POST, "/jobs/described/start", credentials: .cookie(operatorSession), headers: same, followRedirects: false)
        #expect(start.status == 303 && (start.headers["Location"].first ?? "").contains("notice="), "\(start.headers)")
        let job = try await node.get("/api/v1/jobs/described").object
        #expect((job["job_schedule"] as? [String: Any])?["status"] as? String == "scheduled", "\(job)")
        #expect(!(try await node.get("/jobs/described", credentials: .cookie(operatorSession)).body.contains("id=\"job-stopped\"")))

        let evil = try await node.request(.POST, "/jobs/described/stop", credentials: .cookie(operatorSession),
                                          headers: Self.form + [("Origin", "http://evil.example"), ("X-Requested-With", "x")], followRedirects: false)
        #expect(evil.status == 403 && evil.body.contains("<h1>Refused</h1>"), "\(evil.body)")
        let api = try await node.request(.POST, "/api/v1/jobs/described/event", json: ["event": "stop"], credentials: .cookie(operatorSession),
                                         headers: [("Origin", "http://evil.example")])
        #expect(api.status == 403, "a JSON write with a session from another site's page is refused too")
        let viewer = try await Self.signIn(node, "vic", "password-of-vic")
        let forbidden = try await node.request(.POST, "/jobs/described/run", credentials: .cookie(viewer), headers: same, followRedirects: false)
        #expect(forbidden.status == 403 && forbidden.body.contains("<h1>Not allowed</h1>") && forbidden.body.contains("viewer role"))
        let expired = try await node.request(.POST, "/jobs/described/run", credentials: .cookie("no-such-session"),
                                             headers: same + [("Referer", node.baseURL + "/jobs/described")], followRedirects: false)
        #expect(expired.status == 303 && (expired.headers["Location"].first ?? "").hasPrefix("/login?next=%2Fjobs%2Fdescribed&notice="),
                "a form sent after the session ended leads to the sign-in page: \(expired.headers)")
        #expect(try await node.runs("described").count == 1, "no refused form started a run")
        let noReferer = try await node.request(.POST, "/jobs/described/run", credentials: .cookie("no-such-session"), headers: same,
                                               followRedirects: false)
        #expect((noReferer.headers["Location"].first ?? "").hasPrefix("/login?next=%2Fjobs%2Fdescribed&"), "the form's own page: \(noReferer.headers)")
        let forged = try await node.get("/jobs/described?notice=Sign%20in%20at%20evil.example&sig=00", credentials: .cookie(operatorSession))
        #expect(!forged.body.contains("evil.example"), "a notice the node did not sign is not shown")
        let signed = try await node.get(start.headers["Location"].first ?? "/", credentials: .cookie(operatorSession))
        #expect(signed.body.contains("class=\"notice\""), "the node's own notice is shown")
        #expect(try await node.get("/?q=described", credentials: .cookie(operatorSession)).body.contains("href=\"/jobs/described\""),
                "the search finds a job by its id")
    }

    @Test func testingASourceKeepsTheFormAndUnknownFiltersAreNamed() async throws {
        let node = try NodeProcess()
        #expect(try await node.admin(["adduser", "root", "--role", "admin"], input: "password-of-root\n").status == 0)
        try await node.start()
        let admin = try await Self.signIn(node, "root", "password-of-root")
        let same = Self.form + [("Origin", node.baseURL)]
        let tested = try await node.request(.POST, "/sources/add", rawBody: "kind=cmon&name=dead&url=http%3A%2F%2F127.0.0.1%3A1&username=ops&password=secret-one&do=test",
                                            credentials: .cookie(admin), headers: same, followRedirects: false)
        #expect(tested.status == 200 && tested.body.contains("class=\"problem\" role=\"alert\" id=\"source-outcome\">dead does not answer"), "\(tested.status) \(tested.headers) \(tested.body)")
        #expect(tested.body.contains("value=\"dead\"") && tested.body.contains("value=\"http://127.0.0.1:1\"") && tested.body.contains("value=\"cmon\" selected") && tested.body.contains("value=\"ops\""))
        #expect(!tested.body.contains("secret-one"), "a password is never written back into the page")
        #expect((try await node.get("/api/v1/sources").object["sources"] as? [Any])?.count == 1, "a test keeps nothing")
        let bad = try await node.request(.POST, "/sources/add", rawBody: "kind=nonsense&name=x&url=http%3A%2F%2F127.0.0.1%3A1",
                                         credentials: .cookie(admin), headers: same, followRedirects: false)
        #expect(bad.status == 400 && bad.body.contains("id=\"source-outcome\"") && bad.body.contains("value=\"x\""), "\(bad.body)")
        let board = try await node.get("/?state=bogus&kind=nope&page=0", credentials: .cookie(admin)).body
        #expect(board.contains("id=\"filter-note\"") && board.contains("state “bogus”") && board.contains("kind “nope”"), "\(board)")
        #expect(!(try await node.get("/?state=error", credentials: .cookie(admin)).body.contains("filter-note")))
        let twin = try await node.get("/api/v1/overview?state=bogus", credentials: .cookie(admin)).object
        #expect((twin["ignored"] as? String ?? "").contains("bogus"), "the JSON twin names the filter it left out: \(twin)")
        let escaped = try await node.get("/jobs/%3Cb%3E", credentials: .cookie(admin))
        #expect(escaped.status == 404 && escaped.body.contains("Job &lt;b&gt;"), "a path is decoded, then escaped")
    }
}
