import Foundation
import KeepwatchCore
import KeepwatchStore
import Logging

/// The node's jobs: validation, the lifecycle, the scheduler (a heap of next fire times) and the runs in flight.
///
/// Every change to a job happens in that job's turn (`withTurn`), so that concurrent requests on one id are applied
/// one after the other even though the actor is re-entered at each `await`. A change asked for through the API is
/// written to the store first and applied in memory only once the store has it: a failed write changes nothing.
public actor JobService {
    struct ActiveRun {
        var run: Run
        let control: RunControl
        /// The job's status before the run, so that a stopped job run on demand is still stopped afterwards.
        let statusBefore: JobStatus
    }

    let store: any Store
    let data: DataDirectory
    let logger: Logger
    let runner: JobRunner
    let parser: JobDocumentParser
    let clock: @Sendable () -> Int64
    /// Writes an entry to the audit trail (the account service's); nil in tests that need none.
    let auditor: (@Sendable (AuditRecord) async -> Void)?

    var jobs: [String: Job] = [:]
    var schedules: [String: Schedule] = [:]
    var queue = FireQueue()
    var active: [String: ActiveRun] = [:]
    var queued: Set<String> = []
    var lastRuns: [String: Run] = [:]
    var lastArchives: [String: [BackupManifest]] = [:]
    var waiters: [String: [CheckedContinuation<Run, Never>]] = [:]
    var runTasks: [String: Task<Void, Never>] = [:]
    /// Runs of jobs deleted while they ran: when they end, nothing of them is recorded (a new job may have the id).
    var orphanedRuns: Set<String> = []
    var turns = JobTurns()
    /// Store work the scheduler started without waiting for it; shutdown waits for all of it before the store closes.
    var background: [Int: Task<Void, Never>] = [:]
    var nextBackgroundID = 0
    var stopping = false
    var loopTask: Task<Void, Never>?
    public private(set) var metrics = BackupMetrics()
    /// How late the last fires were dispatched, in milliseconds.
    public private(set) var fireLags = FireLagRecorder()
    /// Hears each finished run with the status of the job's run before it (notifications).
    public typealias RunObserver = @Sendable (_ run: Run, _ previous: Run.Status?, _ job: Job) async -> Void
    var runObserver: RunObserver?

    public func setRunObserver(_ observer: @escaping RunObserver) {
        runObserver = observer
    }

    /// Hears that a job changed or a run started or ended (the hub reads this node again, so the overview shows it).
    var activityObserver: (@Sendable () -> Void)?

    public func setActivityObserver(_ observer: @escaping @Sendable () -> Void) {
        activityObserver = observer
    }

    public init(store: any Store, data: DataDirectory, logger: Logger,
                auditor: (@Sendable (AuditRecord) async -> Void)? = nil,
                clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        self.store = store
        self.data = data
        self.logger = logger
        self.clock = clock
        self.auditor = auditor
        self.runner = JobRunner(store: store, data: data, now: clock)
        self.parser = JobDocumentParser(actionChecker: NodeCapabilities.check)
    }

    // MARK: start and stop

    /// Recovers from a crash, loads jobs and mgob plans, arms the schedule and starts firing.
    public func start() async throws {
        try data.prepare()
        try await recoverInterruptedRuns()
        let stored = try await store.jobs()
        for entry in stored { jobs[entry.job.jobID] = entry.job }
        lastRuns = try await store.latestRuns()
        try await loadPlans()
        let now = clock()
        var armed = 0
        for entry in stored where JobLifecycle.isArmed(entry.job.state) {
            guard let job = jobs[entry.job.jobID] else { continue }
            armed += 1
            if job.missed == .runOnce, let missed = entry.nextRun, missed < now {
                logger.info("Missed run while the node was down, running once now", metadata: ["plan": "\(job.jobID)"])
                await arm(job.jobID, after: now)
                _ = await withTurn(job.jobID) { startRun(job.jobID, trigger: .missed) }
            } else {
                await arm(job.jobID, after: now)
            }
        }
        let next = queue.peek().map { ISO8601.format(Instant(secondsSince1970: $0), in: .utc) } ?? "none"
        logger.info("Jobs loaded", metadata: ["jobs": "\(jobs.count)", "scheduled": "\(armed)", "next_fire": "\(next)"])
        loopTask = Task { await self.runLoop() }
    }

    /// Stops firing, aborts running jobs (recorded as aborted) and waits for them to end.
    public func shutdown() async {
        stopping = true
        loopTask?.cancel()
        for (jobID, active) in active {
            logger.info("Stopping running job for shutdown", metadata: ["plan": "\(jobID)"])
            active.control.stop(.shutdown)
        }
        while !runTasks.isEmpty || !background.isEmpty {
            for task in Array(runTasks.values) + Array(background.values) { await task.value }
        }
    }

    /// Starts store work the caller does not wait for, unless the node is stopping; shutdown waits for it.
    func inBackground(_ work: @escaping @Sendable (JobService) async -> Void) {
        guard !stopping else { return }
        nextBackgroundID += 1
        let id = nextBackgroundID
        background[id] = Task {
            await work(self)
            await self.backgroundDone(id)
        }
    }

    func backgroundDone(_ id: Int) { background[id] = nil }

    // MARK: turns

    /// Runs `body` while holding the job's turn: no other change to that job interleaves with it.
    func withTurn<T>(_ jobID: String, _ body: () async throws -> T) async rethrows -> T {
        await takeTurn(jobID)
        defer { releaseTurn(jobID) }
        return try await body()
    }

    func takeTurn(_ jobID: String) async {
        guard turns.busy.contains(jobID) else {
            turns.busy.insert(jobID)
            return
        }
        await withCheckedContinuation { continuation in turns.waiting[jobID, default: []].append(continuation) }
    }

    func releaseTurn(_ jobID: String) {
        if let next = turns.handOver(jobID) { next.resume() }
    }

    /// Writes the job as it is in memory now, with its next fire time; a failure is logged (the run goes on).
    func persist(_ jobID: String) async {
        guard let job = jobs[jobID] else { return }
        do {
            try await store.updateJob(job, nextRun: queue.nextFireTime(of: jobID))
        } catch {
            logger.error("Job state not saved: \(error)", metadata: ["plan": "\(jobID)"])
        }
    }

    /// A fire in the job's turn (the scheduler dispatches it without waiting).
    func fireInTurn(_ jobID: String) async { await withTurn(jobID) { await fired(jobID) } }

    /// Runs a store write for a requested change, turning its failure into the service's error.
    func write(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            let failure = ServiceError.from(storeError: error)
            logger.error("Change not saved: \(failure)")
            throw failure
        }
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
        if job.schedule.hasRule { schedule(job, after: fireTime) } else { queue.remove(jobID) }
        inBackground { service in await service.fireInTurn(jobID) }
    }

    /// A fire in the job's turn: starts the run, or applies the overlap policy while one is going.
    func fired(_ jobID: String) async {
        guard let job = jobs[jobID], JobLifecycle.isArmed(job.state) else { return }
        guard active[jobID] != nil else {
            startRun(jobID, trigger: .schedule)
            await persist(jobID)
            return
        }
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
        await persist(jobID)
    }

    /// Puts the job's next fire time after `instant` on the agenda and in the store.
    func arm(_ jobID: String, after instant: Int64) async {
        guard let job = jobs[jobID] else { return }
        let next = schedule(job, after: instant)
        try? await store.setNextRun(jobID, next)
    }

    /// Computes the next fire time after `instant` and updates the agenda; returns it.
    @discardableResult
    func schedule(_ job: Job, after instant: Int64) -> Int64? {
        if job.schedule.hasRule, schedules[job.jobID] == nil { schedules[job.jobID] = try? job.firingSchedule() }
        let next = Self.nextFire(of: job, schedule: schedules[job.jobID], after: instant)
        if let next {
            queue.schedule(job.jobID, at: next)
        } else {
            queue.remove(job.jobID)
        }
        return next
    }

    /// The next fire time after `instant`. A job without any schedule key fires once, two seconds after it is
    /// armed (freezer-scheduler's rule).
    static func nextFire(of job: Job, schedule: Schedule?, after instant: Int64) -> Int64? {
        guard job.schedule.hasRule else { return max(instant, job.state.timeCreated) + Job.unscheduledDelay }
        return schedule?.next(after: Instant(secondsSince1970: instant))?.secondsSince1970
    }

    func hasNextFire(_ jobID: String) -> Bool { queue.nextFireTime(of: jobID) != nil }

    // MARK: runs

    /// Starts a run; call it in the job's turn.
    @discardableResult
    func startRun(_ jobID: String, trigger: Run.Trigger) -> String? {
        guard var job = jobs[jobID], active[jobID] == nil else { return nil }
        let now = clock()
        let runID = RunIdentifier.make(at: now)
        let run = Run(runID: runID, jobID: jobID, trigger: trigger, startedAt: now,
                      logPath: data.runLog(jobID: jobID, runID: runID).path)
        let statusBefore = job.state.status
        job.state = JobLifecycle.runStarted(job.state, at: now)
        // A stopped job run by hand stays off its schedule afterwards, even when a crash ends the run: the stored
        // state says so while it runs.
        if statusBefore == .stop { job.state.event = .stop }
        jobs[jobID] = job
        let control = RunControl(groupFile: Self.groupFile(of: run))
        active[jobID] = ActiveRun(run: run, control: control, statusBefore: statusBefore)
        activityObserver?()
        logger.info("Backup started", metadata: ["plan": "\(jobID)", "run": "\(runID)"])
        let runner = self.runner
        let store = self.store
        let logger = self.logger
        let timeout = job.timeout
        runTasks[runID] = Task {
            do { try await store.insertRun(run) } catch { logger.error("Run not recorded: \(error)", metadata: ["plan": "\(jobID)"]) }
            let watchdog = timeout.map { seconds in
                Task {
                    try? await Task.sleep(nanoseconds: UInt64(seconds) * 1_000_000_000)
                    if !Task.isCancelled { control.stop(.timedOut(seconds: seconds)) }
                }
            }
            let finished = await runner.execute(job, run: run, control: control)
            watchdog?.cancel()
            try? FileManager.default.removeItem(atPath: Self.groupFile(of: run))
            await self.withTurn(jobID) { await self.finish(finished) }
        }
        return runID
    }

    /// Records the end of a run; called in the job's turn.
    func finish(_ run: Run) async {
        let jobID = run.jobID
        runTasks[run.runID] = nil
        for waiter in waiters.removeValue(forKey: run.runID) ?? [] { waiter.resume(returning: run) }
        if orphanedRuns.remove(run.runID) != nil {
            try? await store.deleteRuns(jobID: jobID, runID: run.runID)
            return
        }
        let statusBefore = active[jobID]?.statusBefore
        active[jobID] = nil
        let archives = (try? await store.backups(ids: run.actions.compactMap(\.backupID))) ?? []
        let summary = MgobStatus.logLine(for: run, backups: archives)
        if run.status == .success {
            logger.info("\(summary)", metadata: ["plan": "\(jobID)"])
        } else {
            logger.error("\(summary)", metadata: ["plan": "\(jobID)"])
        }
        guard var job = jobs[jobID] else { return }
        let previous = lastRuns[jobID]?.status
        lastRuns[jobID] = run
        lastArchives[jobID] = archives
        metrics.record(plan: jobID, succeeded: run.status == .success, bytes: archives.reduce(0) { $0 + $1.size },
                       seconds: Double(run.elapsedNanoseconds ?? 0) / 1e9)
        job.state = JobLifecycle.runFinished(job.state, result: run.status.jobResult, at: clock(), hasNextFire: hasNextFire(jobID))
        if statusBefore == .stop, job.state.status != .removed { job.state.status = .stop }
        if !JobLifecycle.isArmed(job.state) { queue.remove(jobID) }
        jobs[jobID] = job
        await persist(jobID)
        activityObserver?()
        if let runObserver {
            let finishedJob = job
            Task { await runObserver(run, previous, finishedJob) }
        }
        if queued.remove(jobID) != nil, JobLifecycle.isArmed(job.state) {
            startRun(jobID, trigger: .queued)
            await persist(jobID)
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

    /// Runs a job now (mgob's on-demand backup, `keepwatch job run`); refuses while it is already running.
    public func runNow(_ jobID: String, by requester: Requester = .node) async throws(ServiceError) -> String {
        let started: Result<String, ServiceError> = await withTurn(jobID) {
            guard let job = jobs[jobID] else { return .failure(.notFound("job \(jobID) not found")) }
            if job.state.status == .removed {
                return .failure(.conflict("job \(jobID) was removed, so it cannot run again (delete it and create it anew)"))
            }
            if let running = active[jobID] { return .failure(.conflict("job \(jobID) is already running (run \(running.run.runID))")) }
            guard let runID = startRun(jobID, trigger: .manual) else { return .failure(.conflict("job \(jobID) could not start")) }
            await persist(jobID)
            return .success(runID)
        }
        let runID = try started.get()
        await audit("job-run", jobID, by: requester, detail: "run \(runID)")
        return runID
    }

    public func isRunning(_ jobID: String) -> Bool { active[jobID] != nil }

    // MARK: recovery

    /// Marks runs a crash left `running` as aborted and kills what they left behind. An interrupted job with no
    /// schedule (a one-shot) runs again only when its `missed` policy is `run_once`.
    func recoverInterruptedRuns() async throws {
        let now = clock()
        var interrupted: Set<String> = []
        for var run in try await store.runs(status: .running) {
            let killed = RunControl.killLeftovers(noted: Self.groupFile(of: run))
            if !killed.isEmpty {
                logger.warning("Killed processes left by an interrupted run", metadata: ["plan": "\(run.jobID)", "groups": "\(killed)"])
            }
            run.status = .aborted
            run.message = "interrupted by restart"
            run.endedAt = now
            try await store.updateRun(run)
            interrupted.insert(run.jobID)
            logger.warning("Run interrupted by restart marked aborted", metadata: ["plan": "\(run.jobID)", "run": "\(run.runID)"])
        }
        for stored in try await store.jobs() {
            var job = stored.job
            if job.state.status == .running || job.state.status == .aborting {
                let rerun = job.schedule.hasRule || job.missed == .runOnce
                job.state = JobLifecycle.runFinished(job.state, result: .aborted, at: now, hasNextFire: rerun)
                if !job.schedule.hasRule {
                    logger.warning(rerun ? "One-shot job interrupted by restart, running it again (missed: run_once)"
                                         : "One-shot job interrupted by restart, not run again (set missed: run_once to re-run it)",
                                   metadata: ["plan": "\(job.jobID)"])
                }
                try await store.updateJob(job, nextRun: stored.nextRun)
            }
            PartialFiles.remove(for: job, data: data, logger: logger)
        }
        PartialFiles.clear(directory: data.temporary.path)
    }
}

extension JobService {
    static func groupFile(of run: Run) -> String { run.logPath + ".pgids" }

    func audit(_ action: String, _ jobID: String, by requester: Requester, result: String = "ok", detail: String? = nil) async {
        await auditor?(AuditRecord(action: action, username: requester.name, source: requester.source, result: result,
                                   detail: detail.map { "job \(jobID): \($0)" } ?? "job \(jobID)"))
    }
}

/// Who asked for a change, for the audit trail: a user or token name and the address it came from.
public struct Requester: Sendable, Equatable {
    public var name: String
    public var source: String

    public init(name: String, source: String) {
        self.name = name
        self.source = source
    }

    /// The node itself (plans, start-up).
    public static let node = Requester(name: "node", source: "local")
}

/// One audit entry as the job service reports it.
public struct AuditRecord: Sendable, Equatable {
    public var action: String
    public var username: String
    public var source: String
    public var result: String
    public var detail: String?
}

/// Which jobs are being changed, and who waits for each: a change hands the turn straight to the next waiter.
struct JobTurns {
    var busy: Set<String> = []
    var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// The next waiter to resume (it now holds the turn), or nil when nobody waits and the job is free.
    mutating func handOver(_ jobID: String) -> CheckedContinuation<Void, Never>? {
        guard var line = waiting[jobID], !line.isEmpty else {
            busy.remove(jobID)
            return nil
        }
        let next = line.removeFirst()
        waiting[jobID] = line.isEmpty ? nil : line
        return next
    }
}

/// Run ids sort by start time: `<unix seconds>-<8 hex digits>`.
enum RunIdentifier {
    static func make(at seconds: Int64) -> String {
        "\(seconds)-\(hex8(UInt32.random(in: 0...UInt32.max)))"
    }

    static func hex8(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}
