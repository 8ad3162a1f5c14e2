import Foundation
import KeepwatchCore
import KeepwatchMonitor
import KeepwatchStore
import Logging
import Testing

/// The heartbeat service over a real SQLite file: concurrent pings are stored in group commits, each answered only
/// once stored, and what was stored comes back after a reopen.
struct HeartbeatServiceTests {
    func withService(_ settings: HeartbeatSettings = HeartbeatSettings(), _ body: (HeartbeatService, String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heartbeats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("keepwatch.sqlite").path
        let store = try await SQLiteStore.open(path: path)
        let service = HeartbeatService(store: store, settings: settings, logger: Logger(label: "test"))
        try await service.start()
        try await body(service, path)
        await service.stop()
        try await store.close()
    }

    func ping(_ uuid: String, body: String = "") -> HeartbeatPingRequest {
        HeartbeatPingRequest(target: .uuid(uuid), kind: .success, exitStatus: nil, rid: nil, method: "POST", scheme: "http",
                             remoteAddress: "127.0.0.1", userAgent: "test", body: Array(body.utf8))
    }

    @Test func concurrentPingsAreAllStoredBeforeTheyAreAnswered() async throws {
        try await withService { service, path in
            var specs: [String] = []
            for index in 0..<20 {
                var spec = HeartbeatSpec()
                spec.name = "check-\(index)"
                specs.append(try await service.create(spec).view.check.uuid)
            }
            let outcomes = await withTaskGroup(of: HeartbeatPingRequest.Outcome.self) { group in
                for uuid in specs { for run in 0..<10 { group.addTask { await service.ping(self.ping(uuid, body: "run \(run)")) } } }
                var all: [HeartbeatPingRequest.Outcome] = []
                for await outcome in group { all.append(outcome) }
                return all
            }
            #expect(outcomes.count == 200 && outcomes.allSatisfy { $0 == .ok })
            let reopened = try await SQLiteStore.open(path: path)
            let stored = try await reopened.heartbeatChecks()
            #expect(stored.count == 20 && stored.allSatisfy { $0.check.pingCount == 10 && $0.check.status == .up })
            for uuid in specs {
                let pings = try await reopened.heartbeatPings(uuid: uuid, limit: 100)
                #expect(pings.map(\.number) == Array((1...10).reversed()))
            }
            try await reopened.close()
        }
    }

    @Test func aReadOnlyKeySeesTheUniqueKeyHealthchecksComputes() {
        #expect(HeartbeatService.uniqueKey("3f2504e0-4f89-41d3-9a0c-0305e82c3301") == "35e43e8524ba7238ad01656dd2a411461bcc7057",
                "sha1 of the first 16 hex digits, as Python computes it")
    }

    @Test func eachCheckKeepsItsLastHundredPings() async throws {
        try await withService(HeartbeatSettings(burst: 1_000)) { service, _ in
            var spec = HeartbeatSpec()
            spec.name = "busy"
            let uuid = try await service.create(spec).view.check.uuid
            for _ in 0..<250 { #expect(await service.ping(ping(uuid)) == .ok) }
            let pings = try await service.pings(uuid)
            #expect(pings.count <= 150 && pings.first?.number == 250, "pruned each hundredth ping down to the last 100")
            #expect(try await service.pingBody(uuid, number: 100) == nil, "older than the last 100")
        }
    }

    @Test func aPingTheStoreRefusesIsAnsweredUnavailableAndTheServiceGoesOn() async throws {
        try await withService { service, path in
            var spec = HeartbeatSpec()
            spec.name = "fragile"
            let uuid = try await service.create(spec).view.check.uuid
            #expect(await service.ping(ping(uuid)) == .ok)
            // Another process breaks the file under the running node: the writer's next batch fails.
            let python = Process()
            python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            python.arguments = ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('DROP TABLE heartbeat_pings'); c.commit()", path]
            try python.run()
            python.waitUntilExit()
            #expect(python.terminationStatus == 0)
            for _ in 0..<3 {
                guard case .unavailable(let why) = await service.ping(ping(uuid)) else {
                    Issue.record("a ping that was not stored was answered as stored")
                    return
                }
                #expect(why.contains("heartbeat_pings"), "\(why)")
            }
        }
    }
}
