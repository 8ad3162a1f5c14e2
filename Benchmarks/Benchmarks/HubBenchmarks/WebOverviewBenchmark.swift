import AsyncHTTPClient
import Foundation
import KeepwatchCore
import KeepwatchEngine
import KeepwatchHTTP
import KeepwatchHub
import KeepwatchMonitor
import Logging
import NIOCore

/// The web overview (`GET /`, gzip) over the hub's sources through the real HTTP application, beside its JSON twin
/// (`GET /api/v1/overview`) in the same run: p50 and p99 of 30 requests after 3 warm-ups, and the bytes on the wire.
enum WebOverviewBenchmark {
    static func run(hub: HubService, jobs: JobService, bench: BenchData) async throws {
        let accounts = AccountService(store: bench.store, sessionTTL: 3600, logger: bench.logger)
        let (_, token) = try await accounts.createToken(name: "bench", role: .admin, expiresIn: nil)
        let ports = AsyncStream<Int>.makeStream()
        let app = try HTTPServer.application(
            jobs: jobs, hub: hub, heartbeats: HeartbeatService(store: bench.store, logger: bench.logger),
            promises: PromiseRunner(data: bench.data, settings: .init(title: "bench", base: "http://127.0.0.1"), logger: bench.logger),
            data: bench.data, security: .init(accounts: accounts, policy: AccessPolicy(publicStatus: false), tls: nil),
            host: "127.0.0.1", port: 0, version: "bench", logger: bench.logger, onRunning: { port in ports.continuation.yield(port) })
        let server = Task { try await app.runService() }
        var iterator = ports.stream.makeAsyncIterator()
        guard let port = await iterator.next() else { return }
        let targets = hub.index.states().reduce(0) { $0 + $1.snapshot.clusters.count }
        print("\(hub.index.states().count) sources, \(targets) targets")
        print("| request | p50 ms | p99 ms | bytes on the wire | uncompressed |")
        print("|---|--:|--:|--:|--:|")
        for path in ["/", "/?per_page=1000", "/?state=error&q=c17", "/api/v1/overview", "/api/v1/overview?per_page=1000"] {
            try await measure(port: port, path: path, token: token)
        }
        try await revalidation(port: port)
        server.cancel()
    }

    static func measure(port: Int, path: String, token: String) async throws {
        var times: [Double] = []
        var wire = 0
        var plain = 0
        for round in 0..<33 {
            let start = DispatchTime.now().uptimeNanoseconds
            (wire, plain) = try await fetch(port: port, path: path, headers: [("Authorization", "Bearer \(token)"), ("Accept-Encoding", "gzip")])
            if round >= 3 { times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6) }
        }
        times.sort()
        print("| `GET \(path)` | \(String(format: "%.1f", times[15])) | \(String(format: "%.1f", times[29])) | \(wire >> 10) KB | \(plain >> 10) KB |")
    }

    /// The stylesheet fetched once, then revalidated with its ETag: the second reply must be an empty 304.
    static func revalidation(port: Int) async throws {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/assets/keepwatch.css")
        let first = try await client.execute(request, timeout: .seconds(60))
        let tag = first.headers["ETag"].first ?? ""
        _ = try await first.body.collect(upTo: 1 << 20)
        request.headers.add(name: "If-None-Match", value: tag)
        let second = try await client.execute(request, timeout: .seconds(60))
        let body = try await second.body.collect(upTo: 1 << 20)
        print("assets: /assets/keepwatch.css ETag \(tag), revalidated: \(second.status.code) with \(body.readableBytes) bytes")
    }

    /// A client that neither follows redirects nor inflates gzip, so the bytes counted are the bytes sent.
    static let client = HTTPClient(eventLoopGroupProvider: .singleton,
                                   configuration: .init(redirectConfiguration: .disallow, decompression: .disabled))

    static func fetch(port: Int, path: String, headers: [(String, String)]) async throws -> (wire: Int, plain: Int) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await client.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 1 << 30)
        guard response.status == .ok else { throw BenchFailure("GET \(path): \(response.status.code)") }
        let bytes = Array(body.readableBytesView)
        return (bytes.count, response.headers["Content-Encoding"].first == "gzip" ? inflatedSize(bytes) : bytes.count)
    }

    static func inflatedSize(_ bytes: [UInt8]) -> Int {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("overview-\(UUID().uuidString).gz")
        defer { try? FileManager.default.removeItem(at: file) }
        guard (try? Data(bytes).write(to: file)) != nil else { return 0 }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sh", "-c", "gzip -dc '\(file.path)' | wc -c"]
        let pipe = Pipe()
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return 0 }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Int(String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    struct BenchFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
