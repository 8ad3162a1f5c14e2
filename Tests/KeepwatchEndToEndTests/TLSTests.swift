import Foundation
import Testing

/// HTTPS end to end, checked with curl: a self-signed certificate from `tls: auto`, and a full chain from files.
@Suite(.serialized) struct TLSTests {
    @Test func autoMakesASelfSignedCertificateThatCurlTrusts() async throws {
        let node = try NodeProcess()
        try node.writeConfig("tls: auto\n")
        try await node.start()
        #expect(node.scheme == "https", "\(node.log)")
        let certificate = node.dataPath + "/tls/server.crt"
        let key = node.dataPath + "/tls/server.key"
        let mode = try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let health = try await Tool.run("curl", ["-sS", "-i", "--cacert", certificate, "\(node.baseURL)/healthz"])
        #expect(health.status == 0, "\(health.output)")
        #expect(health.output.contains("HTTP/1.1 200"))
        #expect(health.output.lowercased().contains("strict-transport-security: max-age=31536000"))
        let untrusted = try await Tool.run("curl", ["-sS", "\(node.baseURL)/healthz"])
        #expect(untrusted.status != 0, "curl must refuse an unknown certificate")

        let password = try #require(node.firstAdminPassword)
        let body = "{\"username\":\"admin\",\"password\":\"\(password)\"}"
        let login = try await Tool.run("curl", ["-sS", "-i", "--cacert", certificate, "-X", "POST", "-d", body, "\(node.baseURL)/proxy/auth/login"])
        #expect(login.output.contains("HTTP/1.1 200"), "\(login.output)")
        let cookie = login.output.split(separator: "\r\n").first { $0.lowercased().hasPrefix("set-cookie: sid=") } ?? ""
        #expect(cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "\(cookie)")
        let plain = try await Tool.run("curl", ["-sS", "http://127.0.0.1:\(node.port)/healthz"])
        #expect(plain.status != 0 || !plain.output.contains("\"ok\""), "plain HTTP must not be served on the TLS port")
        await node.stop()
        let restarted = try String(contentsOfFile: certificate, encoding: .utf8)
        try await node.start()
        #expect(try String(contentsOfFile: certificate, encoding: .utf8) == restarted, "the certificate is kept across restarts")
        await node.stop()
    }

    @Test func fullChainFromEnvironmentFiles() async throws {
        let node = try NodeProcess()
        let directory = node.root.appendingPathComponent("pki").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let openssl: [[String]] = [
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=Test CA",
             "-keyout", "\(directory)/ca.key", "-out", "\(directory)/ca.crt"],
            ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=localhost",
             "-keyout", "\(directory)/server.key", "-out", "\(directory)/server.csr"],
            ["x509", "-req", "-in", "\(directory)/server.csr", "-CA", "\(directory)/ca.crt", "-CAkey", "\(directory)/ca.key",
             "-CAcreateserial", "-days", "2", "-extfile", "\(directory)/san.cnf", "-out", "\(directory)/server.crt"],
        ]
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\n".write(toFile: "\(directory)/san.cnf", atomically: true, encoding: .utf8)
        for arguments in openssl {
            let result = try await Tool.run("openssl", arguments)
            #expect(result.status == 0, "\(result.output)")
        }
        let chain = try String(contentsOfFile: "\(directory)/server.crt", encoding: .utf8) + String(contentsOfFile: "\(directory)/ca.crt", encoding: .utf8)
        try chain.write(toFile: "\(directory)/chain.pem", atomically: true, encoding: .utf8)
        try await node.start(environment: ["TLS_CERTIFICATE_FILE": "\(directory)/chain.pem", "TLS_KEY_FILE": "\(directory)/server.key"])
        #expect(node.scheme == "https")
        let health = try await Tool.run("curl", ["-sS", "--cacert", "\(directory)/ca.crt", "\(node.baseURL)/healthz"])
        #expect(health.status == 0 && health.output.contains("ok"), "\(health.output)")
        let jobs = try await Tool.run("curl", ["-sS", "--cacert", "\(directory)/ca.crt", "-H", "Authorization: Bearer \(node.token)", "\(node.baseURL)/api/v1/jobs"])
        #expect(jobs.output.contains("\"jobs\""), "\(jobs.output)")
        await node.stop()
    }

    @Test func everyInterfaceIsAllowedAndPlainHTTPThereIsWarnedAbout() async throws {
        let node = try NodeProcess()
        try node.writeConfig("bind: 0.0.0.0\n")
        try await node.start()
        #expect(node.log.contains("address=0.0.0.0:"), "\(node.log)")
        #expect(node.log.contains("without TLS"), "\(node.log)")
        #expect(try await node.get("/healthz", credentials: .none).status == 200)
        #expect(try await node.get("/api/v1/jobs", credentials: .none).status == 401)
        await node.stop()
    }

    @Test func missingCertificateFilesStopTheNodeWithTheReason() async throws {
        let node = try NodeProcess()
        try node.writeConfig("tls: on\ntls_cert: /nonexistent/server.crt\ntls_key: /nonexistent/server.key\n")
        await #expect(throws: NodeProcess.NodeFailure.self) { try await node.start() }
        #expect(node.log.contains("/nonexistent/server.crt"), "\(node.log)")
    }
}
