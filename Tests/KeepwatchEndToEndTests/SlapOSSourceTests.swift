import Foundation
import Testing

/// A `slapos` source: another monitor's monitor.haljson, status files and feed, read by the hub. Once a real
/// Keepwatch node (its own promises), once SlapOS's own files served as they are by a plain static web server.
@Suite(.serialized) struct SlapOSSourceTests {
    @Test func anotherMonitorsPromisesAreTargetsAndItsFailuresAlarms() async throws {
        let monitor = try NodeProcess()
        try await monitor.start()
        try PromiseTests.write(monitor, "db-backup.sh", "echo '{\"message\": \"dump is 3 days old\"}'; exit 1", cfg: "[service]\ntitle = DB backup\n")
        try PromiseTests.write(monitor, "site.sh", "echo '{\"message\": \"up\"}'")
        let viewer = try await monitor.makeToken(role: "viewer")
        #expect(try await monitor.eventually(5) { try await monitor.get("/api/v1/checks").object["checks"].map { ($0 as? [Any])?.count == 2 } ?? false })
        for name in ["db-backup", "site"] { _ = try await monitor.request(.POST, "/cgi-bin/monitor-run-promise.cgi?service=\(name)") }
        #expect(try await monitor.eventually(5) { FileManager.default.fileExists(atPath: monitor.dataPath + "/public/site.status.json") })
        try await Task.sleep(nanoseconds: 600_000_000)

        let hub = try NodeProcess()
        try await hub.start()
        let added = try await hub.addSource(["kind": "slapos", "url": monitor.baseURL, "name": "lab", "token": viewer])
        #expect(added["status"] as? String == "ok", "\(added)")
        let clusters = try await hub.view("/proxy/clusters/list", ["force_update": true, "filters": [["key": "cluster_type", "value": "slapos"]]])
        let names = Set((clusters["clusters"] as? [[String: Any]] ?? []).compactMap { $0["cluster_name"] as? String })
        #expect(names == ["DB backup", "site"], "\(clusters)")
        let alarms = try await hub.view("/proxy/alarms/list", ["filters": [["key": "type_name", "value": "PromiseFailed"]]])
        let listed = alarms["alarms"] as? [[String: Any]] ?? []
        #expect(listed.count == 1 && listed.first?["title"] as? String == "Promise DB backup is failing"
                && listed.first?["message"] as? String == "dump is 3 days old", "\(alarms)")
        let wrong = try await hub.request(.POST, "/proxy/controllers/test", json: ["controller": ["kind": "slapos", "url": monitor.baseURL]])
        #expect((wrong.object["controller"] as? [String: Any])?["status"] as? String == "authentication-error", "\(wrong.body)")

        // The hub lists the monitor it reads beside itself: in its HAL document, its global status and its OPML.
        let title = try await monitor.get("/monitor.haljson").object["title"] as? String ?? ""
        #expect(try await hub.eventually(6) {
            let links = try await hub.get("/monitor.haljson").object["_links"] as? [String: Any]
            return (links?["related_monitor"] as? [[String: Any]])?.compactMap { $0["href"] as? String } == [monitor.baseURL + "/public"]
        })
        let global = try await hub.get("/public/monitor.global.json").object["_links"] as? [String: Any]
        #expect((global?["related_monitor"] as? [[String: Any]])?.first?["href"] as? String == monitor.baseURL + "/public")
        let opml = try await hub.get("/public/feeds").body
        #expect(opml.contains("xmlUrl=\"\(hub.baseURL)/public/feed\"") && opml.contains("xmlUrl=\"\(monitor.baseURL)/public/feed\"")
                && opml.contains("text=\"\(title)\""), "\(opml)")
        await hub.stop()
        await monitor.stop()
    }

    @Test func slapOSsOwnFilesAreReadAsTheyAre() async throws {
        let hub = try NodeProcess()
        let site = hub.root.appendingPathComponent("site", isDirectory: true)
        try FileManager.default.createDirectory(at: site.appendingPathComponent("public"), withIntermediateDirectories: true)
        try """
        {"title": "KVM Monitoring interface", "_links": {"related_monitor": []}, "_embedded": {"service": [
          {"id": "kvm-log-parse", "title": "KVM log parse", "_links": {"status": {"href": "/public/kvm-log-parse.status.json"}}},
          {"id": "evil", "title": "Evil", "_links": {"status": {"href": "http://169.254.169.254/latest/meta-data"}}}]}}
        """.write(to: site.appendingPathComponent("monitor.haljson"), atomically: true, encoding: .utf8)
        // The legacy flat status file SlapOS wrote in 2016-18.
        try """
        {"title": "KVM log parse", "status": "ERROR", "message": "too many slow queries", "returncode": 1,
         "start-date": "2026-04-23T15:29:57", "execution-time": 0.2, "change-time": 1776958197, "type": "status"}
        """.write(to: site.appendingPathComponent("public/kvm-log-parse.status.json"), atomically: true, encoding: .utf8)
        try """
        <?xml version="1.0" encoding="iso-8859-1"?>
        <rss version="2.0"><channel><title>KVM</title><link>https://x/public/feed</link><description>KVM</description>
        <item><title>[OK] check-site</title><link>https://x/share/private/</link><description>
        OK</description><category>OK</category><guid isPermaLink="false">abc</guid><pubDate>2026-04-23T15:29:57+0000</pubDate></item>
        </channel></rss>
        """.write(to: site.appendingPathComponent("public/feed"), atomically: true, encoding: .utf8)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let port = Int.random(in: 30_000...40_000)
        server.arguments = ["python3", "-m", "http.server", "--bind", "127.0.0.1", "--directory", site.path, String(port)]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            // python3 may be a pyenv shim that runs the real interpreter as its child, and the test process may pass
            // SIGTERM on ignored: SIGKILL both.
            kill(server.processIdentifier, SIGKILL)
            let reaper = Process()
            reaper.executableURL = URL(fileURLWithPath: "/usr/bin/pkill")
            reaper.arguments = ["-9", "-f", "http.server --bind 127.0.0.1 --directory \(site.path)"]
            try? reaper.run()
            reaper.waitUntilExit()
        }
        try await Task.sleep(nanoseconds: 800_000_000)
        try await hub.start()
        let added = try await hub.addSource(["kind": "slapos", "url": "http://127.0.0.1:\(port)", "name": "kvm"])
        #expect(added["status"] as? String == "ok", "\(added)")
        let clusters = try await hub.view("/proxy/clusters/list", ["filters": [["key": "cluster_type", "value": "slapos"]]])
        let byName = Dictionary(uniqueKeysWithValues: (clusters["clusters"] as? [[String: Any]] ?? []).compactMap { cluster in
            (cluster["cluster_name"] as? String).map { ($0, cluster["state"] as? String ?? "") }
        })
        #expect(byName == ["KVM log parse": "FAILURE", "check-site": "STARTED"], "the link off the host is not followed: \(clusters)")
        let alarms = try await hub.view("/proxy/alarms/list", ["filters": [["key": "type_name", "value": "PromiseFailed"]]])
        #expect((alarms["alarms"] as? [[String: Any]])?.first?["message"] as? String == "too many slow queries", "\(alarms)")
        await hub.stop()
    }
}
