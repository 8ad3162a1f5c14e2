import Foundation
import Testing

/// The API's edges on a real node: unknown routes, conflicts on the mgob and native run routes, bad limits, the audit
/// trail of job changes, and events that do not apply.
@Suite(.serialized) struct TrustAPITests {
    /// A job running `command`, off its schedule unless `schedule` says otherwise.
    static func job(_ id: String, command: [String] = ["true"],
                    schedule: [String: Any] = ["status": "stop", "schedule_interval": "1 days"]) -> [String: Any] {
        ["job_id": id, "job_schedule": schedule, "job_actions": [["freezer_action": ["action": "exec", "command": command]]]]
    }

    @Test func unknownRoutesGetAJSON404WithTheSecurityHeaders() async throws {
        let node = try NodeProcess()
        try await node.start()
        let missing = try await node.get("/nonexistent")
        #expect(missing.status == 404, "\(missing.body)")
        #expect(missing.object["error"] is String, "not a JSON error: \(missing.body)")
        #expect(missing.headers["x-content-type-options"].first == "nosniff", "\(missing.headers)")
        #expect(!missing.headers["content-security-policy"].isEmpty, "\(missing.headers)")

        let wrongMethod = try await node.request(.DELETE, "/api/v1/jobs")
        #expect(wrongMethod.status == 404 || wrongMethod.status == 405, "\(wrongMethod.status) \(wrongMethod.body)")
        #expect(wrongMethod.object["error"] is String, "not a JSON error: \(wrongMethod.body)")
        #expect(wrongMethod.headers["x-content-type-options"].first == "nosniff")

        let head = try await node.request(.HEAD, "/healthz", credentials: .none)
        #expect(head.status == 200)
        await node.stop()
    }

    @Test func mgobBackupRouteAnswers404And409() async throws {
        let node = try NodeProcess()
        try await node.start()
        let nope = try await node.request(.POST, "/backup/nope")
        #expect(nope.status == 404, "\(nope.body)")
        #expect(nope.object["error"] is String, "\(nope.body)")

        let created = try await node.request(.POST, "/api/v1/jobs", json: Self.job("slow", command: ["sleep", "5"]))
        #expect(created.status == 201, "\(created.body)")
        let started = try await node.request(.POST, "/api/v1/jobs/slow/run")
        #expect(started.status == 202, "\(started.body)")
        let runID = try #require(started.object["run_id"] as? String, "\(started.body)")
        #expect(started.object["job_id"] as? String == "slow")

        let backup = try await node.request(.POST, "/backup/slow")
        #expect(backup.status == 409, "a second run started beside \(runID): \(backup.body)")
        #expect((backup.object["error"] as? String)?.contains("already running") == true, "\(backup.body)")
        let again = try await node.request(.POST, "/api/v1/jobs/slow/run")
        #expect(again.status == 409, "\(again.body)")
        #expect(try await node.runs("slow").count == 1, "only the first run exists")

        let aborted = try await node.request(.POST, "/api/v1/jobs/slow/event", json: ["event": "abort"])
        #expect(aborted.status == 202, "\(aborted.body)")
        let ended = try await node.eventually(5) { try await node.get("/api/v1/runs/\(runID)").object["status"] as? String == "aborted" }
        #expect(ended, "run \(runID) did not end as aborted: \(node.log)")
        await node.stop()
    }

    @Test func badLimitsAre400() async throws {
        let node = try NodeProcess()
        try await node.start()
        let word = try await node.get("/api/v1/runs?limit=abc")
        #expect(word.status == 400, "\(word.body)")
        #expect(word.body.contains("limit"), "\(word.body)")
        #expect(word.object["field"] as? String == "limit", "\(word.body)")
        let zero = try await node.get("/api/v1/runs?limit=0")
        #expect(zero.status == 400, "\(zero.body)")
        #expect(zero.body.contains("limit"), "\(zero.body)")
        let audit = try await node.get("/api/v1/audit?limit=abc")
        #expect(audit.status == 400 && audit.object["field"] as? String == "limit", "\(audit.body)")
        let five = try await node.get("/api/v1/runs?limit=5")
        #expect(five.status == 200, "\(five.body)")
        #expect(five.object["runs"] is [Any], "\(five.body)")
        await node.stop()
    }

    @Test func jobChangesAreAuditedInOrderWithWhoAndWhere() async throws {
        let node = try NodeProcess()
        try await node.start()
        let auditor = NodeProcess.Credentials.bearer(try await node.makeToken(role: "admin", name: "auditor"))
        let created = try await node.request(.POST, "/api/v1/jobs", json: Self.job("a1"), credentials: auditor)
        #expect(created.status == 201, "\(created.body)")
        let patched = try await node.request(.PATCH, "/api/v1/jobs/a1", json: ["description": "audited"], credentials: auditor)
        #expect(patched.status == 200, "\(patched.body)")
        let started = try await node.request(.POST, "/api/v1/jobs/a1/event", json: ["event": "start"], credentials: auditor)
        #expect(started.status == 202, "\(started.body)")
        let stopped = try await node.request(.POST, "/api/v1/jobs/a1/event", json: ["event": "stop"], credentials: auditor)
        #expect(stopped.status == 202, "\(stopped.body)")
        let deleted = try await node.request(.DELETE, "/api/v1/jobs/a1", credentials: auditor)
        #expect(deleted.status == 204, "\(deleted.body)")

        let audit = try await node.get("/api/v1/audit?limit=20", credentials: auditor)
        #expect(audit.status == 200, "\(audit.body)")
        let entries = (audit.object["entries"] as? [[String: Any]] ?? []).filter { ($0["action"] as? String)?.hasPrefix("job-") == true }
        let actions = entries.map { $0["action"] as? String ?? "" }
        #expect(actions == ["job-delete", "job-stop", "job-start", "job-change", "job-create"], "\(audit.body)")
        for entry in entries {
            #expect(entry["username"] as? String == "token:auditor", "\(entry)")
            #expect(entry["source"] as? String == "127.0.0.1", "\(entry)")
            #expect(entry["result"] as? String == "ok", "\(entry)")
            #expect((entry["detail"] as? String)?.contains("a1") == true, "\(entry)")
        }
        await node.stop()
    }

    /// The API keeps Freezer's rule (an abort with nothing running takes the job off its schedule) and says so;
    /// `keepwatch job abort` checks first and changes nothing (CommandLineTrustTests).
    @Test func abortOnAnIdleJobSaysWhatItDid() async throws {
        let node = try NodeProcess()
        try await node.start()
        let created = try await node.request(.POST, "/api/v1/jobs", json: Self.job("idle", schedule: ["schedule_cron": "0 3 * * *"]))
        #expect(created.status == 201, "\(created.body)")
        let abort = try await node.request(.POST, "/api/v1/jobs/idle/event", json: ["event": "abort"])
        #expect(abort.status == 202, "\(abort.body)")
        #expect((abort.object["message"] as? String)?.contains("nothing was running") == true, "\(abort.body)")
        let after = try await node.get("/api/v1/jobs/idle")
        #expect((after.object["job_schedule"] as? [String: Any])?["status"] as? String == "stop", "\(after.body)")
        #expect(try await node.runs("idle").isEmpty)
        await node.stop()
    }

    @Test func removedJobsNeverRunAgain() async throws {
        let node = try NodeProcess()
        try await node.start()
        let created = try await node.request(.POST, "/api/v1/jobs", json: Self.job("gone"))
        #expect(created.status == 201, "\(created.body)")
        let removed = try await node.request(.POST, "/api/v1/jobs/gone/event", json: ["event": "remove"])
        #expect(removed.status == 202, "\(removed.body)")
        let job = try await node.get("/api/v1/jobs/gone")
        #expect((job.object["job_schedule"] as? [String: Any])?["status"] as? String == "removed", "\(job.body)")

        let start = try await node.request(.POST, "/api/v1/jobs/gone/event", json: ["event": "start"])
        #expect(start.status == 409, "\(start.body)")
        let run = try await node.request(.POST, "/api/v1/jobs/gone/run")
        #expect(run.status == 409, "\(run.body)")
        let backup = try await node.request(.POST, "/backup/gone")
        #expect(backup.status == 409, "\(backup.body)")
        #expect(try await node.runs("gone").isEmpty, "a removed job ran")

        let deleted = try await node.request(.DELETE, "/api/v1/jobs/gone")
        #expect(deleted.status == 204, "\(deleted.body)")
        let afterDelete = try await node.get("/api/v1/jobs/gone")
        #expect(afterDelete.status == 404, "\(afterDelete.body)")
        let runs = try await node.get("/api/v1/runs?job_id=gone")
        #expect(runs.status == 404, "\(runs.body)")
        await node.stop()
    }
}
