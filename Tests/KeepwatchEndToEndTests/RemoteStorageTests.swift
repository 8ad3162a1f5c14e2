import Foundation
import Testing

/// `storage: rclone` against moto's S3 server: upload with progress, listing, remote retention, restore and
/// verification with the local copy gone.
@Suite(.serialized) struct RemoteStorageTests {
    func runNow(_ node: NodeProcess, _ job: String) async throws {
        let reply = try await node.request(.POST, "/backup/\(job)")
        #expect(reply.status == 200, "\(reply.body)\n\(node.log)")
    }

    @Test func uploadListRetentionAndRestoreFromTheRemote() async throws {
        let node = try NodeProcess()
        let s3 = try await S3Server(root: node.root)
        try await node.start()
        let source = try node.makeDirectory("site", files: ["index.html": "<h1>hello</h1>\n", "assets/app.js": String(repeating: "js ", count: 200_000)])
        let backup: [String: Any] = ["action": "backup", "mode": "fs", "path_to_backup": source, "backup_name": "site",
                                     "storage": "rclone", "container": "s3test:kw-bucket/nightly", "rclone_config": s3.configFile]
        let created = try await node.request(.POST, "/api/v1/jobs", json: [
            "job_id": "site", "job_schedule": ["status": "stop", "schedule_interval": "1 days"],
            "job_actions": [["freezer_action": backup]],
        ])
        #expect(created.status == 201, "\(created.body)")
        try await runNow(node, "site")
        var listed = try await s3.list("s3test:kw-bucket/nightly")
        #expect(listed.count == 2 && listed.allSatisfy { $0.hasPrefix("site/site-") }, "\(listed)")
        #expect(listed.contains { $0.hasSuffix(".tar.zst") } && listed.contains { $0.hasSuffix(".tar.zst.json") })
        let runID = try #require((try await node.runs("site")).first?["run_id"] as? String)
        let log = try await node.get("/api/v1/runs/\(runID)/log?follow=false").body
        #expect(log.contains("Upload finished, size and MD5 checked") && log.contains("B/s"), "rclone progress in the run log: \(log)")

        let remoteOnly = try await node.request(.PATCH, "/api/v1/jobs/site", json: [
            "job_actions": [["freezer_action": backup.merging(["local_copy": false]) { $1 }]],
        ])
        #expect(remoteOnly.status == 200, "\(remoteOnly.body)")
        try await Task.sleep(nanoseconds: 1_100_000_000)
        try await runNow(node, "site")
        let records = try await node.get("/api/v1/backups?backup_name=site").object["backups"] as? [[String: Any]] ?? []
        #expect(records.count == 2)
        let newest = try #require(records.last)
        #expect(!FileManager.default.fileExists(atPath: newest["file"] as? String ?? ""), "local_copy: false keeps only the remote")
        #expect((newest["remote"] as? String)?.hasPrefix("s3test:kw-bucket/nightly/site/") == true)
        listed = try await s3.list("s3test:kw-bucket/nightly")
        #expect(listed.count == 4)

        let target = node.root.appendingPathComponent("restored").path
        let restored = try await KeepwatchBinary.run(["restore", "site", "--to", target, "--data", node.dataPath])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(try TreeSnapshot(target) == (try TreeSnapshot(source)))
        let verified = try await KeepwatchBinary.run(["backup", "verify", "site", "--data", node.dataPath])
        #expect(verified.status == 0 && verified.stdout.contains("2 of 2"), "\(verified.stdout)\(verified.stderr)")

        _ = try await node.request(.POST, "/api/v1/jobs", json: [
            "job_id": "prune", "job_schedule": ["status": "stop", "schedule_interval": "1 days"],
            "job_actions": [["freezer_action": ["action": "admin", "backup_name": "site", "keep_last": 1]]],
        ])
        try await runNow(node, "prune")
        listed = try await s3.list("s3test:kw-bucket/nightly")
        #expect(listed.count == 2, "retention removes the remote copies too: \(listed)")
        #expect(listed.contains { ($0 as NSString).lastPathComponent == ((newest["file"] as? String ?? "") as NSString).lastPathComponent })
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: node.dataPath + "/tmp")) ?? []
        #expect(leftovers.isEmpty, "fetched copies are removed: \(leftovers)")
        await node.stop()
        s3.stop()
    }

    @Test func badRemoteSettingsAreRefused() async throws {
        let node = try NodeProcess()
        try await node.start()
        let base: [String: Any] = ["action": "backup", "mode": "fs", "path_to_backup": "/tmp", "storage": "rclone"]
        let cases: [([String: Any], String)] = [
            (base.merging(["container": "/local/dir", "rclone_config": "/etc/hostname"]) { $1 }, "job_actions[0].freezer_action.container"),
            (base.merging(["container": "r:b"]) { $1 }, "job_actions[0].freezer_action.rclone_config"),
            (base.merging(["container": "r:b", "rclone_config": "/nonexistent/rclone.conf"]) { $1 }, "job_actions[0].freezer_action.rclone_config"),
        ]
        for (action, field) in cases {
            let reply = try await node.request(.POST, "/api/v1/jobs", json: ["job_actions": [["freezer_action": action]]])
            #expect(reply.status == 400 || reply.status == 422, "\(reply.body)")
            #expect(reply.object["field"] as? String == field, "\(reply.body)")
        }
        await node.stop()
    }
}
