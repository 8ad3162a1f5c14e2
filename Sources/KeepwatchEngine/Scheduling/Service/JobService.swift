import Foundation
import KeepwatchCore
import KeepwatchStore
import Logging

/// The node's jobs: validation, the lifecycle, the scheduler (a heap of next fire times) and the runs in flight.
/// Every change is written to the store before it is acknowledged.
public actor JobService {
    struct ActiveRun {
        var run: Run
        let control: RunControl
    }

    let store: any Store
    let data: DataDirectory
    let logger: Logger
    let runner: JobRunner
    let parser: JobDocumentParser
    let clock: @Sendable () -> Int64

    var jobs: [String: Job] = [:]
    var schedules: [String: Schedule] = [:]
    var queue = FireQueue()
    var active: [String: ActiveRun] = [:]
    var queued: Set<String> = []
    var lastRuns: [String: Run] = [:]
    var lastArchives: [String: [BackupManifest]] = [:]
    var waiters: [String: [CheckedContinuation<Run, Never>]] = [:]
    var runTasks: [String: Task<Void, Never>] = [:]
    var loopTask: Task<Void, Never>?
    public private(set) var metrics = BackupMetrics()
    /// How late the last fires were dispatched, in milliseconds.
    public private(set) var fireLags = FireLagRecorder()

    public init(store: any Store, data: DataDirectory, logger: Logger,
                clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        self.store = store
        self.data = data
        self.logger = logger
        self.clock = clock
        self.runner = JobRunner(store: store, data: data, now: clock)
        self.parser = JobDocumentParser(actionChecker: NodeCapabilities.check)
    }

    // MARK: start and stop

    /// Recovers from a crash, loads jobs and mgob plans, arms the schedule and starts firing.
    public func start() async throws {
        try data.prepare()
        try await recoverInterruptedRuns()
        for stored in try await store.jobs() { jobs[stored.job.jobID] = stored.job }
        lastRuns = try await store.latestRuns()
        try await loadPlans()
        let now = clock()
        for stored in try await store.jobs() where JobLifecycle.isArmed(stored.job.state) {
            let job = stored.job
            if job.missed == .runOnce, let missed = stored.nextRun, missed < now {
                logger.info("Missed run while the node was down, running once now", metadata: ["plan": "\(job.jobID)"])
                await arm(job, after: now)
                startRun(job.jobID, trigger: .missed)
            } else {
                await arm(job, after: now)
            }
        }
        loopTask = Task { await self.runLoop() }
    }

    /// Stops firing, aborts running jobs (recorded as aborted) and waits for them to end.
    public func shutdown() async {
        loopTask?.cancel()
        for (jobID, active) in active {
            logger.info("Stopping running job for shutdown", metadata: ["plan": "\(jobID)"])
            active.control.stop(.shutdown)
        }
        for task in runTasks.values { await task.value }
    }

    // MARK: scheduler

    func runLoop() async {
        while !Task.isCancelled {
            let nowMillis = Int64(Date().timeIntervalSince1970 * 1000)
            fireDue(now: nowMillis / 1000)
            var sleepMillis: Int64 = 250
            if let next = queue.peek() { sleepMillis = max(1, min(sleepMillis, next * 1000 - nowMillis)) }
            try? await Task.sleep(nanoseconds: UInt64(sleepMillis) * 1_000_000)
        }
    }

    func fireDue(now: Int64) {
        for entry in queue.popDue(now: now) {
            fire(entry.jobID, at: entry.fireAt)
        }
    }

    /// Dispatches one due fire without waiting on the store, so that a thousand fires in one second start together.
    func fire(_ jobID: String, at fireTime: Int64) {
        fireLags.record(Int64(Date().timeIntervalSince1970 * 1000) - fireTime * 1000)
        guard let job = jobs[jobID], JobLifecycle.isArmed(job.state) else { return }
        let next = job.schedule.hasRule ? schedule(job, after: fireTime) : nil
        if !job.schedule.hasRule { queue.remove(jobID) }
        let store = self.store
        Task { try? await store.setNextRun(jobID, next) }
        if active[jobID] != nil {
            switch job.overlap {
            case .skip:
                logger.warning("Previous run still running, skipping this one", metadata: ["plan": "\(jobID)"])
            case .queue:
                queued.insert(jobID)
                logger.info("Previous run still running, queued", metadata: ["plan": "\(jobID)"])
            case .replace:
                queued.insert(jobID)
                active[jobID]?.control.stop(.aborted)
                logger.info("Previous run still running, replacing it", metadata: ["plan": "\(jobID)"])
            }
            return
        }
        startRun(jobID, trigger: .schedule)
    }

    /// Puts the job's next fire time after `instant` on the agenda (and in the store). A job without any
    /// schedule key fires once, two seconds after it is armed (freezer-scheduler's rule).
    func arm(_ job: Job, after instant: Int64) async {
        let next = schedule(job, after: instant)
        try? await store.setNextRun(job.jobID, next)
    }

    /// Computes the next fire time after `instant` and updates the agenda; returns it.
    @discardableResult
    func schedule(_ job: Job, after instant: Int64) -> Int64? {
        var next: Int64?
        if job.schedule.hasRule {
            if schedules[job.jobID] == nil { schedules[job.jobID] = try? job.firingSchedule() }
            next = schedules[job.jobID]?.next(after: Instant(secondsSince1970: instant))?.secondsSince1970
        } else {
            next = max(instant, job.state.timeCreated) + Job.unscheduledDelay
        }
        if let next {
            queue.schedule(job.jobID, at: next)
        } else {
            queue.remove(job.jobID)
        }
        return next
    }

    func hasNextFire(_ jobID: String) -> Bool { queue.nextFireTime(of: jobID) != nil }

    // MARK: runs

    @discardableResult
    func startRun(_ jobID: String, trigger: Run.Trigger) -> String? {
        guard var job = jobs[jobID], active[jobID] == nil else { return nil }
        let now = clock()
        let runID = RunIdentifier.make(at: now)
        let run = Run(runID: runID, jobID: jobID, trigger: trigger, startedAt: now,
                      logPath: data.runLog(jobID: jobID, runID: runID).path)
        job.state = JobLifecycle.runStarted(job.state, at: now)
        jobs[jobID] = job
        let control = RunControl(groupFile: Self.groupFile(of: run))
        active[jobID] = ActiveRun(run: run, control: control)
        logger.info("Backup started", metadata: ["plan": "\(jobID)", "run": "\(runID)"])
        let runner = self.runner
        let store = self.store
        let timeout = job.timeout
        runTasks[runID] = Task {
            try? await store.updateJob(job, nextRun: await self.queue.nextFireTime(of: jobID))
            try? await store.insertRun(run)
            let watchdog = timeout.map { seconds in
                Task {
                    try? await Task.sleep(nanoseconds: UInt64(seconds) * 1_000_000_000)
                    if !Task.isCancelled { control.stop(.timedOut(seconds: seconds)) }
                }
            }
            let finished = await runner.execute(job, run: run, control: control)
            watchdog?.cancel()
            try? FileManager.default.removeItem(atPath: Self.groupFile(of: run))
            await self.finish(finished)
        }
        return runID
    }

    func finish(_ run: Run) async {
        let jobID = run.jobID
        active[jobID] = nil
        runTasks[run.runID] = nil
        lastRuns[jobID] = run
        let archives = (try? await store.backups(ids: run.actions.compactMap(\.backupID))) ?? []
        lastArchives[jobID] = archives
        metrics.record(plan: jobID, succeeded: run.status == .success, bytes: archives.reduce(0) { $0 + $1.size },
                       seconds: Double(run.elapsedNanoseconds ?? 0) / 1e9)
        let summary = MgobStatus.logLine(for: run, backups: archives)
        if run.status == .success {
            logger.info("\(summary)", metadata: ["plan": "\(jobID)"])
        } else {
            logger.error("\(summary)", metadata: ["plan": "\(jobID)"])
        }
        if var job = jobs[jobID] {
            job.state = JobLifecycle.runFinished(job.state, result: run.status.jobResult, at: clock(), hasNextFire: hasNextFire(jobID))
            if !JobLifecycle.isArmed(job.state) { queue.remove(jobID) }
            jobs[jobID] = job
            try? await store.updateJob(job, nextRun: queue.nextFireTime(of: jobID))
        }
        for waiter in waiters.removeValue(forKey: run.runID) ?? [] { waiter.resume(returning: run) }
        if queued.remove(jobID) != nil, let job = jobs[jobID], JobLifecycle.isArmed(job.state) {
            startRun(jobID, trigger: .queued)
        }
    }

    /// Waits until a run ends and returns it.
    public func wait(forRun runID: String) async -> Run? {
        if let run = active.values.first(where: { $0.run.runID == runID })?.run {
            return await withCheckedContinuation { continuation in
                waiters[run.runID, default: []].append(continuation)
            }
        }
        return try? await store.run(runID)
    }

    /// Runs a job now (mgob's on-demand backup); refuses while it is already running.
    public func runNow(_ jobID: String) throws(ServiceError) -> String {
        guard jobs[jobID] != nil else { throw .notFound("job \(jobID) not found") }
        guard active[jobID] == nil else { throw .conflict("job \(jobID) is already running") }
        guard let runID = startRun(jobID, trigger: .manual) else { throw .conflict("job \(jobID) could not start") }
        return runID
    }

    public func isRunning(_ jobID: String) -> Bool { active[jobID] != nil }

    // MARK: recovery

    func recoverInterruptedRuns() async throws {
        let now = clock()
        for var run in try await store.runs(status: .running) {
            let killed = RunControl.killLeftovers(noted: Self.groupFile(of: run))
            if !killed.isEmpty {
                logger.warning("Killed processes left by an interrupted run", metadata: ["plan": "\(run.jobID)", "groups": "\(killed)"])
            }
            run.status = .aborted
            run.message = "interrupted by restart"
            run.endedAt = now
            try await store.updateRun(run)
            logger.warning("Run interrupted by restart marked aborted", metadata: ["plan": "\(run.jobID)", "run": "\(run.runID)"])
        }
        for stored in try await store.jobs() {
            var job = stored.job
            if job.state.status == .running || job.state.status == .aborting {
                job.state = JobLifecycle.runFinished(job.state, result: .aborted, at: now, hasNextFire: true)
                try await store.updateJob(job, nextRun: stored.nextRun)
            }
            PartialFiles.remove(for: job, data: data, logger: logger)
        }
        PartialFiles.clear(directory: data.temporary.path)
    }
}

extension JobService {
    static func groupFile(of run: Run) -> String { run.logPath + ".pgids" }
}

/// Run ids sort by start time: `<unix seconds>-<8 random hex digits>`.
enum RunIdentifier {
    static func make(at seconds: Int64) -> String {
        "\(seconds)-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
    }
}
