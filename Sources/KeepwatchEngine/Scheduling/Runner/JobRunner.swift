import Foundation
import KeepwatchCore
import KeepwatchStore

/// Carries out one run of a job: actions in order, each retried `max_retries` times `max_retries_interval`
/// seconds apart; after a failure only `mandatory` actions still run. Every step is written to the run log
/// and to the store.
public struct JobRunner: Sendable {
    public let store: any Store
    public let data: DataDirectory
    public let now: @Sendable () -> Int64

    public init(store: any Store, data: DataDirectory, now: @escaping @Sendable () -> Int64) {
        self.store = store
        self.data = data
        self.now = now
    }

    /// Runs `job` as `run` (already inserted in the store) until it ends; returns the finished run.
    public func execute(_ job: Job, run initial: Run, control: RunControl) async -> Run {
        var run = initial
        let clock = ContinuousClock()
        let began = clock.now
        let log: RunLog
        do {
            log = try RunLog(path: run.logPath)
        } catch {
            run.status = .fail
            run.message = "cannot write the run log \(run.logPath): \(error)"
            run.endedAt = now()
            try? await store.updateRun(run)
            return run
        }
        defer { log.close() }
        log.line("Run started", fields: [("job", job.jobID), ("run", run.runID), ("trigger", run.trigger.rawValue)])
        var failed = false
        for (index, jobAction) in job.actions.enumerated() {
            let outcome: ActionOutcome
            if control.isStopped {
                outcome = ActionOutcome(index: index, action: jobAction.freezerAction.kind.rawValue, mode: jobAction.freezerAction.mode,
                                        status: .aborted, attempts: 0)
            } else if failed && !jobAction.mandatory {
                var skipped = ActionOutcome(index: index, action: jobAction.freezerAction.kind.rawValue, mode: jobAction.freezerAction.mode,
                                            status: .skipped, attempts: 0)
                skipped.message = "skipped: an earlier action failed and this one is not mandatory"
                log.line(skipped.message ?? "", fields: [("action", "\(index)")])
                outcome = skipped
            } else {
                outcome = await attempt(jobAction, index: index, job: job, runID: run.runID, log: log, control: control)
                if outcome.status != .success { failed = true }
            }
            run.actions.append(outcome)
            try? await store.updateRun(run)
        }
        run.endedAt = now()
        let elapsed = clock.now - began
        run.elapsedNanoseconds = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
        if let reason = control.stopReason {
            run.status = .aborted
            run.message = reason.description
        } else if failed {
            run.status = .fail
            run.message = run.actions.first { $0.status == .fail }?.message
        } else {
            run.status = .success
        }
        log.line("Run finished", fields: [("status", run.status.rawValue), ("duration", "\(run.endedAt.map { $0 - run.startedAt } ?? 0)s")]
                 + (run.message.map { [("reason", $0)] } ?? []))
        try? await store.updateRun(run)
        return run
    }

    private func attempt(_ jobAction: JobAction, index: Int, job: Job, runID: String, log: RunLog, control: RunControl) async -> ActionOutcome {
        let action = jobAction.freezerAction
        var outcome = ActionOutcome(index: index, action: action.kind.rawValue, mode: action.mode, status: .fail, attempts: 0)
        outcome.startedAt = now()
        let context = ActionContext(job: job, runID: runID, index: index, action: action, log: log, control: control,
                                    store: store, data: data, now: now)
        let attempts = jobAction.maxRetries + 1
        for number in 1...attempts {
            outcome.attempts = number
            do {
                outcome.backupID = try await perform(context)
                outcome.status = .success
                outcome.message = nil
                break
            } catch {
                outcome.message = control.stopReason?.description ?? "\(error)"
                log.line("Action failed", level: "error",
                         fields: [("action", "\(index)"), ("attempt", "\(number)/\(attempts)"), ("error", outcome.message ?? "")])
                if control.isStopped {
                    outcome.status = .aborted
                    break
                }
                if number < attempts {
                    log.line("Retrying in \(jobAction.maxRetriesInterval)s", fields: [("action", "\(index)")])
                    if await !control.pause(seconds: jobAction.maxRetriesInterval) {
                        outcome.status = .aborted
                        break
                    }
                }
            }
        }
        outcome.endedAt = now()
        return outcome
    }

    /// Runs one action once; returns the id of the backup it recorded, if any.
    private func perform(_ context: ActionContext) async throws -> String? {
        let action = context.action
        switch (action.kind, action.mode ?? "fs") {
        case (.backup, "fs"):
            return try await record(try await FileSystemBackup.run(context), context)
        case (.backup, "mongo"):
            return try await record(try await MongoBackup.run(context), context)
        case (.backup, let mode) where DatabaseSession.modes.contains(mode):
            return try await record(try await DatabaseBackup.run(context), context)
        case (.exec, _):
            try await ExecAction.run(context)
            return nil
        case (.admin, _):
            try await RetentionAction.run(context)
            return nil
        case (.restore, let mode) where mode == "fs" || mode == "mongo" || DatabaseSession.modes.contains(mode):
            try await RestoreAction.run(context)
            return nil
        case (.verify, _):
            try await VerifyAction.run(context)
            return nil
        case (let kind, let mode):
            throw ActionFailure("\(kind.rawValue) in mode \(mode) is not supported by this node yet")
        }
    }

    /// Records the backup, after its remote copy when the action has one; a failed upload still records the local copy.
    private func record(_ local: BackupManifest, _ context: ActionContext) async throws -> String {
        let manifest: BackupManifest
        do {
            manifest = try await RemoteCopy.apply(local, context: context)
        } catch {
            try await store.insertBackup(local)
            throw error
        }
        try await store.insertBackup(manifest)
        context.log.line("Backup finished", fields: [("action", "\(context.index)"), ("archive", (manifest.file as NSString).lastPathComponent),
                                                    ("size", GoFormat.bytes(manifest.size)), ("sha256", manifest.sha256)])
        return manifest.backupID
    }
}
