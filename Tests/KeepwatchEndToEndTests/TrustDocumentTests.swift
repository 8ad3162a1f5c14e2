import Foundation
import Testing

/// Job documents through the real binary: no input crashes the node, typos and values that could only fail later
/// are refused at submit with the field named, and a document reads back as it was written.
@Suite(.serialized) struct TrustDocumentTests {
    static var execAction: [String: Any] { ["freezer_action": ["action": "exec", "command": ["true"]]] }

    /// Every numeric key of a job document, with where it goes.
    static var numericKeys: [(field: String, place: (Any) -> [String: Any])] {
        var keys: [(String, (Any) -> [String: Any])] = []
        for key in ["schedule_year", "schedule_month", "schedule_day", "schedule_week", "schedule_day_of_week", "schedule_hour",
                    "schedule_minute", "schedule_second", "time_created", "time_started", "time_ended", "current_pid"] {
            keys.append(("job_schedule.\(key)", { value in ["job_actions": [execAction], "job_schedule": [key: value]] }))
        }
        keys.append(("timeout", { value in ["job_actions": [execAction], "timeout": value] }))
        for key in ["max_retries", "max_retries_interval"] {
            keys.append(("job_actions[0].\(key)", { value in
                ["job_actions": [["freezer_action": ["action": "exec", "command": ["true"]], key: value]]] }))
        }
        let actions: [(String, [String: Any])] = [
            ("compression_level", ["action": "backup", "mode": "fs", "path_to_backup": "/tmp"]),
            ("max_level", ["action": "backup", "mode": "fs", "path_to_backup": "/tmp", "incremental": true]),
            ("always_level", ["action": "backup", "mode": "fs", "path_to_backup": "/tmp", "incremental": true]),
            ("restart_always_level", ["action": "backup", "mode": "fs", "path_to_backup": "/tmp", "incremental": true]),
            ("keep_last", ["action": "admin", "backup_name": "x"]),
            ("remove_older_than", ["action": "admin", "backup_name": "x"]),
            ("port", ["action": "backup", "mode": "postgres", "database": "d"]),
        ]
        for (key, base) in actions {
            keys.append(("job_actions[0].freezer_action.\(key)", { value in
                ["job_actions": [["freezer_action": base.merging([key: value]) { $1 }]], "job_schedule": ["status": "stop"]] }))
        }
        return keys
    }

    static var extremes: [Any] { [1e308, -1e308, 9_223_372_036_854_775_808.0, 1e20, -1e19, -1, 0, 0.5, 1.5e-300, "abc", "1e300", 18_446_744_073_709_551_616.0] }

    @Test func extremeNumbersInEveryNumericKeyGetA4xxNamingTheFieldNeverACrash() async throws {
        let node = try NodeProcess()
        try await node.start()
        var accepted: [String] = []
        for (field, place) in Self.numericKeys {
            for value in Self.extremes {
                let reply = try await node.request(.POST, "/api/v1/jobs", json: place(value))
                #expect(reply.status < 500, "\(field)=\(value): \(reply.status) \(reply.body)")
                if (400..<500).contains(reply.status) {
                    let named = reply.object["field"] as? String ?? ""
                    #expect(named == field || named.hasPrefix(field) || field.hasPrefix(named) && !named.isEmpty,
                            "\(field)=\(value) named \(named): \(reply.body)")
                } else if reply.status == 201, let id = reply.object["job_id"] as? String {
                    accepted.append("\(field)=\(value)")
                    _ = try await node.request(.DELETE, "/api/v1/jobs/\(id)")
                }
            }
        }
        #expect(try await node.get("/healthz").status == 200, "the node is still up; accepted: \(accepted)\n\(node.log)")
        #expect(!node.log.contains("Fatal error"))
        await node.stop()
    }

    @Test func aHugeRetentionAgeIsRefusedAndNeverCrashesAtRunTime() async throws {
        let node = try NodeProcess()
        try await node.start()
        let reply = try await node.request(.POST, "/api/v1/jobs", json: [
            "job_id": "r1", "job_actions": [["freezer_action": ["action": "admin", "backup_name": "x", "remove_older_than": 1e308]]],
        ])
        #expect(reply.status == 400 && reply.object["field"] as? String == "job_actions[0].freezer_action.remove_older_than", "\(reply.body)")
        let fine = try await node.request(.POST, "/api/v1/jobs", json: [
            "job_id": "r2", "job_actions": [["freezer_action": ["action": "admin", "backup_name": "x", "remove_older_than": 36_500]]],
        ])
        #expect(fine.status == 201, "\(fine.body)")
        #expect(try await node.eventually(10) { try await node.runs("r2").first?["status"] as? String == "success" }, "\(node.log)")
        #expect(try await node.get("/healthz").status == 200)
        await node.stop()
    }

    @Test func typosAndValuesThatCouldOnlyFailLaterAreRefusedAtSubmit() async throws {
        let node = try NodeProcess()
        try await node.start()
        let source = try node.makeDirectory("src", files: ["a": "a"])
        let backup: [String: Any] = ["action": "backup", "mode": "fs", "path_to_backup": source]
        let cases: [([String: Any], UInt, String, String)] = [
            (backup.merging(["exlude": ["*.cache"]]) { $1 }, 422, "job_actions[0].freezer_action.exlude", "did you mean exclude"),
            (backup.merging(["compression": "lz4"]) { $1 }, 422, "job_actions[0].freezer_action.compression", "zstd, gzip"),
            (backup.merging(["path_to_backup": "relative"]) { $1 }, 400, "job_actions[0].freezer_action.path_to_backup", "absolute"),
            (backup.merging(["keep_last": 3]) { $1 }, 422, "job_actions[0].freezer_action.keep_last", "not read by backup actions"),
            (backup.merging(["compression": "gzip", "compression_level": 19]) { $1 }, 400, "job_actions[0].freezer_action.compression_level", "1-9"),
            (["action": "restore", "backup_name": "b", "restore_abs_path": "/tmp/a", "restore-abs-path": "/tmp/b"], 400,
             "job_actions[0].freezer_action.restore_abs_path", "same key"),
            (["action": "restore", "backup_name": "b", "restore_abs_path": "/tmp/a\u{0}b"], 400, "job_actions[0].freezer_action.restore_abs_path", "NUL"),
            (backup.merging(["mode": "cinder"]) { $1 }, 422, "job_actions[0].freezer_action.mode", "not supported"),
        ]
        for (action, status, field, message) in cases {
            let reply = try await node.request(.POST, "/api/v1/jobs", json: ["job_actions": [["freezer_action": action]]])
            #expect(reply.status == status, "\(action): \(reply.body)")
            #expect(reply.object["field"] as? String == field, "\(action): \(reply.body)")
            #expect((reply.object["error"] as? String)?.contains(message) == true, "\(action): \(reply.body)")
        }
        let duplicate = try await node.request(.POST, "/api/v1/jobs",
                                               rawBody: #"{"job_id":"dupk","job_id":"dupk2","job_actions":[{"freezer_action":{"action":"exec","command":["true"]}}]}"#,
                                               headers: [("Content-Type", "application/json")])
        #expect(duplicate.status == 400 && duplicate.body.contains("twice"), "\(duplicate.body)")
        let trailing = try await node.request(.POST, "/api/v1/jobs", rawBody: "{\"job_id\": \"t\",\n \"job_actions\": [],\n}",
                                              headers: [("Content-Type", "application/json")])
        #expect(trailing.status == 400 && trailing.body.contains("line 3"), "\(trailing.body)")
        #expect(try await node.get("/api/v1/jobs").body.contains("\"jobs\":[]"), "nothing was created")
        await node.stop()
    }

    @Test func aDocumentReadsBackAsWrittenAndTheAPIAcceptsWhatItReturns() async throws {
        let node = try NodeProcess()
        try await node.start()
        let source = try node.makeDirectory("home", files: ["a": "a"])
        let document: [String: Any] = [
            "job_id": "nightly", "description": "home",
            "action_defaults": ["container": node.root.appendingPathComponent("backups").path, "log_file": "/tmp/freezer.log"],
            "job_actions": [["freezer_action": ["action": "backup", "mode": "fs", "src_file": source, "backup_name": "home"], "max_retries": 2]],
            "job_schedule": ["schedule_cron": "30 2 * * *", "schedule_time_zone": "Europe/Riga"],
        ]
        #expect(try await node.request(.POST, "/api/v1/jobs", json: document).status == 201)
        let shown = try await node.get("/api/v1/jobs/nightly")
        #expect(!shown.body.contains("null"), "no null keys: \(shown.body)")
        let object = shown.object
        #expect((object["action_defaults"] as? [String: Any])?["log_file"] as? String == "/tmp/freezer.log", "\(shown.body)")
        let action = ((object["job_actions"] as? [[String: Any]])?.first?["freezer_action"] as? [String: Any]) ?? [:]
        #expect(action["src_file"] as? String == source && action["container"] == nil, "the action as sent: \(action)")
        #expect(object["version"] as? Int == 1)
        #expect(object["next_run"] is String)
        let schedule = object["job_schedule"] as? [String: Any] ?? [:]
        #expect(schedule["status"] as? String == "scheduled" && schedule["event"] == nil && schedule["time_ended"] == nil, "\(schedule)")

        let put = try await node.request(.PUT, "/api/v1/jobs/nightly", json: object)
        #expect(put.status == 200 && put.object["version"] as? Int == 2, "the API accepts what it returns: \(put.body)")
        let patched = try await node.request(.PATCH, "/api/v1/jobs/nightly", json: ["description": "home v3"])
        #expect(patched.object["version"] as? Int == 3, "\(patched.body)")
        let yaml = """
            job_id: yamljob
            job_actions:
              - freezer_action: {action: exec, command: ["true"]}
            job_schedule: {status: stop}
            """
        let viaYAML = try await node.request(.POST, "/api/v1/jobs", rawBody: yaml, headers: [("Content-Type", "application/yaml")])
        #expect(viaYAML.status == 201, "\(viaYAML.body)")
        await node.stop()
    }
}
