import Foundation
import Testing

/// Incremental chains, restores, encryption and verification on a real node with real tar and zstd.
@Suite(.serialized) struct BackupDepthTests {
    func write(_ path: String, _ text: String, mode: Int = 0o644) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    func backups(_ node: NodeProcess, _ name: String) async throws -> [[String: Any]] {
        try await node.get("/api/v1/backups?backup_name=\(name)").object["backups"] as? [[String: Any]] ?? []
    }

    /// Runs the job now (mgob's POST /backup/{plan}) and checks it succeeded.
    func runNow(_ node: NodeProcess, _ job: String) async throws {
        let reply = try await node.request(.POST, "/backup/\(job)")
        #expect(reply.status == 200, "\(reply.body)\n\(node.log)")
    }

    func restore(_ node: NodeProcess, _ name: String, to target: String, extra: [String] = []) async throws -> KeepwatchBinary.Result {
        try await KeepwatchBinary.run(["restore", name, "--to", target, "--data", node.dataPath] + extra)
    }

    func iso(_ seconds: Any?) -> String {
        let value = (seconds as? Int) ?? Int((seconds as? Double) ?? 0)
        return ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(value)))
    }

    @Test func threeLevelsRestoreEachDateAndRetentionRemovesWholeChains() async throws {
        let node = try NodeProcess()
        try await node.start()
        let source = node.root.appendingPathComponent("tree").path
        try write(source + "/a.txt", "alpha 1\n")
        try write(source + "/b.secret", "bravo\n", mode: 0o600)
        try write(source + "/dir/c.txt", "charlie 1\n")
        let created = try await node.request(.POST, "/api/v1/jobs", json: [
            "job_id": "tree", "job_schedule": ["status": "stop", "schedule_interval": "1 days"],
            "job_actions": [["freezer_action": ["action": "backup", "mode": "fs", "path_to_backup": source, "backup_name": "tree",
                                                "incremental": true, "max_level": 2]]],
        ])
        #expect(created.status == 201, "\(created.body)")
        var states: [TreeSnapshot] = []
        try await runNow(node, "tree")
        states.append(try TreeSnapshot(source))

        try await Task.sleep(nanoseconds: 1_100_000_000)
        try write(source + "/a.txt", "alpha 2, longer now\n")
        try FileManager.default.removeItem(atPath: source + "/b.secret")
        try write(source + "/dir/d.sh", "#!/bin/sh\necho delta\n", mode: 0o755)
        try await runNow(node, "tree")
        states.append(try TreeSnapshot(source))

        try await Task.sleep(nanoseconds: 1_100_000_000)
        try write(source + "/dir/c.txt", "charlie 2\n", mode: 0o640)
        try FileManager.default.removeItem(atPath: source + "/dir/d.sh")
        try write(source + "/e/f.txt", "echo foxtrot\n")
        try await runNow(node, "tree")
        states.append(try TreeSnapshot(source))

        let list = try await backups(node, "tree")
        #expect(list.map { $0["level"] as? Int } == [0, 1, 2], "\(list)")
        let ids = list.map { $0["backup_id"] as? String ?? "" }
        #expect(list[1]["parent_id"] as? String == ids[0] && list[2]["parent_id"] as? String == ids[1])
        #expect(list[1]["chain_id"] as? String == ids[0] && list[2]["chain_id"] as? String == ids[0])
        #expect(list[0]["parent_id"] == nil)
        let cli = try await KeepwatchBinary.run(["backup", "list", "--name", "tree"], environment: node.clientEnvironment)
        #expect(cli.stdout.contains("LEVEL") && cli.lines.count == 4, "\(cli.stdout)")

        for (index, state) in states.enumerated() {
            let target = node.root.appendingPathComponent("restore-\(index)").path
            let result = try await restore(node, "tree", to: target, extra: ["--date", iso(list[index]["started_at"])])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("levels 0-\(index)"), "\(result.stdout)")
            let restored = try TreeSnapshot(target)
            #expect(restored == state, "level \(index): restored \(restored) expected \(state)")
        }

        try await Task.sleep(nanoseconds: 1_100_000_000)
        try await runNow(node, "tree")
        let afterMax = try await backups(node, "tree")
        #expect(afterMax.last?["level"] as? Int == 0, "max_level 2 reached: a new chain starts")
        let prune = try await node.request(.POST, "/api/v1/jobs", json: [
            "job_id": "prune", "job_schedule": ["status": "stop", "schedule_interval": "1 days"],
            "job_actions": [["freezer_action": ["action": "admin", "backup_name": "tree", "keep_last": 1]]],
        ])
        #expect(prune.status == 201)
        try await runNow(node, "prune")
        let kept = try await backups(node, "tree")
        #expect(kept.count == 1 && kept.first?["level"] as? Int == 0, "\(kept)")
        for backup in list {
            #expect(!FileManager.default.fileExists(atPath: backup["file"] as? String ?? ""), "old chain removed whole")
            #expect(!FileManager.default.fileExists(atPath: backup["snapshot_file"] as? String ?? "/nonexistent-x"))
        }
        await node.stop()
    }

    @Test func restoreRefusesANonEmptyTargetAndDamagedArchives() async throws {
        let node = try NodeProcess()
        try await node.start()
        let source = try node.makeDirectory("files", files: ["one.txt": "one\n", "sub/two.txt": String(repeating: "two ", count: 5000)])
        _ = try await node.request(.POST, "/api/v1/jobs", json: [
            "job_id": "files", "job_schedule": ["status": "stop", "schedule_interval": "1 days"],
            "job_actions": [["freezer_action": ["action": "backup", "mode": "fs", "path_to_backup": source, "backup_name": "files"]]],
        ])
        try await runNow(node, "files")
        let busy = try node.makeDirectory("busy", files: ["keep.txt": "mine\n"])
        let refused = try await restore(node, "files", to: busy)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("is not empty; restore over it with --overwrite"), "\(refused.stderr)")
        #expect(try TreeSnapshot(busy).entries.keys.sorted() == ["keep.txt"])
        let over = try await restore(node, "files", to: busy, extra: ["--overwrite"])
        #expect(over.status == 0, "\(over.stderr)")
        #expect(FileManager.default.contents(atPath: busy + "/sub/two.txt") == FileManager.default.contents(atPath: source + "/sub/two.txt"))
        #expect(try await restore(node, "nothing", to: node.root.appendingPathComponent("n").path).stderr.contains("no backup named nothing"))
        let early = try await restore(node, "files", to: node.root.appendingPathComponent("early").path, extra: ["--date", "2001-01-01T00:00:00Z"])
        #expect(early.status == 1 && early.stderr.contains("at or before"))

        let verified = try await KeepwatchBinary.run(["backup", "verify", "files", "--data", node.dataPath])
        #expect(verified.status == 0 && verified.stdout.contains("1 of 1 backups of files verified"), "\(verified.stdout)\(verified.stderr)")
        let archive = try #require((try await backups(node, "files")).first?["file"] as? String)
        try flipByte(archive, at: 100)
        let damaged = try await KeepwatchBinary.run(["backup", "verify", "files", "--data", node.dataPath])
        #expect(damaged.status == 1 && damaged.stdout.contains("DAMAGED") && damaged.stdout.contains("sha256"), "\(damaged.stdout)")
        let target = node.root.appendingPathComponent("fresh").path
        let blocked = try await restore(node, "files", to: target)
        #expect(blocked.status == 1 && blocked.stderr.contains("failed verification, nothing was restored"), "\(blocked.stderr)")
        #expect(!FileManager.default.fileExists(atPath: target), "nothing is written")
        await node.stop()
    }

    func flipByte(_ path: String, at offset: UInt64) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.seek(toOffset: offset)
        let byte = try handle.read(upToCount: 1)?.first ?? 0
        try handle.seek(toOffset: offset)
        try handle.write(contentsOf: [byte ^ 0x01])
        try handle.close()
    }

    @Test func encryptedBackupsRoundTripAndRefuseWrongKeysAndFlippedBytes() async throws {
        let node = try NodeProcess()
        try await node.start()
        let marker = "plain-text-marker-that-must-not-appear"
        let source = try node.makeDirectory("secret", files: ["notes.txt": marker + "\n", "big.bin": String(repeating: "x", count: 3 << 20)])
        let passFile = node.root.appendingPathComponent("pass").path
        try "correct horse battery staple\nignored second line\n".write(toFile: passFile, atomically: true, encoding: .utf8)
        let wrongFile = node.root.appendingPathComponent("wrong").path
        try "not the passphrase\n".write(toFile: wrongFile, atomically: true, encoding: .utf8)
        _ = try await node.request(.POST, "/api/v1/jobs", json: [
            "job_id": "secret", "job_schedule": ["status": "stop", "schedule_interval": "1 days"],
            "job_actions": [["freezer_action": ["action": "backup", "mode": "fs", "path_to_backup": source, "backup_name": "secret",
                                                "compression_level": 1, "encrypt_pass_file": passFile]]],
        ])
        try await runNow(node, "secret")
        let backup = try #require((try await backups(node, "secret")).first)
        let archive = try #require(backup["file"] as? String)
        #expect(archive.hasSuffix(".tar.zst.kwenc") && backup["encryption"] as? String == "aes-256-gcm")
        let bytes = try #require(FileManager.default.contents(atPath: archive))
        #expect(bytes.prefix(8) == Data("KWAEAD01".utf8))
        #expect(bytes.range(of: Data(marker.utf8)) == nil)

        let good = node.root.appendingPathComponent("good").path
        let restored = try await restore(node, "secret", to: good, extra: ["--encrypt-pass-file", passFile])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(try TreeSnapshot(good) == (try TreeSnapshot(source)))

        let noKey = try await restore(node, "secret", to: node.root.appendingPathComponent("nokey").path)
        #expect(noKey.status == 1 && noKey.stderr.contains("is encrypted"))
        let wrongTarget = node.root.appendingPathComponent("wrong-key").path
        let wrong = try await restore(node, "secret", to: wrongTarget, extra: ["--encrypt-pass-file", wrongFile])
        #expect(wrong.status == 1 && wrong.stderr.contains("wrong passphrase or key file"), "\(wrong.stderr)")
        #expect(!FileManager.default.fileExists(atPath: wrongTarget))

        let verified = try await KeepwatchBinary.run(["backup", "verify", "secret", "--data", node.dataPath, "--encrypt-pass-file", passFile])
        #expect(verified.status == 0, "\(verified.stdout)")
        try flipByte(archive, at: UInt64(bytes.count / 2))
        let flippedTarget = node.root.appendingPathComponent("flipped").path
        let flipped = try await restore(node, "secret", to: flippedTarget, extra: ["--encrypt-pass-file", passFile])
        #expect(flipped.status == 1 && flipped.stderr.contains("fails authentication"), "\(flipped.stderr)")
        #expect(!FileManager.default.fileExists(atPath: flippedTarget), "nothing is written")
        await node.stop()
    }

    @Test func keyFilesRestoreAndVerifyActionsRunAsJobs() async throws {
        let node = try NodeProcess()
        try await node.start()
        let source = try node.makeDirectory("app", files: ["config.yml": "a: 1\n", "data/rows.csv": "1,2,3\n"])
        let keyFile = node.root.appendingPathComponent("key.hex").path
        try String(repeating: "0123456789abcdef", count: 4).write(toFile: keyFile, atomically: true, encoding: .utf8)
        let target = node.root.appendingPathComponent("restored").path
        let job = try await node.request(.POST, "/api/v1/jobs", json: [
            "job_id": "cycle", "job_schedule": ["status": "stop", "schedule_interval": "1 days"],
            "action_defaults": ["backup_name": "app", "encrypt_key_file": keyFile],
            "job_actions": [
                ["freezer_action": ["action": "backup", "mode": "fs", "path_to_backup": source]],
                ["freezer_action": ["action": "verify"]],
                ["freezer_action": ["action": "restore", "restore_abs_path": target, "overwrite": true]],
            ],
        ])
        #expect(job.status == 201, "\(job.body)")
        try await runNow(node, "cycle")
        #expect(try TreeSnapshot(target) == (try TreeSnapshot(source)))
        let runID = try #require((try await node.runs("cycle")).first?["run_id"] as? String)
        let log = try await node.get("/api/v1/runs/\(runID)/log?follow=false").body
        #expect(log.contains("Backup verified") && log.contains("authenticated=true") && log.contains("Restore finished"), "\(log)")
        await node.stop()
    }

    @Test func badBackupDocumentsNameTheField() async throws {
        let node = try NodeProcess()
        try await node.start()
        let cases: [([String: Any], String, UInt)] = [
            (["action": "backup", "mode": "fs", "path_to_backup": "/tmp", "max_level": 3], "job_actions[0].freezer_action.max_level", 400),
            (["action": "backup", "mode": "fs", "path_to_backup": "/tmp", "incremental": true, "always_level": 0],
             "job_actions[0].freezer_action.always_level", 400),
            (["action": "restore", "backup_name": "x"], "job_actions[0].freezer_action.restore_abs_path", 400),
            (["action": "restore", "backup_name": "x", "restore_abs_path": "/tmp/x", "restore_from_date": "yesterday"],
             "job_actions[0].freezer_action.restore_from_date", 400),
            (["action": "verify"], "job_actions[0].freezer_action.backup_name", 400),
            (["action": "backup", "mode": "fs", "path_to_backup": "/tmp", "encrypt_pass_file": "/nonexistent/pass"],
             "job_actions[0].freezer_action.encrypt_pass_file", 422),
            (["action": "backup", "mode": "fs", "path_to_backup": "/tmp", "encrypt_pass_file": "/etc/hostname", "encrypt_key_file": "/etc/hostname"],
             "job_actions[0].freezer_action.encrypt_key_file", 400),
        ]
        for (action, field, status) in cases {
            let reply = try await node.request(.POST, "/api/v1/jobs", json: ["job_actions": [["freezer_action": action]]])
            #expect(reply.status == status, "\(action): \(reply.body)")
            #expect(reply.object["field"] as? String == field, "\(action): \(reply.body)")
        }
        await node.stop()
    }
}
