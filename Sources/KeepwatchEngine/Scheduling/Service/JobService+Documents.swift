import Foundation
import KeepwatchCore
import KeepwatchStore

extension JobService {
    /// Validates and stores a new job, then arms it. Returns the stored job.
    public func create(_ document: JSONValue, by requester: Requester = .node) async throws -> Job {
        var job: Job
        do {
            job = try parser.parse(document, jobID: RunIdentifier.uuidHex())
        } catch {
            throw ServiceError.invalid(error)
        }
        let jobID = job.jobID
        let created: Job = try await withTurn(jobID) {
            guard jobs[jobID] == nil else { throw ServiceError.conflict("job \(jobID) already exists") }
            let now = clock()
            job.state = JobLifecycle.created(job.state, at: now, hasNextFire: true)
            let firing = try? job.firingSchedule()
            var next = JobLifecycle.isArmed(job.state) ? Self.nextFire(of: job, schedule: firing, after: now) : nil
            if job.state.status == .scheduled, next == nil { job.state.status = .completed }
            if !JobLifecycle.isArmed(job.state) { next = nil }
            try await write { try await store.insertJob(job, nextRun: next) }
            jobs[jobID] = job
            schedules[jobID] = firing
            if JobLifecycle.isArmed(job.state) { schedule(job, after: now) }
            return job
        }
        await audit("job-create", jobID, by: requester)
        activityObserver?()
        return created
    }

    /// Replaces a job's definition (PUT); its run state is kept and its version goes up by one.
    public func replace(_ jobID: String, with document: JSONValue, by requester: Requester = .node) async throws -> Job {
        let job = try await withTurn(jobID) { try await replaceInTurn(jobID, with: document) }
        await audit("job-change", jobID, by: requester, detail: "version \(job.version)")
        activityObserver?()
        return job
    }

    /// Merges the given top-level keys (and `job_schedule` keys) into the job as submitted (PATCH), then validates
    /// the whole. A list such as `job_actions` is replaced as a whole.
    public func patch(_ jobID: String, with changes: JSONValue, by requester: Requester = .node) async throws -> Job {
        guard let patch = changes.objectValue else {
            throw ServiceError.invalid(DocumentError(field: "", "a patch must be a JSON object, not \(changes.typeName)"))
        }
        let job = try await withTurn(jobID) {
            guard let existing = jobs[jobID] else { throw ServiceError.notFound("job \(jobID) not found") }
            guard var merged = JobDocumentEncoder.document(existing).objectValue else { return existing }
            for (key, value) in patch {
                if key == "job_schedule", let scheduleChanges = value.objectValue, var schedule = merged["job_schedule"]?.objectValue {
                    for (scheduleKey, scheduleValue) in scheduleChanges { schedule[scheduleKey] = scheduleValue }
                    merged[key] = .object(schedule)
                } else {
                    merged[key] = value
                }
            }
            return try await replaceInTurn(jobID, with: .object(merged))
        }
        await audit("job-change", jobID, by: requester, detail: "version \(job.version) (patch)")
        activityObserver?()
        return job
    }

    private func replaceInTurn(_ jobID: String, with document: JSONValue) async throws -> Job {
        guard let existing = jobs[jobID] else { throw ServiceError.notFound("job \(jobID) not found") }
        if existing.planFile != nil {
            throw ServiceError.conflict("job \(jobID) is defined by the mgob plan \(existing.planFile ?? ""); edit that file")
        }
        var job: Job
        do {
            job = try parser.parse(document, jobID: jobID)
        } catch {
            throw ServiceError.invalid(error)
        }
        guard job.jobID == jobID else {
            throw ServiceError.invalid(DocumentError(field: "job_id", "'\(job.jobID)' does not match the job in the URL, '\(jobID)'"))
        }
        job.state = existing.state
        job.version = existing.version + 1
        let firing = try? job.firingSchedule()
        let armed = JobLifecycle.isArmed(job.state)
        let next = armed ? Self.nextFire(of: job, schedule: firing, after: clock()) : nil
        try await write { try await store.updateJob(job, nextRun: next) }
        jobs[jobID] = job
        schedules[jobID] = firing
        if armed { schedule(job, after: clock()) } else { queue.remove(jobID) }
        return job
    }

    /// Deletes a job and its run history (a running run is aborted first). Backups stay.
    public func delete(_ jobID: String, by requester: Requester = .node) async throws {
        try await withTurn(jobID) {
            guard jobs[jobID] != nil else { throw ServiceError.notFound("job \(jobID) not found") }
            try await write {
                _ = try await store.deleteJob(jobID)
                try await store.deleteRuns(jobID: jobID)
            }
            if let running = active.removeValue(forKey: jobID) {
                running.control.stop(.aborted)
                orphanedRuns.insert(running.run.runID)
            }
            queue.remove(jobID)
            queued.remove(jobID)
            jobs[jobID] = nil
            schedules[jobID] = nil
            lastRuns[jobID] = nil
            lastArchives[jobID] = nil
            try? FileManager.default.removeItem(at: data.runs.appendingPathComponent(jobID, isDirectory: true))
        }
        await audit("job-delete", jobID, by: requester)
        activityObserver?()
    }

    /// Applies `start`, `stop`, `abort` or `remove`; returns Freezer's reply text and a sentence saying what happened.
    public func apply(_ event: JobEvent, to jobID: String, by requester: Requester = .node) async throws -> (reply: String, message: String) {
        let result: (String, String) = try await withTurn(jobID) {
            guard var job = jobs[jobID] else { throw ServiceError.notFound("job \(jobID) not found") }
            let now = clock()
            let firing = schedules[jobID] ?? (try? job.firingSchedule())
            let upcoming = Self.nextFire(of: job, schedule: firing, after: now)
            let outcome = JobLifecycle.apply(event, to: job.state, hasNextFire: upcoming != nil)
            if outcome.effect == .refused { throw ServiceError.conflict("job \(jobID) \(outcome.reply)") }
            job.state = outcome.state
            let next: Int64?
            switch outcome.effect {
            case .arm: next = upcoming
            case .disarm, .killRun, .refused: next = nil
            case .none: next = queue.nextFireTime(of: jobID)
            }
            try await write { try await store.updateJob(job, nextRun: next) }
            jobs[jobID] = job
            switch outcome.effect {
            case .arm: schedule(job, after: now)
            case .disarm, .refused:
                queue.remove(jobID)
                queued.remove(jobID)
            case .killRun:
                queue.remove(jobID)
                queued.remove(jobID)
                active[jobID]?.control.stop(.aborted)
            case .none: break
            }
            let message = eventMessage(event, jobID: jobID, reply: outcome.reply, next: next)
            logger.info("Event \(event.rawValue): \(message)", metadata: ["plan": "\(jobID)"])
            return (outcome.reply, message)
        }
        await audit("job-\(event.rawValue)", jobID, by: requester)
        activityObserver?()
        return result
    }

    /// One sentence for the operator: what the event did.
    func eventMessage(_ event: JobEvent, jobID: String, reply: String, next: Int64?) -> String {
        if reply != "success" { return "\(jobID): \(reply)" }
        let running = active[jobID] != nil
        let nextText = next.map { "next run \(ISO8601.format(Instant(secondsSince1970: $0), in: zone(of: jobID)))" } ?? "no fire time left"
        switch event {
        case .start: return running ? "\(jobID) is running; it stays on its schedule" : "\(jobID) is on its schedule: \(nextText)"
        case .stop:
            return running ? "\(jobID) is off its schedule; the running run finishes first (start it again with: keepwatch job start \(jobID))"
                           : "\(jobID) is off its schedule (start it again with: keepwatch job start \(jobID))"
        case .abort:
            return running ? "\(jobID): aborting the running run; the job is off its schedule until started again"
                           : "\(jobID): nothing was running, so nothing was aborted; as in Freezer, the job is now off its schedule (start it again with: keepwatch job start \(jobID))"
        case .remove: return "\(jobID) is removed: it never fires or runs again (keepwatch job delete \(jobID) deletes it)"
        case .none: return "\(jobID): nothing to do"
        }
    }

    // MARK: reading

    public func job(_ jobID: String) -> Job? { jobs[jobID] }

    public func allJobs() -> [Job] { jobs.values.sorted { $0.jobID < $1.jobID } }

    public func nextRun(of jobID: String) -> Instant? {
        queue.nextFireTime(of: jobID).map(Instant.init(secondsSince1970:))
    }

    public func zone(of jobID: String) -> ZoneRules { schedules[jobID]?.zone ?? .utc }

    public func runs(jobID: String?, limit: Int) async throws -> [Run] {
        if let jobID, jobs[jobID] == nil { throw ServiceError.notFound("job \(jobID) not found") }
        return try await store.runs(jobID: jobID, limit: limit)
    }

    public func run(_ runID: String) async throws -> Run {
        if let live = active.values.first(where: { $0.run.runID == runID }) { return (try? await store.run(runID)) ?? live.run }
        guard let run = try await store.run(runID) else { throw ServiceError.notFound("run \(runID) not found") }
        return run
    }

    public func isLive(runID: String) -> Bool { active.values.contains { $0.run.runID == runID } }

    public func backups(name: String?) async throws -> [BackupManifest] {
        try await store.backups(name: name)
    }

    /// The backups a run produced.
    public func backups(of run: Run) async throws -> [BackupManifest] {
        try await store.backups(ids: run.actions.compactMap(\.backupID))
    }

    /// mgob's `/status` entries, by plan id.
    public func statuses() -> [MgobStatus] {
        jobs.keys.sorted().map(status)
    }

    public func status(_ jobID: String) -> MgobStatus {
        var status = MgobStatus(plan: jobID)
        status.nextRun = queue.nextFireTime(of: jobID).map { GoFormat.rfc3339Nano(seconds: $0, in: zone(of: jobID)) }
        if let run = lastRuns[jobID], run.status != .running {
            status.lastRun = GoFormat.rfc3339Nano(seconds: run.startedAt)
            status.lastRunStatus = run.status == .success ? "200" : "500"
            status.lastRunLog = MgobStatus.logLine(for: run, backups: lastArchives[jobID] ?? [])
        }
        return status
    }
}

extension RunIdentifier {
    /// 32 hex digits, like freezer-api's uuid4().hex.
    static func uuidHex() -> String {
        (0..<4).map { _ in hex8(UInt32.random(in: 0...UInt32.max)) }.joined()
    }
}

/// One job as lists show it, read in one step: its next fire time and zone, and whether it is running now.
public struct JobListing: Sendable {
    public var job: Job
    public var nextRun: Instant?
    public var zone: ZoneRules
    public var running: Bool
}

extension JobService {
    /// Every job with what lists show beside it, in one visit (lists of 10,000 jobs must not make 20,000).
    public func listing() -> [JobListing] {
        allJobs().map(listed)
    }

    public func listing(of jobID: String) -> JobListing? {
        jobs[jobID].map(listed)
    }

    func listed(_ job: Job) -> JobListing {
        JobListing(job: job, nextRun: nextRun(of: job.jobID), zone: zone(of: job.jobID), running: active[job.jobID] != nil)
    }
}
