import KeepwatchCore
import KeepwatchStore

extension JobService {
    /// Validates and stores a new job, then arms it. Returns the stored job.
    public func create(_ document: JSONValue) async throws -> Job {
        let generated = RunIdentifier.uuidHex()
        var job: Job
        do {
            job = try parser.parse(document, jobID: generated)
        } catch {
            throw ServiceError.invalid(error)
        }
        guard jobs[job.jobID] == nil else { throw ServiceError.conflict("job \(job.jobID) already exists") }
        let now = clock()
        job.state = JobLifecycle.created(job.state, at: now, hasNextFire: true)
        do {
            try await store.insertJob(job, nextRun: nil)
        } catch StoreError.duplicate {
            throw ServiceError.conflict("job \(job.jobID) already exists")
        }
        jobs[job.jobID] = job
        schedules[job.jobID] = try? job.firingSchedule()
        if JobLifecycle.isArmed(job.state) { await arm(job, after: now) }
        if job.state.status == .scheduled, !hasNextFire(job.jobID) {
            job.state.status = .completed
            jobs[job.jobID] = job
            try await store.updateJob(job, nextRun: nil)
        }
        return jobs[job.jobID] ?? job
    }

    /// Replaces a job's definition (PUT); its run state is kept.
    public func replace(_ jobID: String, with document: JSONValue) async throws -> Job {
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
        jobs[jobID] = job
        schedules[jobID] = try? job.firingSchedule()
        if JobLifecycle.isArmed(job.state) {
            await arm(job, after: clock())
        } else {
            try await store.updateJob(job, nextRun: nil)
        }
        return job
    }

    /// Merges the given top-level keys (and `job_schedule` keys) into the job (PATCH), then validates the whole.
    public func patch(_ jobID: String, with changes: JSONValue) async throws -> Job {
        guard let existing = jobs[jobID] else { throw ServiceError.notFound("job \(jobID) not found") }
        guard let patch = changes.objectValue else {
            throw ServiceError.invalid(DocumentError(field: "", "a patch must be a JSON object, not \(changes.typeName)"))
        }
        guard var merged = JobDocumentEncoder.document(existing).objectValue else { return existing }
        for (key, value) in patch {
            if key == "job_schedule", let scheduleChanges = value.objectValue, var schedule = merged["job_schedule"]?.objectValue {
                for (scheduleKey, scheduleValue) in scheduleChanges { schedule[scheduleKey] = scheduleValue }
                merged[key] = .object(schedule)
            } else {
                merged[key] = value
            }
        }
        return try await replace(jobID, with: .object(merged))
    }

    /// Deletes a job (a running one is aborted first). Backups stay.
    public func delete(_ jobID: String) async throws {
        guard jobs[jobID] != nil else { throw ServiceError.notFound("job \(jobID) not found") }
        active[jobID]?.control.stop(.aborted)
        queue.remove(jobID)
        queued.remove(jobID)
        jobs[jobID] = nil
        schedules[jobID] = nil
        _ = try await store.deleteJob(jobID)
    }

    /// Applies `start`, `stop`, `abort` or `remove`; returns Freezer's reply text.
    public func apply(_ event: JobEvent, to jobID: String) async throws -> String {
        guard var job = jobs[jobID] else { throw ServiceError.notFound("job \(jobID) not found") }
        let hasRule = job.schedule.hasRule
        let nextFire = hasRule ? schedules[jobID]?.next(after: Instant(secondsSince1970: clock())) : Instant(secondsSince1970: clock())
        let outcome = JobLifecycle.apply(event, to: job.state, hasNextFire: nextFire != nil)
        job.state = outcome.state
        jobs[jobID] = job
        switch outcome.effect {
        case .arm:
            await arm(job, after: clock())
        case .disarm:
            queue.remove(jobID)
            queued.remove(jobID)
            try await store.updateJob(job, nextRun: nil)
        case .killRun:
            queue.remove(jobID)
            queued.remove(jobID)
            active[jobID]?.control.stop(.aborted)
            try await store.updateJob(job, nextRun: nil)
        case .none:
            try await store.updateJob(job, nextRun: queue.nextFireTime(of: jobID))
        }
        logger.info("Event \(event.rawValue): \(outcome.reply)", metadata: ["plan": "\(jobID)"])
        return outcome.reply
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
        (0..<4).map { _ in
            let hex = String(UInt32.random(in: 0...UInt32.max), radix: 16)
            return String(repeating: "0", count: 8 - hex.count) + hex
        }.joined()
    }
}
