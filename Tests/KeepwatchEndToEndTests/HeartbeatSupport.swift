import NIOHTTP1
import Foundation

/// curl, as cron one-liners and backup hooks ping Healthchecks: `curl -fsS -m 10 --retry 0 URL`.
struct Curl {
    struct Reply {
        let status: Int
        let body: String
        let headers: [String: String]
    }

    static func ping(_ url: String, method: String = "GET", body: String? = nil, headers: [String] = []) async throws -> Reply {
        try await offloaded {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            var arguments = ["-s", "-m", "20", "-X", method, "-D", "-", url]
            if method == "HEAD" { arguments = ["-s", "-m", "20", "-I", "-D", "-", url] }
            if let body { arguments += ["--data-binary", "@-"] }
            for header in headers { arguments += ["-H", header] }
            process.arguments = arguments
            let output = Pipe()
            let input = Pipe()
            process.standardOutput = output
            process.standardInput = body == nil ? FileHandle.nullDevice : input
            try process.run()
            if let body {
                input.fileHandleForWriting.write(Data(body.utf8))
                try? input.fileHandleForWriting.close()
            }
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let text = String(decoding: data, as: UTF8.self)
            let parts = text.components(separatedBy: "\r\n\r\n")
            let head = parts.first ?? ""
            var headers: [String: String] = [:]
            for line in head.split(separator: "\r\n").dropFirst() {
                let pair = line.split(separator: ":", maxSplits: 1)
                if pair.count == 2 { headers[pair[0].lowercased()] = pair[1].trimmingCharacters(in: .whitespaces) }
            }
            let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
            return Reply(status: status, body: parts.dropFirst().joined(separator: "\r\n\r\n"), headers: headers)
        }
    }
}

extension NodeProcess {
    /// A heartbeat check made through the native API; returns its document.
    func makeHeartbeat(_ fields: [String: Any]) async throws -> [String: Any] {
        let reply = try await request(.POST, "/api/v1/checks", json: fields.merging(["kind": "heartbeat"]) { old, _ in old })
        guard reply.status == 201 else { throw NodeFailure(description: "check not created: \(reply.status) \(reply.body)") }
        return reply.object
    }

    func heartbeat(_ id: String) async throws -> [String: Any] {
        try await get("/api/v1/checks/\(id)").object
    }

    func apiKey(readOnly: Bool = false) async throws -> String {
        let result = try await admin(["apikey", "create", "--name", "e2e"] + (readOnly ? ["--read-only"] : []))
        guard result.status == 0, let key = result.lines.first, key.count == 32 else {
            throw NodeFailure(description: "no api key: \(result.stderr)")
        }
        return key
    }

    /// The Healthchecks API with an `X-Api-Key`.
    func v3(_ method: HTTPMethod, _ path: String, key: String?, json: Any? = nil, rawBody: String? = nil) async throws -> Reply {
        try await request(method, "/api/v3/" + path, json: json, rawBody: rawBody, credentials: .none,
                          headers: key.map { [("X-Api-Key", $0)] } ?? [])
    }
}
