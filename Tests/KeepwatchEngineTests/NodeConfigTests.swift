import Foundation
import KeepwatchCore
import KeepwatchEngine
import Testing

/// keepwatch.yaml: every key, cmon-proxy's forms, and errors that name the line.
@Suite struct NodeConfigTests {
    @Test func defaultsAndTheTemplateAgree() throws {
        let parsed = try NodeConfig.parse(NodeConfig.defaultText, path: "keepwatch.yaml")
        #expect(parsed == NodeConfig())
        #expect(!parsed.tlsEnabled && parsed.sessionTTL == 3600 && !parsed.publicStatus && parsed.users.isEmpty)
    }

    @Test func securityKeys() throws {
        let config = try NodeConfig.parse("""
            bind: 0.0.0.0
            tls: auto
            tls_cert: server.crt
            tls_key: server.key
            session_ttl: 3600000000000
            public_status: true
            users:
              - username: admin
                passwordhash: 0011:4096:aabb
                email: admin@example.com
                groups: [admins]
              - username: watcher
                passwordhash: 0011:4096:aabb
                role: viewer
                suspended: true
            """, path: "k.yaml")
        #expect(config.tls == .auto && config.tlsEnabled && !config.bindsLoopbackOnly)
        #expect(config.sessionTTL == 3600)
        #expect(config.publicStatus)
        #expect(config.users.map(\.username) == ["admin", "watcher"])
        #expect(config.users[0].role == .admin && config.users[0].email == "admin@example.com")
        #expect(config.users[1].role == .viewer && config.users[1].suspended)
        #expect(try NodeConfig.parse("session_ttl: 90m", path: "k").sessionTTL == 5400)
        #expect(try NodeConfig.parse("tls_cert: a\ntls_key: b", path: "k").tlsEnabled, "files alone turn TLS on")
    }

    @Test func environmentOverridesCertificateFiles() throws {
        let directory = try TemporaryDirectory()
        let data = DataDirectory(path: directory.path)
        try directory.write("keepwatch.yaml", "tls_cert: a.crt\ntls_key: a.key\n")
        let config = try NodeConfig.loadOrCreate(data, environment: ["TLS_CERTIFICATE_FILE": "/etc/x.crt", "TLS_KEY_FILE": "/etc/x.key"])
        #expect(config.tlsCertificate == "/etc/x.crt" && config.tlsKey == "/etc/x.key")
    }

    @Test func errorsNameTheLine() {
        let cases: [(String, String)] = [
            ("port: 8090\ntls: maybe\n", "k.yaml, line 2: tls must be off, on or auto"),
            ("\n\nsession_ttl: soon\n", "k.yaml, line 3: session_ttl must be nanoseconds"),
            ("session_ttl: 5\n", "line 1: session_ttl must be at least one second"),
            ("public_status: yes please\n", "line 1: public_status must be true or false"),
            ("users:\n  - username: a\n    passwordhash: plain\n", "line 3: users[0].passwordhash is not a hex(salt):iterations:hex(key) hash"),
            ("users:\n  - username: a b\n    passwordhash: 00:1:00\n", "line 2: users[0].username 'a b'"),
            ("users:\n  - username: a\n    passwordhash: 00:1:00\n    role: root\n", "line 4: users[0].role must be one of viewer, operator, admin"),
            ("users:\n  - username: a\n    passwordhash: 00:1:00\n  - username: a\n    passwordhash: 00:1:00\n", "line 4: users[1] lists a twice"),
            ("users:\n  - username: a\n    passwordhash: 00:1:00\n    pasword: x\n", "line 4: users[0].pasword is not a user key"),
            ("prot: 1\n", "line 1: prot is not a known key"),
            ("port: 70000\n", "line 1: port must be a number 0-65535"),
        ]
        for (text, expected) in cases {
            #expect(throws: NodeConfig.Failure.self, "\(text)") { try NodeConfig.parse(text, path: "k.yaml") }
            do {
                _ = try NodeConfig.parse(text, path: "k.yaml")
            } catch {
                #expect("\(error)".contains(expected), "\(error) should contain \(expected)")
            }
        }
    }
}
