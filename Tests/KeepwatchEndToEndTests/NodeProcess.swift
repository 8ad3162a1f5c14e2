import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A real `keepwatch serve` in a temporary data directory, on a free loopback port, for one test.
final class NodeProcess: @unchecked Sendable {
    let root: URL
    let dataPath: String
    private(set) var process: Process?
    private(set) var port = 0
    private var starts = 0
    /// An admin API token made with `keepwatch admin token create` before the first start; every request sends it
    /// unless it asks for other credentials.
    private(set) var token = ""
    var scheme = "http"

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("keepwatch-e2e-\(UUID().uuidString)")
        dataPath = root.appendingPathComponent("data").path
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    deinit {
        if let process, process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: root)
    }

    var logPath: String { root.appendingPathComponent("serve-\(starts).log").path }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
    var baseURL: String { "\(scheme)://127.0.0.1:\(port)" }
    /// What the CLI needs to reach this node.
    var clientEnvironment: [String: String] { ["KEEPWATCH_URL": baseURL, "KEEPWATCH_TOKEN": token] }

    /// `keepwatch admin ARGUMENTS --data <this node's data>`.
    func admin(_ arguments: [String], input: String? = nil) async throws -> KeepwatchBinary.Result {
        let dataPath = dataPath
        return try await KeepwatchBinary.run(["admin"] + arguments + ["--data", dataPath], input: input)
    }

    /// A new API token with `role`; its secret.
    func makeToken(role: String, expires: String? = nil, name: String = "e2e") async throws -> String {
        let result = try await admin(["token", "create", "--role", role, "--name", name] + (expires.map { ["--expires", $0] } ?? []))
        guard result.status == 0, let secret = result.lines.first, secret.hasPrefix("kw_") else {
            throw NodeFailure(description: "token create failed: \(result.stderr)")
        }
        return secret
    }

    /// Starts the node and waits until it answers `/healthz`.
    func start(extraArguments: [String] = [], environment: [String: String] = [:]) async throws {
        if token.isEmpty { token = try await makeToken(role: "admin") }
        starts += 1
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let process = Process()
        process.executableURL = KeepwatchBinary.url
        process.arguments = ["serve", "--data", dataPath, "--port", "0"] + extraArguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = output
        process.standardError = output
        try process.run()
        self.process = process
        for _ in 0..<300 {
            if let line = log.split(separator: "\n").first(where: { $0.contains("starting http server on port") }),
               let value = line.split(separator: " ").first(where: { $0.hasPrefix("address=") })?.split(separator: ":").last,
               let found = Int(value) {
                port = found
                if line.contains("scheme=https") { scheme = "https" }
                return
            }
            if !process.isRunning { throw NodeFailure(description: "keepwatch serve exited: \(log)") }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        throw NodeFailure(description: "keepwatch serve did not start: \(log)")
    }

    /// Sends `signal` and waits for the process to exit.
    func stop(signal: Int32 = SIGTERM) async {
        guard let process else { return }
        kill(process.processIdentifier, signal)
        for _ in 0..<200 where process.isRunning { try? await Task.sleep(nanoseconds: 50_000_000) }
    }

    struct NodeFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// How a test request identifies itself.
    enum Credentials {
        case adminToken
        case none
        case bearer(String)
        case cookie(String)
    }

    struct Reply {
        let status: UInt
        let body: String
        var headers: HTTPHeaders = [:]
        var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed]) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
    }

    /// A client that hands back redirects instead of following them (the web face answers forms with 303).
    static let withoutRedirects = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

    func request(_ method: HTTPMethod, _ path: String, json: Any? = nil, rawBody: String? = nil,
                 credentials: Credentials = .adminToken, headers: [(String, String)] = [], followRedirects: Bool = true) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        switch credentials {
        case .adminToken: request.headers.add(name: "Authorization", value: "Bearer \(token)")
        case .none: break
        case .bearer(let secret): request.headers.add(name: "Authorization", value: "Bearer \(secret)")
        case .cookie(let sid): request.headers.add(name: "Cookie", value: "sid=\(sid)")
        }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let json {
            request.body = .bytes(ByteBuffer(bytes: Array(try JSONSerialization.data(withJSONObject: json))))
            request.headers.add(name: "Content-Type", value: "application/json")
        } else if let rawBody {
            request.body = .bytes(ByteBuffer(string: rawBody))
        }
        let client = followRedirects ? HTTPClient.shared : Self.withoutRedirects
        let response = try await client.execute(request, timeout: .seconds(120))
        let body = try await response.body.collect(upTo: 16 << 20)
        return Reply(status: response.status.code, body: String(buffer: body), headers: response.headers)
    }

    func get(_ path: String, credentials: Credentials = .adminToken) async throws -> Reply {
        try await request(.GET, path, credentials: credentials)
    }

    /// Polls `condition` every 100 ms for up to `seconds`.
    func eventually(_ seconds: Double = 15, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        return try await condition()
    }

    func runs(_ jobID: String) async throws -> [[String: Any]] {
        try await get("/api/v1/runs?job_id=\(jobID)").object["runs"] as? [[String: Any]] ?? []
    }

    func makeDirectory(_ name: String, files: [String: String]) throws -> String {
        let directory = root.appendingPathComponent(name)
        for (path, contents) in files {
            let url = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: url, atomically: true, encoding: .utf8)
        }
        return directory.path
    }
}
