import Foundation
import Testing

/// Keepwatch's own checks, from keepwatch.yaml and through the API, run with the promises into the same files.
@Suite(.serialized) struct BuiltInCheckTests {
    func status(_ node: NodeProcess, _ name: String) -> [String: Any] {
        PromiseTests.json(node.dataPath + "/public/\(name).status.json")
    }

    func state(_ node: NodeProcess, _ name: String) async throws -> String {
        try await node.get("/api/v1/checks/\(name)").object["status"] as? String ?? ""
    }

    @Test func jobsBackupsDisksAndURLsAreWatched() async throws {
        let node = try NodeProcess()
        try await node.start()
        let source = try node.makeDirectory("source", files: ["a.txt": "alpha\n"])
        let created = try await node.request(.POST, "/api/v1/jobs", json: [
            "job_id": "files", "job_actions": [["freezer_action": ["action": "backup", "mode": "fs", "src_file": source, "backup_name": "files"]]],
            "job_schedule": ["schedule_cron": "0 0 1 1 *"],
        ])
        #expect(created.status == 201)
        await node.stop()
        try """
        checks:
          - name: files-job
            kind: job
            job: files
            frequency: "* * * * * *"
          - name: files-fresh
            kind: backup_freshness
            job: files
            max_age: 1h
            frequency: "* * * * * *"
          - name: files-verify
            kind: verify
            backup_name: files
            frequency: "* * * * * *"
          - name: data-disk
            kind: disk_space
            path: \(node.dataPath)
            min_free: 1%
            frequency: "* * * * * *"
          - name: full-disk
            kind: disk_space
            path: \(node.dataPath)
            min_free: 100%
            frequency: "* * * * * *"
        """.write(toFile: node.dataPath + "/keepwatch.yaml", atomically: true, encoding: .utf8)
        try await node.start()
        #expect(try await node.eventually(5) { try await state(node, "files-job") == "up" })
        #expect((try await node.get("/api/v1/checks/files-job").object["message"] as? String)?.contains("job files has not run yet") == true,
                "a job that never ran has not failed")
        #expect(try await node.eventually(5) { try await state(node, "job-files") == "up" }, "every job gets a job check of its own")
        #expect(try await state(node, "files-fresh") == "down")
        #expect(try await state(node, "data-disk") == "up")
        #expect(try await state(node, "full-disk") == "down")
        #expect((status(node, "full-disk")["result"] as? [String: Any])?["message"] as? String ?? "" != "")

        #expect(try await node.request(.POST, "/api/v1/jobs/files/run").status == 202)
        #expect(try await node.eventually(20) {
            let job = try await state(node, "files-job")
            let fresh = try await state(node, "files-fresh")
            let verify = try await state(node, "files-verify")
            return job == "up" && fresh == "up" && verify == "up"
        })
        #expect(status(node, "files-fresh")["status"] as? String == "OK")
        #expect(status(node, "files-fresh")["path"] as? String == "keepwatch:backup_freshness")

        // A damaged archive: verify says so, and so does freshness (it checks the size on every run).
        let backups = try await node.get("/api/v1/backups?backup_name=files").object["backups"] as? [[String: Any]] ?? []
        let file = try #require(backups.first?["file"] as? String)
        let handle = try #require(FileHandle(forWritingAtPath: file))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("damage".utf8))
        try handle.close()
        #expect(try await node.eventually(5) { try await state(node, "files-verify") == "down" })
        #expect(try await node.eventually(5) { try await state(node, "files-fresh") == "down" }, "its size no longer matches")
        #expect((try await node.get("/api/v1/checks/files-verify").object["message"] as? String)?.contains("DAMAGED") == true)

        // Through the API: an http check on this node, then a bad one, changed, removed.
        let http = try await node.request(.POST, "/api/v1/checks", json: [
            "name": "self", "kind": "http", "url": node.baseURL + "/healthz", "frequency": "* * * * * *",
        ])
        #expect(http.status == 201 && http.object["kind"] as? String == "http", "\(http.body)")
        #expect(try await node.eventually(5) { try await state(node, "self") == "up" })
        let changed = try await node.request(.PUT, "/api/v1/checks/self", json: ["kind": "http", "url": node.baseURL + "/healthz",
                                                                                 "expect_status": 204, "frequency": "* * * * * *"])
        #expect(changed.status == 200, "\(changed.body)")
        #expect(try await node.eventually(5) { try await state(node, "self") == "down" })
        #expect((try await node.get("/api/v1/checks/self").object["message"] as? String)?.contains("answered 200, expected 204") == true)
        #expect(try await node.request(.POST, "/api/v1/checks", json: ["name": "self", "kind": "job", "job": "files"]).status == 409)
        #expect(try await node.request(.DELETE, "/api/v1/checks/files-job").status == 409, "defined in keepwatch.yaml")
        #expect(try await node.request(.DELETE, "/api/v1/checks/job-files").status == 409, "made for its job")
        let quiet = try await node.request(.PATCH, "/api/v1/jobs/files", json: ["monitor": false])
        #expect(quiet.status == 200, "\(quiet.body)")
        #expect(try await node.eventually(5) { try await node.get("/api/v1/checks/job-files").status == 404 }, "monitor: false drops it")
        #expect(try await node.get("/api/v1/jobs/files").object["monitor"] as? Bool == false)
        await node.stop()
        try await node.start()
        #expect((try await node.get("/api/v1/checks/self").object["url"] as? String)?.hasSuffix("/healthz") == true,
                "an API-made check outlives a restart")
        #expect(try await node.request(.DELETE, "/api/v1/checks/self").status == 204)
        #expect(try await node.get("/api/v1/checks/self").status == 404)

        let refusals: [([String: Any], String)] = [
            (["name": "x", "kind": "disk_space", "path": "/", "min_free": "lots"], "min_free"),
            (["name": "x", "kind": "http", "url": "ftp://h/"], "url"),
            (["name": "x", "kind": "job"], "job"),
            (["name": "x", "kind": "backup_freshness", "job": "files", "max_age": "soon"], "max_age"),
            (["name": "x", "kind": "verify", "job": "files", "backup_name": "files"], "job"),
            (["name": "x", "kind": "job", "job": "files", "color": "red"], "color"),
            (["name": "x/y", "kind": "job", "job": "files"], "name"),
            (["name": "x", "kind": "job", "job": "files", "frequency": "sometimes"], "frequency"),
            (["name": "x", "kind": "job", "job": "files", "frequency": "0 0 30 2 *"], "frequency"),
            (["name": "x", "kind": "disk_space", "path": "relative/dir", "min_free": "1%"], "path"),
            (["name": "x", "kind": "verify", "backup_name": "../etc"], "backup_name"),
            (["name": "x", "kind": "http", "url": "http://"], "url"),
        ]
        for (body, field) in refusals {
            let reply = try await node.request(.POST, "/api/v1/checks", json: body)
            #expect(reply.status == 422 && reply.object["field"] as? String == field, "\(body): \(reply.body)")
        }
        await node.stop()
    }

    @Test func aBadChecksListNamesItsLine() async throws {
        let node = try NodeProcess()
        try await node.start()
        await node.stop()
        try "port: 0\nchecks:\n  - name: a\n    kind: disk_space\n    path: /\n    min_free: lots\n"
            .write(toFile: node.dataPath + "/keepwatch.yaml", atomically: true, encoding: .utf8)
        let result = try await KeepwatchBinary.run(["serve", "--data", node.dataPath, "--port", "0"])
        #expect(result.status != 0 && result.stderr.contains("line 2") && result.stderr.contains("[0].min_free"), "\(result.stderr)")
    }
}
