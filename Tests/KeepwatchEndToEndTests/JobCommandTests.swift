import Foundation
import Testing

/// `keepwatch job …` and `keepwatch backup list` against a real node, and the policies that need time to show.
@Suite(.serialized) struct JobCommandTests {
    @Test func cliDrivesANode() async throws {
        let node = try NodeProcess()
        try await node.start()
        let source = try node.makeDirectory("src", files: ["notes.txt": "keep me\n"])
        let jobFile = node.root.appendingPathComponent("job.yml").path
        try """
        job_id: notes
        description: notes on demand
        job_actions:
          - freezer_action:
              action: backup
              mode: fs
              src_file: \(source)
              backup_name: notes
        job_schedule:
          status: stop
          schedule_interval: 1 days
        """.write(toFile: jobFile, atomically: true, encoding: .utf8)
        let environment = node.clientEnvironment
        let created = try await KeepwatchBinary.run(["job", "create", "-f", jobFile], environment: environment)
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout == "notes\n")
        let list = try await KeepwatchBinary.run(["job", "list"], environment: environment)
        #expect(list.lines.first?.hasPrefix("JOB") == true)
        #expect(list.lines.contains { $0.hasPrefix("notes") && $0.contains("stop") })

        let backup = try await node.request(.POST, "/backup/notes")
        #expect(backup.status == 200)
        let runs = try await KeepwatchBinary.run(["job", "runs", "notes"], environment: environment)
        let runID = try #require(runs.lines.dropFirst().first?.split(separator: " ").first.map(String.init))
        #expect(runs.stdout.contains("success"))
        let log = try await KeepwatchBinary.run(["job", "log", runID, "--follow"], environment: environment)
        #expect(log.stdout.contains("msg=\"Backup finished\""), "\(log.stdout)")
        let backups = try await KeepwatchBinary.run(["backup", "list", "--name", "notes"], environment: environment)
        #expect(backups.lines.count == 2)
        #expect(backups.stdout.contains(".tar.zst"))
        let shown = try await KeepwatchBinary.run(["job", "show", "notes"], environment: environment)
        #expect(shown.stdout.contains("\"schedule_interval\" : \"1 days\""))
        let started = try await KeepwatchBinary.run(["job", "start", "notes"], environment: environment)
        #expect(started.stdout.hasPrefix("notes is on its schedule: next run"), "\(started.stdout)")
        let stopped = try await KeepwatchBinary.run(["job", "stop", "notes"], environment: environment)
        #expect(stopped.stdout.hasPrefix("notes is off its schedule"), "\(stopped.stdout)")

        let bad = try await KeepwatchBinary.run(["job", "show", "missing"], environment: environment)
        #expect(bad.status == 1)
        #expect(bad.stderr == "keepwatch: job missing not found\n")
        let invalidFile = node.root.appendingPathComponent("bad.json").path
        try #"{"job_actions": [{"freezer_action": {"action": "exec"}}]}"#.write(toFile: invalidFile, atomically: true, encoding: .utf8)
        let invalid = try await KeepwatchBinary.run(["job", "create", "-f", invalidFile], environment: environment)
        #expect(invalid.status == 1)
        #expect(invalid.stderr.contains("(field: job_actions[0].freezer_action.command)"))
        await node.stop()
        let unreachable = try await KeepwatchBinary.run(["job", "list"], environment: environment)
        #expect(unreachable.status == 1)
        #expect(unreachable.stderr.contains("no Keepwatch node answers at") && unreachable.stderr.contains("keepwatch serve"),
                "\(unreachable.stderr)")
    }

    @Test func timeoutKillsTheRun() async throws {
        let node = try NodeProcess()
        try await node.start()
        _ = try await node.request(.POST, "/api/v1/jobs", json: [
            "job_id": "slow", "timeout": 1, "job_actions": [["freezer_action": ["action": "exec", "command": ["sleep", "603"]]]],
        ])
        let ended = try await node.eventually(10) { try await node.runs("slow").first?["status"] as? String == "aborted" }
        #expect(ended, "\(node.log)")
        #expect(try await node.runs("slow").first?["message"] as? String == "timed out after 1s")
        await node.stop()
    }

    @Test func overlapQueueRunsOnceMoreAfterTheCurrentRun() async throws {
        let node = try NodeProcess()
        try await node.start()
        _ = try await node.request(.POST, "/api/v1/jobs", json: [
            "job_id": "busy", "overlap": "queue",
            "job_actions": [["freezer_action": ["action": "exec", "command": ["sleep", "2"]]]],
            "job_schedule": ["schedule_cron": "* * * * * *"],
        ])
        let queuedRun = try await node.eventually(12) { try await node.runs("busy").contains { $0["trigger"] as? String == "queued" } }
        #expect(queuedRun, "no queued run: \(node.log)")
        let runs = try await node.runs("busy")
        #expect(runs.filter { $0["status"] as? String == "running" }.count <= 1, "runs overlapped")
        _ = try await node.request(.POST, "/api/v1/jobs/busy/event", json: ["event": "abort"])
        await node.stop()
    }

    @Test func missedRunOnceCatchesUpAtStartup() async throws {
        let node = try NodeProcess()
        try await node.start()
        _ = try await node.request(.POST, "/api/v1/jobs", json: [
            "job_id": "catchup", "missed": "run_once",
            "job_actions": [["freezer_action": ["action": "exec", "command": ["true"]]]],
            "job_schedule": ["schedule_cron": "*/2 * * * * *"],
        ])
        await node.stop()
        try await Task.sleep(nanoseconds: 3_000_000_000)
        let before = try await countRuns(node, restart: true)
        let caughtUp = try await node.eventually(5) { try await node.runs("catchup").contains { $0["trigger"] as? String == "missed" } }
        #expect(caughtUp, "before restart: \(before) runs; \(node.log)")
        await node.stop()
    }

    private func countRuns(_ node: NodeProcess, restart: Bool) async throws -> Int {
        if restart { try await node.start() }
        return try await node.runs("catchup").count
    }
}
