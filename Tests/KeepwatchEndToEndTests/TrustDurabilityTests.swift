import Foundation
import Testing

/// Every acknowledged change survives a restart (graceful or kill -9); concurrent changes on shared ids never give
/// a 5xx and never leave memory and store apart; one node per data directory.
@Suite(.serialized) struct TrustDurabilityTests {
    static func job(_ id: String, command: [String] = ["true"], schedule: [String: Any] = ["schedule_cron": "0 0 1 1 *"]) -> [String: Any] {
        ["job_id": id, "job_actions": [["freezer_action": ["action": "exec", "command": command]]], "job_schedule": schedule]
    }

    /// What a restart must keep of a job: its definition, status and version.
    static func essentials(_ node: NodeProcess) async throws -> [String: String] {
        var state: [String: String] = [:]
        for job in try await node.get("/api/v1/jobs").object["jobs"] as? [[String: Any]] ?? [] {
            guard let id = job["job_id"] as? String else { continue }
            let schedule = job["job_schedule"] as? [String: Any] ?? [:]
            let actions = (job["job_actions"] as? [[String: Any]] ?? []).compactMap { ($0["freezer_action"] as? [String: Any])?["command"] }
            state[id] = "\(schedule["status"] ?? "-") v\(job["version"] ?? "-") \(job["description"] ?? "-") \(actions) next=\(job["next_run"] != nil)"
        }
        return state
    }

    /// A killed process whose parent is gone may stay a zombie where nothing reaps orphans (some containers).
    static func isGoneOrZombie(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let end = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(after: end)...].split(separator: " ").first == "Z"
    }

    @Test(arguments: [SIGTERM, SIGKILL])
    func everyStateChangingRouteSurvivesARestart(signal: Int32) async throws {
        let node = try NodeProcess()
        try await node.start()
        for id in ["stopped", "restarted", "replaced", "patched", "removed", "deleted"] {
            #expect(try await node.request(.POST, "/api/v1/jobs", json: Self.job(id)).status == 201)
        }
        #expect(try await node.request(.POST, "/api/v1/jobs/stopped/event", json: ["event": "stop"]).status == 202)
        #expect(try await node.request(.POST, "/api/v1/jobs/restarted/event", json: ["event": "stop"]).status == 202)
        #expect(try await node.request(.POST, "/api/v1/jobs/restarted/event", json: ["event": "start"]).status == 202)
        var replaced = Self.job("replaced", command: ["echo", "v2"])
        replaced["description"] = "v2"
        #expect(try await node.request(.PUT, "/api/v1/jobs/replaced", json: replaced).status == 200)
        #expect(try await node.request(.PATCH, "/api/v1/jobs/patched", json: ["description": "patched",
            "job_actions": [["freezer_action": ["action": "exec", "command": ["echo", "patched"]]]]]).status == 200)
        #expect(try await node.request(.POST, "/api/v1/jobs/removed/event", json: ["event": "remove"]).status == 202)
        #expect(try await node.request(.DELETE, "/api/v1/jobs/deleted").status == 204)
        let before = try await Self.essentials(node)
        #expect(before["deleted"] == nil && before["stopped"]?.hasPrefix("stop") == true && before["restarted"]?.hasPrefix("scheduled") == true,
                "\(before)")
        await node.stop(signal: signal)
        try await node.start()
        let after = try await Self.essentials(node)
        #expect(after == before, "after \(signal == SIGKILL ? "kill -9" : "SIGTERM"):\n\(after)\nbefore:\n\(before)")
        await node.stop()
    }

    @Test func twoHundredParallelChangesOnSharedIdsNeverGive5xxAndStoreAndAPIAgree() async throws {
        let node = try NodeProcess()
        try await node.start()
        let statuses = await withTaskGroup(of: UInt.self, returning: [UInt].self) { group in
            for index in 0..<200 {
                group.addTask {
                    let id = "cd\(index % 10)"
                    let reply: NodeProcess.Reply?
                    switch index % 5 {
                    case 0: reply = try? await node.request(.POST, "/api/v1/jobs", json: Self.job(id))
                    case 1: reply = try? await node.request(.DELETE, "/api/v1/jobs/\(id)")
                    case 2: reply = try? await node.request(.PUT, "/api/v1/jobs/\(id)", json: Self.job(id, command: ["echo", "\(index)"]))
                    case 3: reply = try? await node.request(.PATCH, "/api/v1/jobs/\(id)", json: ["description": "p\(index)"])
                    default: reply = try? await node.request(.POST, "/api/v1/jobs/\(id)/event", json: ["event": index % 2 == 0 ? "stop" : "start"])
                    }
                    return reply?.status ?? 0
                }
            }
            var all: [UInt] = []
            for await status in group { all.append(status) }
            return all
        }
        #expect(statuses.allSatisfy { (200..<500).contains($0) }, "every reply is 2xx or 4xx: \(statuses.filter { $0 >= 500 || $0 == 0 })")
        let listed = Set((try await node.get("/api/v1/jobs").object["jobs"] as? [[String: Any]] ?? []).compactMap { $0["job_id"] as? String })
        let stored = Set(JobEngineTests.shell("sqlite3 '\(node.dataPath)/keepwatch.sqlite' 'select job_id from jobs'")
            .split(separator: "\n").map(String.init))
        #expect(listed == stored, "API \(listed.sorted()) vs store \(stored.sorted())")
        let before = try await Self.essentials(node)
        await node.stop()
        try await node.start()
        #expect(try await Self.essentials(node) == before, "the same after a restart")
        await node.stop()
    }

    @Test func aOneShotJobCutOffByACrashRunsAgainOnlyWithMissedRunOnce() async throws {
        let node = try NodeProcess()
        try await node.start()
        let marks = node.root.appendingPathComponent("marks").path
        for (id, missed) in [("once", "skip"), ("again", "run_once")] {
            var document = Self.job(id, command: ["/bin/sh", "-c", "echo \(id) >> '\(marks)'; sleep 30"], schedule: [:])
            document["missed"] = missed
            #expect(try await node.request(.POST, "/api/v1/jobs", json: document).status == 201)
        }
        #expect(try await node.eventually(10) { ((try? String(contentsOfFile: marks, encoding: .utf8)) ?? "").split(separator: "\n").count == 2 })
        await node.stop(signal: SIGKILL)
        try await node.start()
        #expect(try await node.eventually(10) { ((try? String(contentsOfFile: marks, encoding: .utf8)) ?? "").contains("again\nagain") || 
            ((try? String(contentsOfFile: marks, encoding: .utf8)) ?? "").split(separator: "\n").filter { $0 == "again" }.count == 2 },
                "run_once re-runs the interrupted one-shot job: \(node.log)")
        try await Task.sleep(nanoseconds: 3_000_000_000)
        let lines = ((try? String(contentsOfFile: marks, encoding: .utf8)) ?? "").split(separator: "\n")
        #expect(lines.filter { $0 == "once" }.count == 1, "missed: skip does not re-run it: \(lines)")
        #expect(node.log.contains("not run again"), "\(node.log)")
        _ = try await node.request(.POST, "/api/v1/jobs/again/event", json: ["event": "abort"])
        await node.stop()
    }

    @Test func aSecondNodeOnTheSameDataDirectoryRefusesToStartAndHarmsNothing() async throws {
        let node = try NodeProcess()
        try await node.start()
        #expect(try await node.request(.POST, "/api/v1/jobs", json: Self.job("sleeper", command: ["sleep", "20"], schedule: [:])).status == 201)
        #expect(try await node.eventually(10) { try await node.runs("sleeper").first?["status"] as? String == "running" })
        let second = try await KeepwatchBinary.run(["serve", "--data", node.dataPath, "--port", "0"])
        #expect(second.status == 1, "\(second.stderr)")
        #expect(second.stderr.contains("another keepwatch node (pid \(node.process?.processIdentifier ?? 0))"), "\(second.stderr)")
        #expect(try await node.runs("sleeper").first?["status"] as? String == "running", "the first node's run goes on")
        let pidFile = try String(contentsOfFile: node.dataPath + "/keepwatch.pid", encoding: .utf8)
        #expect(pidFile.trimmingCharacters(in: .whitespacesAndNewlines) == "\(node.process?.processIdentifier ?? 0)")
        let reload = try await node.admin(["listusers"])
        #expect(reload.status == 0)
        _ = try await node.request(.POST, "/api/v1/jobs/sleeper/event", json: ["event": "abort"])
        await node.stop()
    }

    @Test func aTakenPortStopsServeWithExitStatus1BeforeAnyFirstStartSideEffect() async throws {
        let node = try NodeProcess()
        try await node.start()
        let other = try NodeProcess()
        let result = try await KeepwatchBinary.run(["serve", "--data", other.dataPath, "--port", "\(node.port)"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("cannot listen on 127.0.0.1:\(node.port): address already in use"), "\(result.stderr)")
        #expect(!result.stderr.contains("Default 'admin' user"), "no admin is made before the port is known to be free")
        #expect(!FileManager.default.fileExists(atPath: other.dataPath), "nothing is written before the address is known to work")
        let badPort = try await KeepwatchBinary.run(["serve", "--data", other.dataPath, "--port", "99999"])
        #expect(badPort.status == 1 && badPort.stderr.contains("0-65535"), "\(badPort.stderr)")
        #expect(!FileManager.default.fileExists(atPath: other.dataPath))
        await node.stop()
    }

    @Test func aRestartKillsOnlyProcessGroupsItCanProveItStarted() async throws {
        let node = try NodeProcess()
        try await node.start()
        #expect(try await node.request(.POST, "/api/v1/jobs", json: Self.job("long", command: ["sleep", "60"], schedule: [:])).status == 201)
        #expect(try await node.eventually(10) { try await node.runs("long").first?["status"] as? String == "running" })
        let runID = try #require(try await node.runs("long").first?["run_id"] as? String)
        let groups = "\(node.dataPath)/runs/long/\(runID).log.pgids"
        #expect(try await node.eventually(5) { FileManager.default.fileExists(atPath: groups) })
        // An unrelated program in a process group of its own (its output away from the test's pipes).
        let started = JobEngineTests.shell("""
            python3 -c 'import subprocess as s; print(s.Popen(["sleep", "300"], stdin=s.DEVNULL, stdout=s.DEVNULL, stderr=s.DEVNULL, close_fds=True, start_new_session=True).pid)'
            """)
        let stranger = try #require(pid_t(started.trimmingCharacters(in: .whitespacesAndNewlines)), "\(started)")
        defer { kill(stranger, SIGKILL) }
        try await Task.sleep(nanoseconds: 300_000_000)
        let ours = try String(contentsOfFile: groups, encoding: .utf8)
        let fields = ours.split(separator: "\n").first?.split(separator: " ") ?? []
        #expect(fields.count == 3, "pgid, start time and boot id are noted: \(ours)")
        let ourGroup = fields.first.flatMap { pid_t($0) } ?? 0
        // A pid reused by another program: same file, a group the run never started (its start time differs).
        try (ours + "\(stranger) 1 \(fields.last ?? "")\n").write(toFile: groups, atomically: true, encoding: .utf8)
        await node.stop(signal: SIGKILL)
        try await node.start()
        #expect(!Self.isGoneOrZombie(stranger), "an unrelated process group is left alone: \(node.log)")
        #expect(ourGroup > 0 && Self.isGoneOrZombie(ourGroup), "the run's own leftover group is killed: \(node.log)")
        await node.stop()
    }

    /// Whether this machine lets the tests mount a small tmpfs (root in a container that allows it).
    static let canMountTmpfs: Bool = {
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("keepwatch-tmpfs-probe-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: probe, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: probe) }
        let mounted = JobEngineTests.shell("mount -t tmpfs -o size=1m tmpfs '\(probe)' 2>/dev/null && echo yes; umount '\(probe)' 2>/dev/null")
        return mounted.contains("yes")
    }()

    @Test(.enabled(if: canMountTmpfs, "needs permission to mount a tmpfs"))
    func aFullDiskGivesNoSpaceLeftAndAppliesNothing() async throws {
        let node = try NodeProcess()
        try FileManager.default.createDirectory(atPath: node.dataPath, withIntermediateDirectories: true)
        _ = JobEngineTests.shell("mount -t tmpfs -o size=4m tmpfs '\(node.dataPath)'")
        defer { _ = JobEngineTests.shell("umount -l '\(node.dataPath)'") }
        try await node.start()
        #expect(try await node.request(.POST, "/api/v1/jobs", json: Self.job("kept")).status == 201)
        _ = JobEngineTests.shell("dd if=/dev/zero of='\(node.dataPath)/filler' bs=64k 2>/dev/null; sync")
        let created = try await node.request(.POST, "/api/v1/jobs", json: Self.job("new"))
        #expect(created.status == 507 && created.body.contains("no space left"), "\(created.body)")
        let stopped = try await node.request(.POST, "/api/v1/jobs/kept/event", json: ["event": "stop"])
        #expect(stopped.status == 507, "\(stopped.body)")
        let kept = try await node.get("/api/v1/jobs/kept").object["job_schedule"] as? [String: Any]
        #expect(kept?["status"] as? String == "scheduled", "the refused stop changed nothing: \(kept ?? [:])")
        #expect(try await node.get("/api/v1/jobs/new").status == 404)
        try FileManager.default.removeItem(atPath: node.dataPath + "/filler")
        #expect(try await node.request(.POST, "/api/v1/jobs/kept/event", json: ["event": "stop"]).status == 202, "works again once there is room")
        await node.stop()
    }

    @Test(.enabled(if: canMountTmpfs, "needs permission to mount a tmpfs"))
    func aBackupOntoAFullDiskSaysNoSpaceLeft() async throws {
        let node = try NodeProcess()
        try await node.start()
        let container = node.root.appendingPathComponent("small").path
        try FileManager.default.createDirectory(atPath: container, withIntermediateDirectories: true)
        _ = JobEngineTests.shell("mount -t tmpfs -o size=1m tmpfs '\(container)'")
        defer { _ = JobEngineTests.shell("umount -l '\(container)'") }
        let source = node.root.appendingPathComponent("random").path
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        _ = JobEngineTests.shell("head -c 4000000 /dev/urandom > '\(source)/noise'")
        let created = try await node.request(.POST, "/api/v1/jobs", json: [
            "job_id": "big", "job_schedule": ["status": "stop"],
            "job_actions": [["freezer_action": ["action": "backup", "mode": "fs", "path_to_backup": source, "container": container]]],
        ])
        #expect(created.status == 201, "\(created.body)")
        let ran = try await node.request(.POST, "/backup/big")
        #expect(ran.status == 500 && ran.body.contains("no space left on device"), "\(ran.body)")
        let leftovers = (try? FileManager.default.subpathsOfDirectory(atPath: container)) ?? []
        #expect(!leftovers.contains { $0.hasSuffix(".partial") }, "no partial archive is left: \(leftovers)")
        await node.stop()
    }
}
