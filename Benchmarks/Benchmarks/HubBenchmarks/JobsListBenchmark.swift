import AsyncHTTPClient
import Foundation
import KeepwatchCore
import KeepwatchEngine
import KeepwatchHTTP
import KeepwatchHub
import KeepwatchMonitor
import KeepwatchStore
import Logging
import NIOCore

/// `GET /api/v1/jobs` through the real HTTP application with `count` jobs: p50 and p99 of 30 requests after 3 warm-ups.
enum JobsListBenchmark {
    static func run(counts: [Int]) async throws {
        print("| jobs | GET /api/v1/jobs p50 ms | p99 ms | reply KB |")
        print("|--:|--:|--:|--:|")
        for count in counts { try await measure(count) }
    }

    static func measure(_ count: Int) async throws {
        let bench = try await BenchData.open("jobs-bench-\(count)")
        let (store, logger) = (bench.store, bench.logger)
        let jobs = JobService(store: store, data: bench.data, logger: logger, auditor: { _ in })
        try await jobs.start()
        for index in 0..<count {
            let document: JSONValue = [
                "job_id": .string("job-\(index)"), "description": .string("nightly backup \(index)"),
                "job_schedule": ["schedule_interval": "1 days", "status": "stop"],
                "job_actions": [["freezer_action": ["action": "backup", "mode": "fs", "path_to_backup": "/srv/data",
                                                     "backup_name": .string("data-\(index)"), "compression": "zstd"]]],
            ]
            _ = try await jobs.create(document)
        }
        let accounts = AccountService(store: store, sessionTTL: 3600, logger: logger)
        let (_, token) = try await accounts.createToken(name: "bench", role: .admin, expiresIn: nil)
        let hub = HubService(store: store, jobs: jobs, version: "bench", logger: logger)
        let ports = AsyncStream<Int>.makeStream()
        let heartbeats = HeartbeatService(store: bench.store, logger: bench.logger)
        let promises = PromiseRunner(data: bench.data, settings: .init(title: "bench", base: "http://127.0.0.1"), logger: bench.logger)
        let app = try HTTPServer.application(jobs: jobs, hub: hub, heartbeats: heartbeats, promises: promises, data: bench.data, security: .init(accounts: accounts, policy: AccessPolicy(publicStatus: false), tls: nil),
                                             host: "127.0.0.1", port: 0, version: "bench", logger: logger,
                                             onRunning: { port in ports.continuation.yield(port) })
        let server = Task { try await app.runService() }
        var iterator = ports.stream.makeAsyncIterator()
        guard let port = await iterator.next() else { return }
        var times: [Double] = []
        var bytes = 0
        for round in 0..<33 {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/jobs")
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            let start = DispatchTime.now().uptimeNanoseconds
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            let body = try await response.body.collect(upTo: 1 << 30)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            bytes = body.readableBytes
            if round >= 3 { times.append(elapsed) }
        }
        times.sort()
        print("| \(count) | \(String(format: "%.1f", times[15])) | \(String(format: "%.1f", times[29])) | \(bytes >> 10) |")
        server.cancel()
        await jobs.shutdown()
        try await bench.close()
    }
}
