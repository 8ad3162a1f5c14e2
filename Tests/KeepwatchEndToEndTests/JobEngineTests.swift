import Foundation
import Testing

/// The job engine through the real binary: `keepwatch serve` in a temporary directory, driven over HTTP.
@Suite(.serialized) struct JobEngineTests {
    static func shell(_ command: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let pipe = Pipe()
        process.standardOutput = pipe
        try? process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func scheduledFsBackupsAreCompleteAndRetentionKeepsN() async throws {
        let node = try NodeProcess()
        try await node.start()
        let source = try node.makeDirectory("source", files: ["a.txt": "alpha\n", "sub/b.txt": String(repeating: "beta\n", count: 1000)])
        let created = try await node.request(.POST, "/api/v1/jobs", json: [
            "job_id": "files", "description": "every second",
            "job_actions": [
                ["freezer_action": ["action": "backup", "mode": "fs", "src_file": source, "backup_name": "files", "exclude": ["*.tmp"]]],
                ["freezer_action": ["action": "admin", "backup_name": "files", "keep_last": 2]],
            ],
            "job_schedule": ["schedule_cron": "* * * * * *"],
        ])
        #expect(created.status == 201)
        #expect(created.object["job_id"] as? String == "files")
        let enough = try await node.eventually(20) { try await node.runs("files").filter { $0["status"] as? String == "success" }.count >= 4 }
        #expect(enough, "fewer than 4 successful runs: \(node.log)")
        _ = try await node.request(.POST, "/api/v1/jobs/files/event", json: ["event": "stop"])
        _ = try await node.eventually(10) { try await node.runs("files").allSatisfy { $0["status"] as? String != "running" } }

        let backups = try await node.get("/api/v1/backups?backup_name=files").object["backups"] as? [[String: Any]] ?? []
        #expect(backups.count == 2, "retention keep_last 2 left \(backups.count)")
        let directory = "\(node.dataPath)/backups/files"
        let archives = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".tar.zst") }
        #expect(archives.count == 2)
        for backup in backups {
            let file = try #require(backup["file"] as? String)
            #expect(FileManager.default.fileExists(atPath: file + ".json"))
            #expect(Self.shell("sha256sum '\(file)' | cut -d' ' -f1").trimmingCharacters(in: .whitespacesAndNewlines) == backup["sha256"] as? String)
            let listing = Self.shell("zstd -dc '\(file)' | tar -t")
            #expect(listing.contains("./a.txt") && listing.contains("./sub/b.txt"), "tar -t listed: \(listing)")
            let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file + ".json"))) as? [String: Any]
            #expect(manifest?["sha256"] as? String == backup["sha256"] as? String)
            #expect((manifest?["tools"] as? [String: String])?["tar"]?.contains("tar") == true)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".partial") }.isEmpty)
        let job = try await node.get("/api/v1/jobs/files").object
        // Freezer's rule: a stop that lands while a run is going takes effect when it ends, as `completed`.
        let status = (job["job_schedule"] as? [String: Any])?["status"] as? String
        #expect(status == "stop" || status == "completed", "\(job)")
        #expect(job["next_run"] == nil, "off its schedule either way: \(job)")
        await node.stop()
    }

    @Test func failuresSkipOptionalActionsRunMandatoryOnesAndRetry() async throws {
        let node = try NodeProcess()
        try await node.start()
        let marker = node.root.appendingPathComponent("mandatory-ran").path
        let reply = try await node.request(.POST, "/api/v1/jobs", json: [
            "job_id": "chain",
            "job_actions": [
                ["freezer_action": ["action": "exec", "command": "echo attempt >> \(node.root.path)/attempts; exit 1"],
                 "max_retries": 2, "max_retries_interval": 0],
                ["freezer_action": ["action": "exec", "command": ["touch", "\(node.root.path)/optional-ran"]]],
                ["freezer_action": ["action": "exec", "command": ["touch", marker]], "mandatory": true],
            ],
        ])
        #expect(reply.status == 201)
        let finished = try await node.eventually(20) { try await node.runs("chain").first?["status"] as? String == "fail" }
        #expect(finished, "\(node.log)")
        let run = try #require(try await node.runs("chain").first)
        let actions = run["actions"] as? [[String: Any]] ?? []
        #expect(actions.map { $0["status"] as? String } == ["fail", "skipped", "success"])
        #expect(actions.first?["attempts"] as? Int == 3)
        #expect(Self.shell("cat \(node.root.path)/attempts").split(separator: "\n").count == 3)
        #expect(!FileManager.default.fileExists(atPath: "\(node.root.path)/optional-ran"))
        #expect(FileManager.default.fileExists(atPath: marker))
        let status = try await node.get("/status/chain").object
        #expect(status["last_run_status"] as? String == "500")
        #expect((status["last_run_log"] as? String)?.hasPrefix("Backup failed") == true)
        await node.stop()
    }

    @Test func abortKillsARunningProcessTreeWithinASecond() async throws {
        let node = try NodeProcess()
        try await node.start()
        _ = try await node.request(.POST, "/api/v1/jobs", json: [
            "job_id": "sleeper", "job_actions": [["freezer_action": ["action": "exec", "command": "sleep 601 & sleep 601; wait"]]],
        ])
        let running = try await node.eventually(10) { try await node.runs("sleeper").first?["status"] as? String == "running" }
        #expect(running)
        try await Task.sleep(nanoseconds: 300_000_000)
        let started = Date()
        let reply = try await node.request(.POST, "/api/v1/jobs/sleeper/event", json: ["abort": NSNull()])
        #expect(reply.status == 202)
        #expect(reply.object["result"] as? String == "success")
        let aborted = try await node.eventually(5) { try await node.runs("sleeper").first?["status"] as? String == "aborted" }
        #expect(aborted)
        #expect(Date().timeIntervalSince(started) < 1.5)
        #expect(Self.shell("pgrep -f 'sleep [6]01' || true").isEmpty)
        let job = try await node.get("/api/v1/jobs/sleeper").object["job_schedule"] as? [String: Any]
        #expect(job?["result"] as? String == "aborted")
        #expect(job?["status"] as? String == "completed")
        await node.stop()
    }

    @Test func crashMidBackupLeavesNoPartialFileAndTheScheduleContinues() async throws {
        let node = try NodeProcess()
        let source = node.root.appendingPathComponent("big").path
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        _ = Self.shell("head -c 24000000 /dev/urandom | base64 > '\(source)/data.txt'")
        try await node.start()
        _ = try await node.request(.POST, "/api/v1/jobs", json: [
            "job_id": "slow",
            "job_actions": [["freezer_action": ["action": "backup", "mode": "fs", "src_file": source, "backup_name": "slow",
                                                "compression_level": 19]]],
            "job_schedule": ["schedule_cron": "* * * * * *"],
        ])
        let directory = "\(node.dataPath)/backups/slow"
        var partial = ""
        let writing = try await node.eventually(20) {
            partial = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).first { $0.hasSuffix(".partial") && $0.contains(".tar.zst") } ?? ""
            return !partial.isEmpty
        }
        #expect(writing, "no partial archive appeared: \(node.log)")
        let interrupted = try #require(try await node.runs("slow").first?["run_id"] as? String)
        await node.stop(signal: SIGKILL)
        try await node.start()
        #expect(!FileManager.default.fileExists(atPath: "\(directory)/\(partial)"), "\(partial) survived the restart")
        let run = try await node.get("/api/v1/runs/\(interrupted)").object
        #expect(run["status"] as? String == "aborted")
        #expect(run["message"] as? String == "interrupted by restart")
        let continued = try await node.eventually(10) { try await node.runs("slow").contains { $0["run_id"] as? String != interrupted } }
        #expect(continued, "no new run after the restart")
        _ = try await node.request(.POST, "/api/v1/jobs/slow/event", json: ["event": "abort"])
        await node.stop()
    }

    @Test func aStoppedJobRunByHandStaysStoppedWhenTheNodeCrashesDuringTheRun() async throws {
        let node = try NodeProcess()
        try await node.start()
        _ = try await node.request(.POST, "/api/v1/jobs", json: [
            "job_id": "held", "job_schedule": ["schedule_interval": "1 hours"],
            "job_actions": [["freezer_action": ["action": "exec", "command": "sleep 30"]]],
        ])
        #expect(try await node.request(.POST, "/api/v1/jobs/held/event", json: ["event": "stop"]).status < 300)
        #expect(try await node.request(.POST, "/api/v1/jobs/held/run").status == 202)
        #expect(try await node.eventually(10) { try await node.runs("held").first?["status"] as? String == "running" })
        await node.stop(signal: SIGKILL)
        try await node.start()
        let schedule = try await node.get("/api/v1/jobs/held").object["job_schedule"] as? [String: Any] ?? [:]
        #expect(schedule["status"] as? String != "scheduled", "the operator's stop outlives the crash: \(schedule)")
        #expect(try await node.runs("held").first?["status"] as? String == "aborted")
        await node.stop()
    }

    @Test func invalidDocumentsAreRefusedNamingTheField() async throws {
        let node = try NodeProcess()
        try await node.start()
        let cases: [(Any?, String?, UInt, String?)] = [
            (nil, "{bad", 400, nil),
            (nil, "", 400, nil),
            (["job_actions": [["freezer_action": ["action": "teleport"]]]], nil, 400, "job_actions[0].freezer_action.action"),
            (["job_actions": [["freezer_action": ["action": "exec", "command": "true"]]], "job_schedule": ["schedule_cron": "61 * * * *"]],
             nil, 400, "job_schedule.schedule_cron"),
            (["job_actions": [["freezer_action": ["action": "exec", "command": "true"]]], "job_schedule": ["schedule_interval": "often"]],
             nil, 400, "job_schedule.schedule_interval"),
            (["job_actions": [["freezer_action": ["action": "exec", "command": "true"]]], "colour": "blue"], nil, 400, "colour"),
            (["job_actions": [["freezer_action": ["action": "backup", "mode": "cinder", "src_file": "/x"]]]], nil, 422,
             "job_actions[0].freezer_action.mode"),
        ]
        for (json, raw, status, field) in cases {
            let reply = try await node.request(.POST, "/api/v1/jobs", json: json, rawBody: raw)
            #expect(reply.status == status, "\(reply.body)")
            #expect(reply.object["error"] is String)
            if let field { #expect(reply.object["field"] as? String == field, "\(reply.body)") }
        }
        let job: [String: Any] = ["job_id": "once", "job_actions": [["freezer_action": ["action": "exec", "command": "true"]]],
                                  "job_schedule": ["status": "stop"]]
        #expect(try await node.request(.POST, "/api/v1/jobs", json: job).status == 201)
        #expect(try await node.request(.POST, "/api/v1/jobs", json: job).status == 409)
        #expect(try await node.get("/api/v1/jobs/nope").status == 404)
        #expect(try await node.request(.POST, "/api/v1/jobs/once/event", json: ["event": "explode"]).status == 400)
        #expect(try await node.request(.POST, "/api/v1/jobs/nope/event", json: ["event": "start"]).status == 404)
        #expect(try await node.get("/api/v1/jobs").object["jobs"] as? [Any] != nil)
        #expect(try await node.request(.DELETE, "/api/v1/jobs/once").status == 204)
        #expect(try await node.get("/api/v1/jobs/once").status == 404)
        await node.stop()
    }

    @Test func mgobFaceShapesAndOnDemandBackup() async throws {
        let node = try NodeProcess()
        try await node.start()
        let source = try node.makeDirectory("src", files: ["x.txt": "x"])
        _ = try await node.request(.POST, "/api/v1/jobs", json: [
            "job_id": "metadata",
            "job_actions": [["freezer_action": ["action": "backup", "mode": "fs", "src_file": source, "backup_name": "metadata"]]],
            "job_schedule": ["schedule_cron": "0 5 * * *"],
        ])
        let before = try await node.get("/status/metadata").object
        #expect(Set(before.keys) == ["plan", "next_run"])
        #expect((before["next_run"] as? String)?.hasSuffix("T05:00:00Z") == true)
        #expect(try await node.get("/status/nope").object["error"] as? String == "Plan not found")

        let backup = try await node.request(.POST, "/backup/metadata")
        #expect(backup.status == 200, "\(backup.body)")
        #expect(Set(backup.object.keys) == ["plan", "file", "duration", "size", "timestamp"])
        #expect((backup.object["file"] as? String)?.hasPrefix("metadata-") == true)
        #expect((backup.object["duration"] as? String)?.hasSuffix("s") == true)

        let after = try await node.get("/status/metadata").object
        #expect(after["last_run_status"] as? String == "200")
        #expect((after["last_run_log"] as? String)?.hasPrefix("Backup finished in ") == true)
        let all = try await node.get("/status").json as? [[String: Any]]
        #expect(all?.map { $0["plan"] as? String } == ["metadata"])
        let metrics = try await node.get("/metrics").body
        #expect(metrics.contains("mgob_scheduler_backup_total{plan=\"metadata\",status=\"200\"} 1"))
        #expect(metrics.contains("mgob_scheduler_backup_latency_count{plan=\"metadata\",status=\"200\"} 1"))
        #expect(try await node.get("/version").object["mgob_version"] is String)
        #expect(try await node.request(.POST, "/backup/nope").status == 404)
        await node.stop()
    }

    @Test func mgobPlansBecomeJobsAndMissingMongodumpIsNamed() async throws {
        let node = try NodeProcess()
        let plans = URL(fileURLWithPath: node.dataPath).appendingPathComponent("plans")
        try FileManager.default.createDirectory(at: plans, withIntermediateDirectories: true)
        try """
        target:
          host: "127.0.0.1"
          port: 27017
          database: "app"
        scheduler:
          cron: "0 3 * * *"
          retention: 5
          timeout: 60
        """.write(to: plans.appendingPathComponent("mongo-app.yml"), atomically: true, encoding: .utf8)
        try await node.start()
        let job = try await node.get("/api/v1/jobs/mongo-app").object
        #expect(job["timeout"] as? Int == 3600)
        let backup = try await node.request(.POST, "/backup/mongo-app")
        if Self.shell("command -v mongodump || true").isEmpty {
            #expect(backup.status == 500)
            #expect((backup.object["error"] as? String)?.contains("mongodump not found") == true, "\(backup.body)")
        }
        try """
        scheduler:
          cron: "*/5 * * * *"
        """.write(to: plans.appendingPathComponent("second.yaml"), atomically: true, encoding: .utf8)
        if let pid = node.process?.processIdentifier { kill(pid, SIGHUP) }
        let reloaded = try await node.eventually(5) { try await node.get("/status/second").status == 200 }
        #expect(reloaded, "SIGHUP did not load the new plan: \(node.log)")
        await node.stop()
    }

    @Test func gracefulShutdownAbortsAndRecordsRunningJobs() async throws {
        let node = try NodeProcess()
        try await node.start()
        _ = try await node.request(.POST, "/api/v1/jobs", json: [
            "job_id": "long", "job_actions": [["freezer_action": ["action": "exec", "command": ["sleep", "602"]]]],
        ])
        let running = try await node.eventually(10) { try await node.runs("long").first?["status"] as? String == "running" }
        #expect(running)
        let runID = try #require(try await node.runs("long").first?["run_id"] as? String)
        await node.stop(signal: SIGTERM)
        #expect(node.process?.isRunning == false)
        #expect(node.log.contains("shutting down"))
        try await node.start()
        let run = try await node.get("/api/v1/runs/\(runID)").object
        #expect(run["status"] as? String == "aborted")
        #expect(run["message"] as? String == "aborted: the node is shutting down")
        #expect(Self.shell("pgrep -f 'sleep [6]02' || true").isEmpty)
        await node.stop()
    }

    @Test func replaceAndPatchKeepRunStateAndSchedule() async throws {
        let node = try NodeProcess()
        try await node.start()
        let job: [String: Any] = [
            "job_id": "edit", "description": "first",
            "job_actions": [["freezer_action": ["action": "exec", "command": ["true"]]]],
            "job_schedule": ["schedule_cron": "0 4 * * *"],
        ]
        #expect(try await node.request(.POST, "/api/v1/jobs", json: job).status == 201)
        let patched = try await node.request(.PATCH, "/api/v1/jobs/edit", json: ["description": "second"])
        #expect(patched.status == 200, "\(patched.body)")
        let afterPatch = try await node.get("/api/v1/jobs/edit").object
        #expect(afterPatch["description"] as? String == "second")
        #expect((afterPatch["job_schedule"] as? [String: Any])?["schedule_cron"] as? String == "0 4 * * *",
                "a PATCH without job_schedule must not wipe the schedule")
        #expect((afterPatch["next_run"] as? String)?.contains("T04:00:00") == true)

        var replacement = job
        replacement["job_schedule"] = ["schedule_cron": "30 5 * * *"]
        #expect(try await node.request(.PUT, "/api/v1/jobs/edit", json: replacement).status == 200)
        let afterPut = try await node.get("/api/v1/jobs/edit").object
        #expect((afterPut["next_run"] as? String)?.contains("T05:30:00") == true)
        #expect((afterPut["job_schedule"] as? [String: Any])?["status"] as? String == "scheduled")

        replacement["job_id"] = "other"
        let mismatch = try await node.request(.PUT, "/api/v1/jobs/edit", json: replacement)
        #expect(mismatch.status == 400)
        #expect(mismatch.object["field"] as? String == "job_id")
        let badPatch = try await node.request(.PATCH, "/api/v1/jobs/edit", json: ["job_schedule": ["schedule_cron": "99 * * * *"]])
        #expect(badPatch.status == 400)
        #expect(badPatch.object["field"] as? String == "job_schedule.schedule_cron")
        #expect((try await node.get("/api/v1/jobs/edit").object["next_run"] as? String)?.contains("T05:30:00") == true,
                "a refused change must leave the job as it was")
        await node.stop()
    }
}
