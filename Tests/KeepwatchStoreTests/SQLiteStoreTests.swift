import Foundation
import KeepwatchCore
import KeepwatchStore
import Testing

/// The store suite on a real SQLite file in a temporary directory.
@Suite struct SQLiteStoreTests {
    func withStore(_ body: (SQLStore, String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keepwatch-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("keepwatch.sqlite").path
        let store = try await SQLiteStore.open(path: path)
        do {
            try await body(store, path)
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
    }

    func sampleJob(_ id: String = "nightly") throws -> Job {
        var job = try JobDocumentParser().parse([
            "job_actions": [["freezer_action": ["action": "backup", "mode": "fs", "path_to_backup": "/srv", "backup_name": "srv"]]],
            "job_schedule": ["schedule_cron": "0 3 * * *"],
        ], jobID: id)
        job.state = JobLifecycle.created(job.state, at: 1_700_000_000, hasNextFire: true)
        return job
    }

    @Test func jobsRoundTripAndSurviveReopening() async throws {
        let job = try sampleJob()
        var path = ""
        try await withStore { store, file in
            path = file
            try await store.insertJob(job, nextRun: 1_700_010_000)
            await #expect(throws: StoreError.duplicate("job nightly")) { try await store.insertJob(job, nextRun: nil) }
            let stored = try #require(try await store.job("nightly"))
            #expect(stored.job == job)
            #expect(stored.nextRun == 1_700_010_000)
            var changed = job
            changed.state.status = .stop
            try await store.updateJob(changed, nextRun: nil)
            #expect(try await store.job("nightly")?.job.state.status == .stop)
            #expect(try await store.job("nightly")?.nextRun == nil)
            await #expect(throws: StoreError.notFound("job other")) { try await store.updateJob(try sampleJob("other"), nextRun: nil) }
            let reopened = try await SQLiteStore.open(path: path)
            #expect(try await reopened.jobs().map(\.job.jobID) == ["nightly"])
            try await reopened.close()
            #expect(try await store.deleteJob("nightly"))
            #expect(try await store.deleteJob("nightly") == false)
            #expect(try await store.job("nightly") == nil)
        }
    }

    @Test func runsAndBackups() async throws {
        try await withStore { store, _ in
            var first = Run(runID: "r1", jobID: "nightly", trigger: .schedule, startedAt: 100, logPath: "/logs/r1.log")
            let second = Run(runID: "r2", jobID: "nightly", trigger: .manual, startedAt: 200, logPath: "/logs/r2.log")
            try await store.insertRun(first)
            try await store.insertRun(second)
            first.status = .success
            first.endedAt = 150
            first.actions = [ActionOutcome(index: 0, action: "backup", mode: "fs", status: .success, attempts: 1)]
            try await store.updateRun(first)
            #expect(try await store.run("r1") == first)
            #expect(try await store.runs(jobID: "nightly", limit: 10).map(\.runID) == ["r2", "r1"])
            #expect(try await store.runs(status: .running).map(\.runID) == ["r2"])
            #expect(try await store.runs(jobID: "other", limit: 10).isEmpty)
            try await store.insertRun(Run(runID: "r3", jobID: "weekly", trigger: .schedule, startedAt: 50, logPath: "/logs/r3.log"))
            let latest = try await store.latestRuns()
            #expect(latest.mapValues(\.runID) == ["nightly": "r2", "weekly": "r3"])

            let backup = BackupManifest(backupID: "b1", backupName: "srv", jobID: "nightly", runID: "r1", file: "/b/srv-100.tar.zst",
                                        size: 42, sha256: String(repeating: "a", count: 64), compression: "zstd", mode: "fs",
                                        source: "/srv", startedAt: 100, endedAt: 150, tools: ["tar": "tar (GNU tar) 1.34"])
            try await store.insertBackup(backup)
            #expect(try await store.backups(name: "srv") == [backup])
            #expect(try await store.backups(name: nil).count == 1)
            #expect(try await store.backups(ids: ["b1", "missing"]) == [backup])
            #expect(try await store.backups(ids: []).isEmpty)
            try await store.deleteBackup("b1")
            #expect(try await store.backups(name: "srv").isEmpty)
        }
    }

    @Test func damagedDocumentsAreReportedNotCrashed() async throws {
        try await withStore { store, path in
            try await store.insertJob(try sampleJob(), nextRun: nil)
            let raw = try await SQLiteStore.open(path: path)
            try await raw.database.raw("UPDATE jobs SET document = 'not json'").run()
            try await raw.close()
            await #expect(throws: StoreError.self) { _ = try await store.jobs() }
        }
    }
}
