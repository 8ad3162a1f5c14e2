import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// `Tests/Support/fake_sources.py` on a free loopback port: a ClusterControl controller (cmon RPC v2), an mgob, or
/// one of an Ethoscope node's two backup daemons, serving a fixture. `control` switches it to misbehave.
final class FakeSource: @unchecked Sendable {
    let kind: String
    private(set) var port = 0
    private let process: Process

    static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Support/fake_sources.py").path
    }

    init(kind: String, fixture: [String: Any], in root: URL) async throws {
        self.kind = kind
        let name = "\(kind)-\(UUID().uuidString.prefix(8))"
        let fixtureFile = root.appendingPathComponent("\(name).json")
        let portFile = root.appendingPathComponent("\(name).port")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: fixture).write(to: fixtureFile)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script, "--kind", kind, "--fixture", fixtureFile.path, "--port-file", portFile.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<100 {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let found = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                port = found
                return
            }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        throw NodeProcess.NodeFailure(description: "fake \(kind) did not start")
    }

    deinit { stop() }

    var url: String { "http://127.0.0.1:\(port)" }

    /// SIGKILL: the fake inherits the test runner's ignored SIGTERM.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// `mode` (ok, hang, 500, garbage, oversized), `fixture`, `expire_sessions`.
    func control(_ body: [String: Any]) async throws {
        var request = HTTPClientRequest(url: url + "/__control")
        request.method = .POST
        request.body = .bytes(ByteBuffer(bytes: Array(try JSONSerialization.data(withJSONObject: body))))
        _ = try await HTTPClient.shared.execute(request, timeout: .seconds(10)).body.collect(upTo: 1 << 20)
    }

    /// Every request the fake received (method, path, cookie, authorization, body).
    func requests() async throws -> [[String: Any]] {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url + "/__requests"), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 64 << 20)
        return (try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [[String: Any]]) ?? []
    }
}

/// Fixtures in each remote's documented shape, with times relative to now so that cmon-proxy's windows hold them.
enum HubFixtures {
    /// An mgob with two plans: `mongo-dev` failed an hour ago, `mongo-prod` succeeded.
    static var mgobWithOneFailedPlan: [String: Any] { [
        "status": [
            ["plan": "mongo-dev", "next_run": time(hoursAgo: -23), "last_run": time(hoursAgo: 1),
             "last_run_status": "500", "last_run_log": "Backup failed exit status 1"],
            ["plan": "mongo-prod", "next_run": time(hoursAgo: -23), "last_run": time(hoursAgo: 1),
             "last_run_status": "200", "last_run_log": "Backup finished in 2.1s archive mongo-prod-1.gz size 1.2 MB"],
        ],
        "version": ["mgob_version": "1.12.0", "repository": "github.com/stefanprodan/mgob"],
    ] }

    static func time(hoursAgo: Double) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date().addingTimeInterval(-hoursAgo * 3600))
    }

    static func host(_ id: Int, _ name: String, _ port: Int, _ status: String, _ type: String, _ role: String, cluster: Int) -> [String: Any] {
        ["hostId": id, "hostname": name, "port": port, "hoststatus": status, "nodetype": type, "role": role, "clusterid": cluster,
         "class_name": "CmonHost"]
    }

    /// Two clusters (a PostgreSQL one tagged prod+eu with a controller, a master and a stopped replica; a MySQL one
    /// tagged prod, degraded, without a backup schedule), an alarm each, two jobs, one schedule, two backups.
    static func cmon(password: String = "secret") -> [String: Any] {
        [
            "version": "2.2.0", "controller_id": "926e81d6-cfde-41f1", "users": [["user_name": "admin", "password": password]],
            "clusters": [
                ["cluster_id": 1, "cluster_name": "pg1", "cluster_type": "POSTGRESQL_SINGLE", "state": "STARTED", "tags": ["prod", "eu"],
                 "class_name": "CmonClusterInfo",
                 "hosts": [host(1, "10.0.0.1", 9500, "CmonHostOnline", "controller", "controller", cluster: 1),
                           host(2, "10.0.0.2", 5432, "CmonHostOnline", "postgres", "master", cluster: 1),
                           host(3, "10.0.0.3", 5432, "CmonHostShutDown", "postgres", "slave", cluster: 1)]],
                ["cluster_id": 2, "cluster_name": "my2", "cluster_type": "REPLICATION", "state": "DEGRADED", "tags": ["prod"],
                 "class_name": "CmonClusterInfo",
                 "hosts": [host(4, "10.0.0.1", 9500, "CmonHostOnline", "controller", "controller", cluster: 2),
                           host(5, "10.0.0.5", 3306, "CmonHostOnline", "mysql", "master", cluster: 2)]],
            ],
            "alarms": [
                "1": [["alarm_id": 11, "cluster_id": 1, "component_name": "Cluster", "created": time(hoursAgo: 3), "hostname": "",
                       "title": "Backup failed", "message": "m", "severity_name": "ALARM_WARNING", "type_name": "BackupFailed", "ignored": 0]],
                "2": [["alarm_id": 12, "cluster_id": 2, "component_name": "Host", "created": time(hoursAgo: 2), "hostname": "10.0.0.5",
                       "title": "CPU", "message": "m", "severity_name": "ALARM_CRITICAL", "type_name": "HostCpuUsage", "ignored": 0]],
            ],
            "jobs": [
                ["job_id": 100, "cluster_id": 1, "status": "FINISHED", "title": "Create Backup", "created": time(hoursAgo: 2),
                 "job_spec": ["command": "backup"]],
                ["job_id": 101, "cluster_id": 2, "status": "FAILED", "title": "Create Backup", "created": time(hoursAgo: 1),
                 "job_spec": ["command": "backup"]],
                ["job_id": 90, "cluster_id": 1, "status": "FINISHED", "title": "Too old", "created": time(hoursAgo: 30),
                 "job_spec": ["command": "backup"]],
            ],
            "scheduled": [["job_id": 50, "cluster_id": 1, "status": "SCHEDULED", "title": "Daily", "created": time(hoursAgo: 700),
                           "job_spec": ["command": "backup"]]],
            "backups": [
                ["metadata": ["id": 7, "cid": 1, "method": "pgbackrestfull", "status": "Completed", "created": time(hoursAgo: 3)],
                 "host_locations": [], "cloud_locations": []],
                ["metadata": ["id": 8, "cid": 2, "method": "xtrabackupfull", "status": "Failed", "created": time(hoursAgo: 4)],
                 "host_locations": [], "cloud_locations": []],
                ["metadata": ["id": 3, "cid": 2, "method": "xtrabackupfull", "status": "Completed", "created": time(hoursAgo: 24 * 10)],
                 "host_locations": [], "cloud_locations": []],
            ],
        ]
    }
}

extension NodeProcess {
    /// Adds a source through `/proxy/controllers/add`; its reply's `controller`.
    func addSource(_ controller: [String: Any]) async throws -> [String: Any] {
        let reply = try await request(.POST, "/proxy/controllers/add", json: ["controller": controller])
        guard reply.status == 200, let status = reply.object["controller"] as? [String: Any] else {
            throw NodeFailure(description: "add failed: \(reply.status) \(reply.body)")
        }
        return status
    }

    /// POSTs a view's request body and returns the reply object.
    func view(_ path: String, _ body: [String: Any] = [:]) async throws -> [String: Any] {
        let reply = try await request(.POST, path, json: body)
        guard reply.status == 200 else { throw NodeFailure(description: "\(path): \(reply.status) \(reply.body)") }
        return reply.object
    }

    func controllerStatus(_ xid: String) async throws -> [String: Any]? {
        let controllers = try await get("/proxy/controllers/status").object["controllers"] as? [[String: Any]] ?? []
        return controllers.first { $0["xid"] as? String == xid }
    }
}
