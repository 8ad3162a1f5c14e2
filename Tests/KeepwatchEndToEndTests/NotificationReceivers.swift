import Foundation

/// The receivers the notification tests send to, on 127.0.0.1: an HTTP server that records every request (and
/// can answer 500 for a while), and aiosmtpd with STARTTLS and AUTH that saves every mail.
final class NotificationReceiver: @unchecked Sendable {
    let directory: URL
    let port: Int
    private let process: Process

    struct Request {
        let method: String
        let path: String
        let headers: [String: String]
        let body: String
        let status: Int

        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
    }

    struct Mail {
        let raw: String
        let envelope: [String: Any]
    }

    static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Support/notify_receivers.py").path
    }

    private init(directory: URL, port: Int, process: Process) {
        self.directory = directory
        self.port = port
        self.process = process
    }

    static func start(_ arguments: [String], in root: URL, name: String, port fixed: Int? = nil,
                      environment: [String: String] = [:]) async throws -> NotificationReceiver {
        let directory = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let portFile = directory.appendingPathComponent("port").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.arguments = ["python3", script, arguments[0], directory.path, portFile] + arguments.dropFirst() + (fixed.map { ["\($0)"] } ?? [])
        let log = directory.appendingPathComponent("receiver.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        for _ in 0..<200 {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let port = Int(text) {
                return NotificationReceiver(directory: directory, port: port, process: process)
            }
            if !process.isRunning { break }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        process.terminate()
        throw NodeProcess.NodeFailure(description: "the \(name) receiver did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }

    static func http(in root: URL, name: String = "http") async throws -> NotificationReceiver {
        try await start(["http"], in: root, name: name)
    }

    static func smtp(in root: URL, user: String, password: String, implicitTLS: Bool = false) async throws -> NotificationReceiver {
        let cert = root.appendingPathComponent("smtp-cert.pem").path
        let key = root.appendingPathComponent("smtp-key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
                             "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        return try await start(["smtp", cert, key, user, password], in: root, name: implicitTLS ? "smtps" : "smtp",
                               environment: implicitTLS ? ["SMTP_IMPLICIT_TLS": "1"] : [:])
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// A saved mail as Python's own mail parser reads it: headers and decoded parts.
    static func parseMail(_ path: String) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "parse-mail", path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (try JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }
    var certificate: String { directory.deletingLastPathComponent().appendingPathComponent("smtp-cert.pem").path }

    func answer(_ status: Int, times: Int) throws {
        try "\(status) \(times)".write(to: directory.appendingPathComponent("status"), atomically: true, encoding: .utf8)
    }

    var requests: [Request] {
        guard let text = try? String(contentsOf: directory.appendingPathComponent("requests.jsonl"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return Request(method: object["method"] as? String ?? "", path: object["path"] as? String ?? "",
                           headers: object["headers"] as? [String: String] ?? [:], body: object["body"] as? String ?? "",
                           status: object["status"] as? Int ?? 0)
        }
    }

    func requests(to path: String) -> [Request] { requests.filter { $0.path == path } }

    var mails: [Mail] {
        var result: [Mail] = []
        for index in 1... {
            let base = directory.appendingPathComponent("\(index)")
            guard let raw = try? String(contentsOf: base.appendingPathExtension("eml"), encoding: .utf8) else { break }
            let envelope = (try? JSONSerialization.jsonObject(with: Data(contentsOf: base.appendingPathExtension("json")))) as? [String: Any] ?? [:]
            result.append(Mail(raw: raw, envelope: envelope))
        }
        return result
    }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }
}
