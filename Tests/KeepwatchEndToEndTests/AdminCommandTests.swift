import Foundation
import Testing

/// `keepwatch admin` on a data directory, with and without a running node; keepwatch.yaml users and hashes.
@Suite(.serialized) struct AdminCommandTests {
    @Test func usersAndTokensWithoutARunningNode() async throws {
        let node = try NodeProcess()
        let added = try await node.admin(["adduser", "ops", "--role", "operator", "--email", "ops@example.com"], input: "ops-password\nops-password\n")
        #expect(added.status == 0, "\(added.stderr)")
        #expect(!added.stdout.contains("reload"), "no node runs, so none is told to reload")
        let duplicate = try await node.admin(["adduser", "ops", "other-password"])
        #expect(duplicate.status == 1)
        #expect(duplicate.stderr.contains("user ops already exists"))
        let weak = try await node.admin(["adduser", "weak", "short"])
        #expect(weak.status == 1)
        #expect(weak.stderr.contains("password must be at least 8 characters"))
        let badName = try await node.admin(["adduser", "bad name", "long-enough"])
        #expect(badName.status == 1)
        let badRole = try await node.admin(["adduser", "x", "long-enough", "--role", "root"])
        #expect(badRole.status != 0)
        let list = try await node.admin(["listusers"])
        #expect(list.stdout.contains("ops") && list.stdout.contains("operator") && list.stdout.contains("ops@example.com"))
        #expect(try await node.admin(["setpassword", "ops", "ops-password-2"]).status == 0)
        #expect(try await node.admin(["setpassword", "ghost", "ops-password-2"]).status == 1)

        try await node.start()
        #expect(node.firstAdminPassword == nil, "users exist, so no default admin is made")
        #expect(try await node.login("ops", "ops-password-2").reply.status == 200)
        let dropped = try await node.admin(["dropuser", "ops"])
        #expect(dropped.status == 0)
        #expect(dropped.stdout.contains("told the running node"), "\(dropped.stdout)")
        #expect(try await node.login("ops", "ops-password-2").reply.status == 401)
        #expect(try await node.admin(["dropuser", "ops"]).status == 1)
        let stray = try await KeepwatchBinary.run(["admin", "listusers", "--data", node.root.appendingPathComponent("typo").path])
        #expect(stray.status == 1)
        #expect(stray.stderr.contains("no Keepwatch data at"), "\(stray.stderr)")
        #expect(!FileManager.default.fileExists(atPath: node.root.appendingPathComponent("typo").path), "a mistyped --data creates nothing")
        let audit = try await node.admin(["audit"])
        #expect(audit.stdout.contains("adduser") && audit.stdout.contains("dropuser"), "\(audit.stdout)")
        await node.stop()
    }

    @Test func initWritesACommentedPrivateConfigOnce() async throws {
        let node = try NodeProcess()
        let written = try await node.admin(["init", "--port", "9443", "--bind", "0.0.0.0", "--tls", "auto", "--public-status"])
        #expect(written.status == 0, "\(written.stderr)")
        let path = node.dataPath + "/keepwatch.yaml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("port: 9443") && text.contains("bind: 0.0.0.0") && text.contains("tls: auto") && text.contains("public_status: true"))
        #expect(text.contains("# "))
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let again = try await node.admin(["init"])
        #expect(again.status == 1)
        #expect(again.stderr.contains("--force"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
        let invalid = try await node.admin(["init", "--force", "--tls", "sometimes"])
        #expect(invalid.status == 1)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text, "a refused init changes nothing")
    }

    @Test func brokenConfigStopsTheNodeAndNamesTheLine() async throws {
        let node = try NodeProcess()
        try await node.start()
        let password = try #require(node.firstAdminPassword)
        await node.stop()
        let broken = "# comment\nport: 8090\nsession_ttl: soon\n"
        try node.writeConfig(broken)
        await #expect(throws: NodeProcess.NodeFailure.self) { try await node.start() }
        #expect(node.log.contains("line 3") && node.log.contains("session_ttl"), "\(node.log)")
        #expect(try String(contentsOfFile: node.dataPath + "/keepwatch.yaml", encoding: .utf8) == broken, "the file is left as it was")
        try node.writeConfig("port: [\n")
        await #expect(throws: NodeProcess.NodeFailure.self) { try await node.start() }
        #expect(node.log.contains("line"), "\(node.log)")
        try node.writeConfig("# fixed\n")
        try await node.start()
        #expect(try await node.login("admin", password).reply.status == 200, "users survive a broken config")
        await node.stop()
    }

    @Test func cmonProxyUsersAndHashesAreImportedAndUpgraded() async throws {
        let node = try NodeProcess()
        let script = """
            import hashlib, os
            salt = os.urandom(8)
            key = hashlib.pbkdf2_hmac('sha256', b'carol-password', salt, 4096, 32)
            print(salt.hex() + ':4096:' + key.hex())
            """
        let hash = try await Tool.run("python3", ["-c", script]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(hash.split(separator: ":").count == 3, "\(hash)")
        try node.writeConfig("""
            users:
              - username: carol
                email: carol@example.com
                passwordhash: \(hash)
                xid: chebjd8gfi863qqhrolg
            """)
        try await node.start()
        #expect(node.log.contains("users imported from keepwatch.yaml"))
        #expect(node.firstAdminPassword == nil)
        #expect(try await node.login("carol", "wrong-password").reply.status == 401)
        let login = try await node.login("carol", "carol-password")
        #expect(login.reply.status == 200, "\(login.reply.body)")
        #expect((login.reply.object["user"] as? [String: Any])?["role"] as? String == "admin")
        let stored = try await Tool.run("python3", ["-c", """
            import sqlite3; print(sqlite3.connect('\(node.dataPath)/keepwatch.sqlite').execute("SELECT password_hash FROM users WHERE username='carol'").fetchone()[0])
            """]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = stored.split(separator: ":")
        #expect(parts.count == 3 && parts[1] == "600000" && parts[0].count == 32, "upgraded to 16-byte salt and 600,000 rounds: \(stored)")
        let verify = try await Tool.run("python3", ["-c", """
            import hashlib; s, n, k = '\(stored)'.split(':')
            print(hashlib.pbkdf2_hmac('sha256', b'carol-password', bytes.fromhex(s), int(n), 32).hex() == k)
            """])
        #expect(verify.output.contains("True"), "Python agrees with the upgraded hash: \(verify.output)")
        await node.stop()
        try await node.start()
        #expect(try await node.login("carol", "carol-password").reply.status == 200, "the upgraded hash is kept, not re-imported")
        await node.stop()
    }

    @Test func secretsNeverAppearInRepliesOrLogs() async throws {
        let node = try NodeProcess()
        try await node.start()
        let adminPassword = try #require(node.firstAdminPassword)
        #expect(try await node.admin(["adduser", "sam", "sam-secret-password"]).status == 0)
        let (login, sid) = try await node.login("sam", "sam-secret-password")
        let session = try #require(sid)
        let viewerToken = try await node.makeToken(role: "viewer")
        _ = try await node.login("sam", "sam-wrong-password")
        var replies = [login.body]
        for path in ["/proxy/auth/check", "/api/v1/audit", "/api/v1/whoami"] {
            replies.append(try await node.get(path, credentials: .cookie(session)).body)
        }
        replies.append(try await node.get("/api/v1/jobs", credentials: .bearer(viewerToken)).body)
        replies.append(try await node.admin(["listusers", "--json"]).stdout)
        replies.append(try await node.admin(["token", "list", "--json"]).stdout)
        await node.stop()
        let log = node.log
        let secrets = ["sam-secret-password", "sam-wrong-password", session, viewerToken, node.token, String(viewerToken.dropFirst(3))]
        for secret in secrets {
            #expect(!log.contains(secret), "log leaks a secret")
            #expect(!replies.contains { $0.contains(secret) }, "a reply leaks a secret")
        }
        #expect(!replies.contains { $0.contains("password_hash") || $0.contains("passwordhash") || $0.contains(":600000:") })
        #expect(log.components(separatedBy: adminPassword).count == 2, "the first admin password is shown exactly once")
    }
}
