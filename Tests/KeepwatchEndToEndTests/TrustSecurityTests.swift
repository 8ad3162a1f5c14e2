import Foundation
import Testing

/// The node's trust boundary on a real node: plan secrets, the data directory's modes, the sign-in throttle under
/// load, log and audit injection, first registration races, the JSON-only login, password changes, YAML bombs and
/// the last admin.
@Suite(.serialized) struct TrustSecurityTests {
    /// Every entry under `directory` (recursively), as paths relative to it.
    static func entries(under directory: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
        var found: [String] = []
        for case let relative as String in walker { found.append(relative) }
        return found.sorted()
    }

    static func kind(of path: String) -> FileAttributeType? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
    }

    static func mode(of path: String) -> Int? {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? NSNumber)?.intValue
    }

    static func size(of path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    @Test func mgobPlanSecretsAreRedactedForEveryoneAndSealedInTheStore() async throws {
        let node = try NodeProcess()
        let password = "S3cr3t-Mongo-Pa55"
        let uriPassword = "UriPa55word"
        let plans = URL(fileURLWithPath: node.dataPath).appendingPathComponent("plans")
        try FileManager.default.createDirectory(at: plans, withIntermediateDirectories: true)
        try """
        scheduler:
          cron: "0 3 1 1 *"
        target:
          host: "127.0.0.1"
          username: "backupuser"
          password: "\(password)"
          database: "app"
          uri: "mongodb://root:\(uriPassword)@127.0.0.1:27017/app"
        """.write(to: plans.appendingPathComponent("mplan.yml"), atomically: true, encoding: .utf8)
        try await node.start()
        let viewer = NodeProcess.Credentials.bearer(try await node.makeToken(role: "viewer"))

        let one = try await node.get("/api/v1/jobs/mplan", credentials: viewer)
        #expect(one.status == 200, "the plan did not become job mplan: \(one.body) \(node.log)")
        let all = try await node.get("/api/v1/jobs", credentials: viewer)
        #expect(all.status == 200, "\(all.body)")
        for reply in [one, all] {
            #expect(!reply.body.contains(password), "a reply shows the plan password: \(reply.body)")
            #expect(!reply.body.contains(uriPassword), "a reply shows the uri password: \(reply.body)")
        }
        let actions = one.object["job_actions"] as? [[String: Any]] ?? []
        let backup = try #require(actions.first?["freezer_action"] as? [String: Any], "no freezer_action in \(one.body)")
        #expect(backup["password"] as? String == "<redacted>", "\(one.body)")
        #expect(backup["uri"] as? String == "mongodb://root:<redacted>@127.0.0.1:27017/app", "\(one.body)")
        #expect(backup["username"] as? String == "backupuser", "the user name is no secret: \(one.body)")
        let listed = (all.object["jobs"] as? [[String: Any]] ?? []).first { $0["job_id"] as? String == "mplan" }
        let listedBackup = (listed?["job_actions"] as? [[String: Any]])?.first?["freezer_action"] as? [String: Any]
        #expect(listedBackup?["password"] as? String == "<redacted>", "\(all.body)")
        #expect(listedBackup?["uri"] as? String == "mongodb://root:<redacted>@127.0.0.1:27017/app", "\(all.body)")
        await node.stop()

        var read = 0
        for relative in Self.entries(under: node.dataPath) where relative != "plans/mplan.yml" {
            let path = node.dataPath + "/" + relative
            guard Self.kind(of: path) == .typeRegular else { continue }
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            read += 1
            #expect(bytes.range(of: Data(password.utf8)) == nil, "\(relative) holds the plan password in clear")
            #expect(bytes.range(of: Data(uriPassword.utf8)) == nil, "\(relative) holds the uri password in clear")
        }
        #expect(read > 0, "no file read under \(node.dataPath)")
        #expect(FileManager.default.fileExists(atPath: node.dataPath + "/keepwatch.sqlite"))

        let keyPath = node.dataPath + "/node.key"
        #expect(FileManager.default.fileExists(atPath: keyPath), "no node.key in \(Self.entries(under: node.dataPath))")
        #expect(Self.size(of: keyPath) == 32)
        #expect(Self.mode(of: keyPath) == 0o600, "node.key mode \(String(Self.mode(of: keyPath) ?? -1, radix: 8))")
    }

    @Test func dataDirectoryIsPrivate() async throws {
        let node = try NodeProcess()
        let source = try node.makeDirectory("private-source", files: ["a.txt": "alpha\n", "sub/b.txt": "beta\n"])
        let saved = umask(0o022)
        do {
            try await node.start()
        } catch {
            umask(saved)
            throw error
        }
        umask(saved)
        let created = try await node.request(.POST, "/api/v1/jobs", json: [
            "job_id": "files",
            "job_schedule": ["status": "stop", "schedule_interval": "1 days"],
            "job_actions": [["freezer_action": ["action": "backup", "mode": "fs", "path_to_backup": source, "backup_name": "files"]]],
        ])
        #expect(created.status == 201, "\(created.body)")
        let backup = try await node.request(.POST, "/backup/files")
        #expect(backup.status == 200, "\(backup.body) \(node.log)")

        let rootMode = Self.mode(of: node.dataPath) ?? -1
        #expect(rootMode & 0o777 == 0o700, "data directory mode \(String(rootMode, radix: 8))")
        var files = 0
        var directories = 0
        for relative in Self.entries(under: node.dataPath) {
            let path = node.dataPath + "/" + relative
            guard let mode = Self.mode(of: path) else { continue }
            let kind = Self.kind(of: path)
            if kind == .typeDirectory {
                directories += 1
                #expect(mode & 0o777 == 0o700, "directory \(relative) has mode \(String(mode & 0o777, radix: 8))")
            } else if kind == .typeRegular {
                files += 1
                #expect(mode & 0o077 == 0, "file \(relative) has mode \(String(mode & 0o777, radix: 8))")
            }
        }
        #expect(directories >= 4 && files >= 3, "walked \(directories) directories and \(files) files: \(Self.entries(under: node.dataPath))")
        let archives = Self.entries(under: node.dataPath).filter { $0.hasPrefix("backups/") && $0.hasSuffix(".tar.zst") }
        #expect(!archives.isEmpty, "the backup left no archive: \(Self.entries(under: node.dataPath))")
        await node.stop()
    }

    @Test func parallelLoginsCannotOutrunTheThrottle() async throws {
        let node = try NodeProcess()
        try await node.start()
        let statuses = try await withThrowingTaskGroup(of: UInt.self, returning: [UInt].self) { group in
            for attempt in 0..<40 {
                group.addTask {
                    try await node.request(.POST, "/proxy/auth/login", json: ["username": "admin", "password": "wrong\(attempt)"],
                                           credentials: .none).status
                }
            }
            var collected: [UInt] = []
            for try await status in group { collected.append(status) }
            return collected
        }
        #expect(statuses.count == 40)
        let denied = statuses.filter { $0 == 401 }.count
        let throttled = statuses.filter { $0 == 429 }.count
        #expect(denied <= 10, "\(denied) wrong passwords were checked in parallel: \(statuses)")
        #expect(denied + throttled == 40, "every attempt is denied or throttled: \(statuses)")
        let signedIn = statuses.contains(200)
        #expect(!signedIn, "\(statuses)")
        #expect(!statuses.contains { $0 >= 500 }, "\(statuses)")
        await node.stop()
    }

    @Test func anotherAccountsSuccessDoesNotResetTheThrottle() async throws {
        let node = try NodeProcess()
        try await node.start()
        let added = try await node.admin(["adduser", "viewer1", "viewerpass1", "--role", "viewer"])
        #expect(added.status == 0, "\(added.stderr)")
        var adminStatuses: [UInt] = []
        var viewerStatuses: [UInt] = []
        var attempt = 0
        for _ in 0..<3 {
            for _ in 0..<4 {
                attempt += 1
                adminStatuses.append(try await node.login("admin", "wrong-admin-\(attempt)").reply.status)
            }
            let viewer = try await node.login("viewer1", "viewerpass1")
            viewerStatuses.append(viewer.reply.status)
            #expect(viewer.sid != nil, "viewer1 got no session: \(viewer.reply.body)")
        }
        #expect(adminStatuses.count == 12)
        #expect(Array(adminStatuses.prefix(10)) == Array(repeating: UInt(401), count: 10), "\(adminStatuses)")
        #expect(adminStatuses.count > 10 && adminStatuses[10] == 429,
                "the 11th wrong admin password must be throttled though viewer1 signed in between: \(adminStatuses)")
        let throttled = adminStatuses.contains(429)
        #expect(throttled, "\(adminStatuses)")
        #expect(viewerStatuses == [200, 200, 200], "viewer1's own bucket is empty, so it signs in: \(viewerStatuses)")
        await node.stop()
    }

    @Test func controlCharactersInUsernamesNeverForgeLogLines() async throws {
        let node = try NodeProcess()
        try await node.start()
        let forgedLine = "time=2026-12-01T00:00:00Z level=error msg=\"forged\""
        let username = "evil\r\n\(forgedLine) user=admin\u{1b}[31mRED\u{0}NUL"
        let login = try await node.login(username, "whatever-password")
        #expect(login.reply.status == 401, "\(login.reply.body)")
        #expect(login.sid == nil)

        let audit = try await node.get("/api/v1/audit")
        #expect(audit.status == 200, "\(audit.body)")
        let rawEscape = audit.body.unicodeScalars.contains(Unicode.Scalar(UInt8(0x1B)))
        #expect(!rawEscape, "the audit reply holds a raw ESC")
        let entries = audit.object["entries"] as? [[String: Any]] ?? []
        let names = entries.compactMap { $0["username"] as? String }
        let evil = names.first { $0.hasPrefix("evil") }
        #expect(evil != nil, "no audit entry for the evil username: \(audit.body)")
        if let evil {
            #expect(evil.contains("\\r\\n"), "CR LF are stored escaped: \(evil)")
            #expect(evil.contains("\\u001b"), "ESC is stored escaped: \(evil)")
            #expect(!evil.unicodeScalars.contains { $0.value < 0x20 }, "a control character is stored raw: \(evil.debugDescription)")
        }
        let rawControl = names.contains { name in name.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } }
        #expect(!rawControl, "audit usernames hold raw control characters: \(names.map(\.debugDescription))")
        await node.stop()

        let bytes = try Data(contentsOf: URL(fileURLWithPath: node.logPath))
        let carriageReturn = bytes.contains(UInt8(0x0D))
        let escape = bytes.contains(UInt8(0x1B))
        let nul = bytes.contains(UInt8(0x00))
        #expect(!carriageReturn, "the log holds a raw CR")
        #expect(!escape, "the log holds a raw ESC")
        #expect(!nul, "the log holds a raw NUL")
        let log = String(decoding: bytes, as: UTF8.self)
        let lines = log.components(separatedBy: CharacterSet.newlines)
        #expect(!lines.contains { $0.hasPrefix(forgedLine) }, "a forged line made it into the log: \(log)")
        #expect(log.contains("evil"), "the refused sign-in is logged: \(log)")
    }

    @Test func hugeUsernamesAreCutShortInTheAuditAndLog() async throws {
        let node = try NodeProcess()
        try await node.start()
        let huge = String(repeating: "u", count: 1_000_000)
        var statuses: [UInt] = []
        for attempt in 0..<15 {
            statuses.append(try await node.login(huge, "wrong-password-\(attempt)").reply.status)
        }
        #expect(statuses.allSatisfy { $0 == 401 || $0 == 429 }, "\(statuses)")
        let audit = try await node.get("/api/v1/audit?limit=100")
        #expect(audit.status == 200)
        #expect(audit.body.utf8.count < 200_000, "the audit reply is \(audit.body.utf8.count) bytes")
        let store = Self.size(of: node.dataPath + "/keepwatch.sqlite") + Self.size(of: node.dataPath + "/keepwatch.sqlite-wal")
        #expect(store < 5_000_000, "the store grew to \(store) bytes")
        await node.stop()
        let logSize = Self.size(of: node.logPath)
        #expect(logSize < 2_000_000, "the node log grew to \(logSize) bytes")
    }

    @Test func firstAdminRegistrationSucceedsExactlyOnce() async throws {
        let node = try NodeProcess()
        try await node.start()
        let database = node.dataPath + "/keepwatch.sqlite"
        _ = try await offloaded { JobEngineTests.shell("sqlite3 -cmd '.timeout 5000' '\(database)' 'DELETE FROM users'") }
        let left = try await offloaded { JobEngineTests.shell("sqlite3 -cmd '.timeout 5000' '\(database)' 'SELECT COUNT(*) FROM users'") }
        #expect(left.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "users left after DELETE: \(left)")

        let replies = try await withThrowingTaskGroup(of: (String, UInt, String).self, returning: [(String, UInt, String)].self) { group in
            for racer in 0..<20 {
                group.addTask {
                    let reply = try await node.request(.POST, "/proxy/auth/register",
                                                       json: ["user": ["username": "racer\(racer)", "password": "racerpass1"]],
                                                       credentials: .none)
                    return ("racer\(racer)", reply.status, reply.body)
                }
            }
            var collected: [(String, UInt, String)] = []
            for try await reply in group { collected.append(reply) }
            return collected
        }
        let winners = replies.filter { $0.1 == 200 }
        #expect(winners.count == 1, "\(winners.count) registrations succeeded: \(replies.map { "\($0.0) \($0.1)" })")
        #expect(!replies.contains { $0.1 >= 500 }, "\(replies.map { "\($0.0) \($0.1) \($0.2)" })")

        let listed = try await node.admin(["listusers", "--json"])
        #expect(listed.status == 0, "\(listed.stderr)")
        let users = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(users.count == 1, "\(listed.stdout)")
        if let winner = winners.first {
            #expect(users.first?["username"] as? String == winner.0, "\(listed.stdout)")
            #expect(users.first?["role"] as? String == "admin", "\(listed.stdout)")
        }
        await node.stop()
    }

    /// A cross-site form cannot sign anyone in: the body must be JSON, and a request a browser marks as coming from
    /// another site is refused whatever its type. cmon-proxy's documented `curl -d '{…}'` (no content type) still works.
    @Test func loginTakesJSONOnly() async throws {
        let node = try NodeProcess()
        try await node.start()
        let password = try #require(node.firstAdminPassword)
        let form = try await node.request(.POST, "/proxy/auth/login", rawBody: "username=admin&password=\(password)", credentials: .none,
                                          headers: [("Content-Type", "application/x-www-form-urlencoded")])
        #expect(form.status == 400, "\(form.body)")
        #expect(form.headers["Set-Cookie"].isEmpty, "a form login set \(form.headers["Set-Cookie"])")
        let body = "{\"username\":\"admin\",\"password\":\"\(password)\"}"
        let crossSite = try await node.request(.POST, "/proxy/auth/login", rawBody: body, credentials: .none,
                                               headers: [("Content-Type", "text/plain"), ("Origin", "https://evil.example")])
        #expect(crossSite.status == 403, "\(crossSite.body)")
        #expect(crossSite.headers["Set-Cookie"].isEmpty, "a cross-site login set \(crossSite.headers["Set-Cookie"])")
        let fetchMarked = try await node.request(.POST, "/proxy/auth/login", rawBody: body, credentials: .none,
                                                 headers: [("Content-Type", "application/json"), ("Sec-Fetch-Site", "cross-site")])
        #expect(fetchMarked.status == 403, "\(fetchMarked.body)")
        let curlStyle = try await node.request(.POST, "/proxy/auth/login", rawBody: body, credentials: .none,
                                               headers: [("Content-Type", "application/x-www-form-urlencoded")])
        #expect(curlStyle.status == 200, "curl -d '{json}' as cmon-proxy documents it: \(curlStyle.body)")
        let json = try await node.login("admin", password)
        #expect(json.reply.status == 200, "the same credentials as JSON sign in: \(json.reply.body)")
        #expect(json.sid != nil)
        await node.stop()
    }

    @Test func passwordChangeEndsOtherSessionsAndWrongOldPasswordsAreThrottled() async throws {
        let node = try NodeProcess()
        try await node.start()
        let added = try await node.admin(["adduser", "ann", "annpassword1", "--role", "operator"])
        #expect(added.status == 0, "\(added.stderr)")
        let first = try await node.login("ann", "annpassword1")
        let second = try await node.login("ann", "annpassword1")
        let sid1 = try #require(first.sid, "\(first.reply.body)")
        let sid2 = try #require(second.sid, "\(second.reply.body)")
        #expect(sid1 != sid2)
        let csrf = [("X-Requested-With", "XMLHttpRequest")]

        let changed = try await node.request(.POST, "/proxy/auth/setpassword",
                                             json: ["old_password": "annpassword1", "new_password": "annpassword2"],
                                             credentials: .cookie(sid1), headers: csrf)
        #expect(changed.status == 200, "\(changed.body)")
        let other = try await node.get("/api/v1/whoami", credentials: .cookie(sid2))
        #expect(other.status == 401, "the other session outlived the password change: \(other.body)")
        let own = try await node.get("/api/v1/whoami", credentials: .cookie(sid1))
        #expect(own.status == 200, "the session that changed the password stays: \(own.body)")
        #expect(own.object["name"] as? String == "ann", "\(own.body)")

        var statuses: [UInt] = []
        for attempt in 0..<12 {
            let wrong = try await node.request(.POST, "/proxy/auth/setpassword",
                                               json: ["old_password": "not-the-old-one-\(attempt)", "new_password": "annpassword3"],
                                               credentials: .cookie(sid1), headers: csrf)
            statuses.append(wrong.status)
        }
        #expect(statuses.first == 401, "\(statuses)")
        #expect(statuses.allSatisfy { $0 == 401 || $0 == 429 }, "\(statuses)")
        #expect(statuses.filter { $0 == 401 }.count <= 10, "more than 10 wrong old passwords were checked: \(statuses)")
        let lateThrottle = statuses.suffix(2).contains(429)
        #expect(lateThrottle, "wrong old passwords are never throttled: \(statuses)")
        await node.stop()
    }

    @Test func yamlAliasBombInAPlanIsRefusedAndTheNodeStaysUp() async throws {
        let node = try NodeProcess()
        let plans = URL(fileURLWithPath: node.dataPath).appendingPathComponent("plans")
        try FileManager.default.createDirectory(at: plans, withIntermediateDirectories: true)
        var lines = ["scheduler:", "  cron: \"0 3 * * *\"", "target:", "  host: \"127.0.0.1\""]
        lines.append("lol0: &lol0 [" + Array(repeating: "\"lol\"", count: 10).joined(separator: ", ") + "]")
        for level in 1...8 {
            lines.append("lol\(level): &lol\(level) [" + Array(repeating: "*lol\(level - 1)", count: 10).joined(separator: ", ") + "]")
        }
        try (lines.joined(separator: "\n") + "\n").write(to: plans.appendingPathComponent("bomb.yml"), atomically: true, encoding: .utf8)

        try await node.start()
        #expect(try await node.get("/healthz", credentials: .none).status == 200)
        let named = try await node.eventually(5) { node.log.contains("Plan not loaded") && node.log.contains("bomb") }
        #expect(named, "the log does not name the refused plan: \(node.log)")
        let job = try await node.get("/api/v1/jobs/bomb")
        #expect(job.status == 404, "\(job.body)")

        let process = try #require(node.process)
        kill(process.processIdentifier, SIGHUP)
        let reloaded = try await node.eventually(5) { node.log.contains("SIGHUP received") }
        #expect(reloaded, "\(node.log)")
        let started = Date()
        let health = try await node.get("/healthz", credentials: .none)
        #expect(health.status == 200)
        #expect(Date().timeIntervalSince(started) < 5, "/healthz took \(Date().timeIntervalSince(started)) s after SIGHUP")
        #expect(process.isRunning)
        let refusedAgain = try await node.eventually(5) { node.log.components(separatedBy: "Plan not loaded").count >= 3 }
        #expect(refusedAgain, "the reload did not refuse the plan again: \(node.log)")
        #expect(try await node.get("/api/v1/jobs/bomb").status == 404)
        await node.stop()
    }

    @Test func theLastAdminCannotBeDemotedOrSuspended() async throws {
        let node = try NodeProcess()
        try await node.start()
        #expect(node.firstAdminPassword != nil, "no first admin: \(node.log)")
        let demote = try await node.admin(["setrole", "admin", "viewer"])
        #expect(demote.status != 0, "\(demote.stdout)")
        #expect(demote.stderr.contains("last active admin"), "\(demote.stderr)")
        let suspend = try await node.admin(["suspend", "admin"])
        #expect(suspend.status != 0, "\(suspend.stdout)")
        #expect(suspend.stderr.contains("last active admin"), "\(suspend.stderr)")
        let before = try await node.admin(["listusers", "--json"])
        let usersBefore = try JSONSerialization.jsonObject(with: Data(before.stdout.utf8)) as? [[String: Any]] ?? []
        let adminBefore = usersBefore.first { $0["username"] as? String == "admin" }
        #expect(adminBefore?["role"] as? String == "admin", "\(before.stdout)")
        #expect(adminBefore?["suspended"] as? Bool == false, "\(before.stdout)")

        let boss = try await node.admin(["adduser", "boss", "bosspassword1", "--role", "admin"])
        #expect(boss.status == 0, "\(boss.stderr)")
        let demoted = try await node.admin(["setrole", "admin", "viewer"])
        #expect(demoted.status == 0, "with boss an admin, admin may become a viewer: \(demoted.stderr)")

        let bob = try await node.admin(["adduser", "bob", "bobpassword1"])
        #expect(bob.status == 0, "\(bob.stderr)")
        let listed = try await node.admin(["listusers", "--json"])
        #expect(listed.status == 0, "\(listed.stderr)")
        let users = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]] ?? []
        let roles = Dictionary(users.compactMap { user -> (String, String)? in
            guard let name = user["username"] as? String, let role = user["role"] as? String else { return nil }
            return (name, role)
        }, uniquingKeysWith: { first, _ in first })
        #expect(roles["bob"] == "viewer", "a user added without --role is a viewer: \(listed.stdout)")
        #expect(roles["admin"] == "viewer", "\(listed.stdout)")
        #expect(roles["boss"] == "admin", "\(listed.stdout)")
        await node.stop()
    }
}
