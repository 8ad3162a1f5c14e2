import Foundation
import NIOHTTP1
import Testing

/// The web page at `/`, through the real binary: in headless Chromium driven by Selenium (`Tests/Support/
/// web_browser_check.py`), and request by request for what a browser hides (headers, caching, refusals).
@Suite(.serialized) struct WebDashboardTests {
    static let support = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Support")
    static let screenshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/screenshots").path

    static let users = ["admin": ("root", "admin-password-1"), "operator": ("olga", "operator-password-1"), "viewer": ("vic", "viewer-password-1")]

    /// A node with users of each role, jobs that succeed, fail, run slowly and never ran, a backup, and sources
    /// whose targets are partial, failed and offline: every state of the board.
    static func populatedNode() async throws -> (NodeProcess, [FakeSource]) {
        let node = try NodeProcess()
        for (role, (name, password)) in users {
            let made = try await node.admin(["adduser", name, "--role", role], input: password + "\n")
            #expect(made.status == 0, "\(made.stderr)")
        }
        let mgob = try await FakeSource(kind: "mgob", fixture: HubFixtures.mgobWithOneFailedPlan, in: node.root)
        let gone = try await FakeSource(kind: "mgob", fixture: [
            "status": [["plan": "mongo-old", "last_run": HubFixtures.time(hoursAgo: 2), "last_run_status": "200", "last_run_log": "ok"]],
            "version": ["mgob_version": "1.12.0"],
        ], in: node.root)
        let mysql = try await FakeSource(kind: "ethoscope-mysql", fixture: ["status": HubSourceTests.mysqlBody], in: node.root)
        let rsync = try await FakeSource(kind: "ethoscope-rsync", fixture: ["status": HubSourceTests.rsyncBody], in: node.root)
        try await node.start()
        _ = try await node.addSource(["kind": "mgob", "url": mgob.url, "name": "mongo-backups"])
        _ = try await node.addSource(["kind": "mgob", "url": gone.url, "name": "old-mongo", "timeout": 2])
        _ = try await node.addSource(["kind": "ethoscope", "url": "http://127.0.0.1", "name": "lab", "mysql_url": mysql.url + "/status",
                                      "rsync_url": rsync.url + "/status", "timeout": 3])
        gone.stop()
        _ = try await node.get("/api/v1/sources?force_update=true")
        let tree = try node.makeDirectory("tree", files: ["a.txt": "alpha", "b/c.txt": "gamma"])
        let jobs: [(String, [String: Any])] = [
            ("good", ["action": "exec", "command": "echo all good"]),
            ("bad", ["action": "exec", "command": "echo disk on fire >&2; exit 3"]),
            ("slow", ["action": "exec", "command": "for i in 1 2 3 4 5 6 7 8; do echo step $i; sleep 1; done"]),
            ("fresh", ["action": "exec", "command": "true"]),
            ("docs", ["action": "backup", "mode": "fs", "path_to_backup": tree, "backup_name": "docs"]),
        ]
        for (id, action) in jobs {
            let made = try await node.request(.POST, "/api/v1/jobs", json: [
                "job_id": id, "job_schedule": ["schedule_interval": "1 days"], "job_actions": [["freezer_action": action]],
            ])
            #expect(made.status == 201, "\(made.body)")
        }
        for id in ["good", "bad", "docs"] {
            #expect(try await node.request(.POST, "/api/v1/jobs/\(id)/run").status == 202)
        }
        #expect(try await node.eventually(30) {
            let runs = try await node.runs("good") + node.runs("bad") + node.runs("docs")
            return runs.count == 3 && runs.allSatisfy { $0["status"] as? String != "running" }
        }, "the first runs end")
        return (node, [mgob, gone, mysql, rsync])
    }

    static func states(_ node: NodeProcess) async throws -> [String: String] {
        let targets = try await node.get("/api/v1/overview?per_page=1000").object["targets"] as? [[String: Any]] ?? []
        return Dictionary(targets.map { ($0["name"] as? String ?? "", $0["state"] as? String ?? "") }) { first, _ in first }
    }

    @Test func inARealBrowserEveryStateShowsAndAnOperatorRunsAJobWhileAViewerCannot() async throws {
        let (node, sources) = try await Self.populatedNode()
        defer { sources.forEach { $0.stop() } }
        let everyState = try await node.eventually(10) {
            let states = try await Self.states(node)
            return states["good"] == "success" && states["bad"] == "error" && states["fresh"] == "unknown"
                && states["ETHOSCOPE_002"] == "partial" && states["mongo-old"] == "offline" && states["mongo-dev"] == "error"
        }
        let board = try await Self.states(node)
        #expect(everyState, "the board has every state but running: \(board)")
        #expect(try await node.request(.POST, "/api/v1/jobs/slow/run").status == 202)
        #expect(try await node.eventually(5) { try await Self.states(node)["slow"] == "running" }, "a running job shows as running")
        #expect(try await node.eventually(30) { try await Self.states(node)["slow"] == "success" })

        var users: [String: [String]] = [:]
        for (role, (name, password)) in Self.users { users[role] = [name, password] }
        let config: [String: Any] = ["base": node.baseURL, "users": users, "slow_job": "slow", "check_id": "job-bad",
                                     "screenshots": Self.screenshots]
        let text = String(decoding: try JSONSerialization.data(withJSONObject: config), as: UTF8.self)
        let result = try await Tool.run("python3", [Self.support.appendingPathComponent("web_browser_check.py").path, text])
        #expect(result.status == 0, "\(result.output)")
        #expect(!result.output.contains("FAIL:"), "\(result.output)")
        for page in ["overview", "jobs", "job", "run", "backups", "checks", "check", "sources", "notifications", "users", "login"] {
            for width in [1280, 360] {
                #expect(FileManager.default.fileExists(atPath: "\(Self.screenshots)/\(page)-\(width).png"), "screenshot \(page) at \(width) px")
            }
        }
    }
}
