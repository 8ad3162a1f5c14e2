import Foundation
import KeepwatchCore
import KeepwatchEngine
import KeepwatchStore
import Logging

/// Runs the promises of the promise directory on their frequencies (one run at a time per promise, a few promises
/// at once), judges each run by the seed's rules and SlapOS's anomaly rule, and keeps SlapOS's files up to date.
/// New, changed and removed promise files are picked up within two seconds, without a restart.
public actor PromiseRunner {
    public struct Settings: Sendable {
        public var directory: String?
        public var title: String
        public var base: String
        public var concurrency: Int

        public init(directory: String? = nil, title: String, base: String, concurrency: Int = 8) {
            self.directory = directory
            self.title = title
            self.base = base
            self.concurrency = concurrency
        }
    }

    struct State {
        var definition: PromiseDefinition
        var nextFire: Int64
        var running = false
        var queued = false
        var recent: [Bool] = []
        var current: MonitorDocuments.Promise?
    }

    /// A promise with its last result, for the API.
    public struct View: Sendable {
        public let id: String
        /// nil for a promise file.
        public let builtIn: BuiltInCheck?
        /// Made by the node for a job (`job-<id>`).
        public let automatic: Bool
        public let title: String
        public let file: String
        public let frequency: String
        public let nextRun: Int64
        public let running: Bool
        public let current: MonitorDocuments.Promise?
    }

    let data: DataDirectory
    var settings: Settings
    var files: MonitorFiles
    let logger: Logger
    private var states: [String: State] = [:]
    private var waiting: [String] = []
    private var active = 0
    /// The stop switch of each promise that runs now.
    private var controls: [String: RunControl] = [:]
    private var summaryDue = true
    private var problemsSeen: Set<String> = []
    private var loop: Task<Void, Never>?
    private var related: [RelatedMonitor] = []
    private var relatedProvider: RelatedMonitors?
    let probes: BuiltInProbes?
    let store: (any HeartbeatStore)?
    /// Built-in checks from keepwatch.yaml, and those made through the API (kept in the store).
    private var configured: [BuiltInCheck] = []
    private var made: [BuiltInCheck] = []
    /// A `job` check for every job that does not say `monitor: false`, named `job-<id>`.
    private var automatic: [BuiltInCheck] = []
    /// Checks that live elsewhere (heartbeats) but show in the same files; read once a second.
    public typealias ExternalChecks = @Sendable () async -> [MonitorDocuments.Promise]
    private var external: ExternalChecks?
    private var externalShown: [String: MonitorDocuments.Promise] = [:]

    public init(data: DataDirectory, settings: Settings, jobs: JobService? = nil, store: (any HeartbeatStore)? = nil, logger: Logger) {
        self.data = data
        self.settings = settings
        self.logger = logger
        self.store = store
        probes = jobs.map(BuiltInProbes.init)
        files = MonitorFiles(data: data, title: settings.title, base: settings.base)
    }

    static let madeSetting = "builtin_checks"

    /// Loads the built-in checks made through the API.
    public func loadMade() async throws {
        guard let store, let text = try await store.setting(Self.madeSetting) else { return }
        let documents = (try? JSONParser.parse(bytes: Array(text.utf8)))?.arrayValue ?? []
        made = documents.compactMap { try? BuiltInCheck(json: $0) }
    }

    /// keepwatch.yaml's `checks:` (at start and on SIGHUP).
    public func setConfigured(_ checks: [BuiltInCheck]) {
        configured = checks
        // Before `start` the directories may not exist yet; `start` reads everything once they do.
        if loop != nil { rescan(at: Self.now()) }
    }

    public enum CatalogFailure: Error, Equatable, CustomStringConvertible {
        case taken(String)
        case notFound(String)
        case configured(String)
        case automatic(String)

        public var description: String {
            switch self {
            case .automatic(let name): return "check \(name) is made for its job: give the job monitor: false to drop it"
            case .taken(let name): return "a check named \(name) exists"
            case .notFound(let name): return "no check \(name)"
            case .configured(let name): return "check \(name) is defined in keepwatch.yaml: change it there"
            }
        }
    }

    /// Adds (or, with `replacing`, changes) a built-in check made through the API; stored before it runs.
    public func put(_ check: BuiltInCheck, replacing: Bool) async throws {
        if configured.contains(where: { $0.name == check.name }) { throw CatalogFailure.configured(check.name) }
        if replacing && automatic.contains(where: { $0.name == check.name }) && !made.contains(where: { $0.name == check.name }) {
            throw CatalogFailure.automatic(check.name)
        }
        let exists = made.contains { $0.name == check.name }
        if !replacing && (exists || states[check.name] != nil) { throw CatalogFailure.taken(check.name) }
        if replacing && !exists { throw CatalogFailure.notFound(check.name) }
        var next = made.filter { $0.name != check.name }
        next.append(check)
        try await save(next)
        made = next
        rescan(at: Self.now())
    }

    public func removeMade(_ name: String) async throws {
        if configured.contains(where: { $0.name == name }) { throw CatalogFailure.configured(name) }
        if automatic.contains(where: { $0.name == name }) && !made.contains(where: { $0.name == name }) { throw CatalogFailure.automatic(name) }
        guard made.contains(where: { $0.name == name }) else { throw CatalogFailure.notFound(name) }
        let next = made.filter { $0.name != name }
        try await save(next)
        made = next
        rescan(at: Self.now())
    }

    public func builtIn(_ name: String) -> BuiltInCheck? { (configured + made + automatic).first { $0.name == name } }

    private func save(_ checks: [BuiltInCheck]) async throws {
        try await store?.setSetting(Self.madeSetting, JSONWriter.text(.array(checks.map(\.document))))
    }

    var directory: String { settings.directory ?? data.promises.path }

    /// The URL the files link to, once the node knows the port it listens on.
    public func setBase(_ base: String) {
        settings.base = base
        files = MonitorFiles(data: data, title: settings.title, base: base)
        summaryDue = true
    }

    public func start() throws {
        try files.prepare()
        // Promises a killed node left running are killed before any runs again.
        let scratch = files.scratch.path
        for name in (try? FileManager.default.contentsOfDirectory(atPath: scratch)) ?? [] where name.hasSuffix(".groups") {
            let killed = RunControl.killLeftovers(noted: scratch + "/" + name)
            if !killed.isEmpty { logger.warning("killed what promise \(name.dropLast(7)) left running before the node stopped", metadata: ["groups": "\(killed)"]) }
        }
        rescan(at: Self.now())
        files.removeOrphans(keeping: Set(states.keys).union(externalShown.keys))
        loop = Task { [weak self] in
            var tick = 0
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 250_000_000)
                tick += 1
                await self?.tick(rescanning: tick % 8 == 0, external: tick % 4 == 0)
            }
        }
    }

    /// Stops running promises (SIGTERM, then SIGKILL a second later) and the schedule.
    public func stop() async {
        loop?.cancel()
        for control in controls.values { control.stop(.shutdown) }
        for _ in 0..<30 where !controls.isEmpty { try? await Task.sleep(nanoseconds: 100_000_000) }
    }

    /// Heartbeat checks, written as promises are: a status file, a history, an entry in the HAL document and the feed.
    public func setExternal(_ provider: @escaping ExternalChecks) {
        external = provider
    }

    /// Writes the files of external checks whose status or message changed.
    func refreshExternal() async {
        guard let external else { return }
        let current = await external()
        let ids = Set(current.map(\.id))
        for (id, _) in externalShown where !ids.contains(id) {
            externalShown[id] = nil
            files.remove(id)
            summaryDue = true
        }
        for check in current where states[check.id] == nil {
            let shown = externalShown[check.id]
            guard shown?.failed != check.failed || shown?.run.message != check.run.message || shown?.title != check.title else { continue }
            externalShown[check.id] = check
            do {
                try files.write(check)
            } catch {
                logger.error("check \(check.id): its status file was not written: \(error)")
            }
            summaryDue = true
        }
    }

    /// Hears each promise or built-in check that starts failing or passes again (notifications); the job checks
    /// made for every job are not heard (their runs are).
    public typealias CheckObserver = @Sendable (_ id: String, _ kind: String, _ failed: Bool, _ wasFailing: Bool?, _ message: String,
                                                _ at: Int64) async -> Void
    private var checkObserver: CheckObserver?

    public func setCheckObserver(_ observer: @escaping CheckObserver) {
        checkObserver = observer
    }

    /// The monitor's title (the label of the badge over every check, too).
    public var title: String { settings.title }

    /// Other monitors this node lists in its HAL document and OPML feeds (the hub's sources), read every 2 s.
    public typealias RelatedMonitors = @Sendable () async -> [RelatedMonitor]
    public func setRelated(_ provider: @escaping RelatedMonitors) {
        relatedProvider = provider
    }

    func refreshRelated() async {
        guard let relatedProvider else { return }
        let current = await relatedProvider()
        if current != related {
            related = current
            summaryDue = true
        }
    }

    func tick(rescanning: Bool, external reading: Bool = false) async {
        if rescanning, let jobs = probes?.jobs {
            automatic = await jobs.allJobs().filter(\.monitored).compactMap { job in
                try? BuiltInCheck(json: ["name": .string("job-" + job.jobID), "kind": "job", "job": .string(job.jobID),
                                         "title": .string("Job \(job.jobID)")])
            }
        }
        if reading { await refreshExternal() }
        if rescanning { await refreshRelated() }
        let now = Self.now()
        if rescanning { rescan(at: now) }
        for (id, state) in states where !state.running && !state.queued && state.nextFire <= now {
            states[id]?.nextFire = state.definition.cron.nextInstant(after: now, in: .utc) ?? Int64.max
            enqueue(id)
        }
        if summaryDue { writeSummary(now: now) }
    }

    func rescan(at now: Int64) {
        guard var (found, problems) = PromiseDefinition.scan(directory) else {
            if problemsSeen.insert("unlisted \(directory)").inserted {
                logger.warning("the promise directory \(directory) cannot be read; promises keep running as they were")
            }
            return
        }
        problemsSeen.remove("unlisted \(directory)")
        let executables = Set(found.map(\.id))
        let named = Set((configured + made).map(\.name))
        for check in configured + made + automatic.filter({ !named.contains($0.name) }) {
            guard !executables.contains(check.name) else {
                problems.append("check \(check.name) skipped: a promise file has the same name")
                continue
            }
            if let definition = PromiseDefinition(builtIn: check) { found.append(definition) }
        }
        for problem in problems where problemsSeen.insert(problem).inserted { logger.warning("\(problem)") }
        let ids = Set(found.map(\.id))
        for id in states.keys where !ids.contains(id) {
            states[id] = nil
            files.remove(id)
            controls[id]?.stop(.aborted)
            summaryDue = true
            logger.info("promise \(id) removed")
        }
        for definition in found {
            if var state = states[definition.id] {
                guard state.definition.fingerprint != definition.fingerprint else { continue }
                state.definition = definition
                // A changed promise runs at once, so that what changed shows without waiting for its frequency.
                state.nextFire = now
                state.recent = []
                states[definition.id] = state
                logger.info("promise \(definition.id) changed", metadata: ["frequency": "\(definition.config.frequency)"])
            } else {
                // A new promise runs at once, then on its frequency.
                var state = State(definition: definition, nextFire: now)
                state.current = restored(definition)
                if let current = state.current { state.recent = [current.failed] }
                states[definition.id] = state
                summaryDue = true
                logger.info("promise \(definition.id) found", metadata: ["frequency": "\(definition.config.frequency)"])
            }
        }
    }

    /// The last status from the promise's file, so that a restart keeps its change date.
    func restored(_ definition: PromiseDefinition) -> MonitorDocuments.Promise? {
        guard let last = files.readStatus(definition.id) else { return nil }
        let run = PromiseRun(date: last.date, executionTime: last.executionTime, failed: last.failed, message: last.message)
        return MonitorDocuments.Promise(id: definition.id, file: definition.file, path: definition.path, title: definition.title, run: run,
                                        failed: last.failed, changeDate: last.changeDate, hasInterface: definition.config.publicPaths.contains { ($0 as NSString).lastPathComponent == "index.html" })
    }

    /// Runs the promise now (its schedule stays as it is); false when there is no such promise.
    public func runNow(_ id: String) -> Bool {
        guard let state = states[id] else { return false }
        if !state.running && !state.queued { enqueue(id) }
        return true
    }

    private func enqueue(_ id: String) {
        states[id]?.queued = true
        waiting.append(id)
        launchWaiting()
    }

    private func launchWaiting() {
        while active < settings.concurrency, !waiting.isEmpty {
            let id = waiting.removeFirst()
            guard var state = states[id] else { continue }
            state.queued = false
            state.running = true
            states[id] = state
            active += 1
            let definition = state.definition
            let working = data.root.path
            let scratch = files.scratch.path
            let probes = probes
            let control = RunControl(gracePeriod: 1, groupFile: PromiseExecution.groupFile(definition.id, scratch: scratch))
            controls[id] = control
            Task { [weak self] in
                let run: PromiseRun?
                if let problem = definition.problem {
                    run = PromiseRun(date: Self.now(), executionTime: 0, failed: true, message: "Error: \(problem)")
                } else if let check = definition.builtIn {
                    run = await probes?.run(check, within: definition.config.timeout)
                        ?? PromiseRun(date: Self.now(), executionTime: 0, failed: true, message: "Error: this node cannot run \(check.kind) checks")
                } else {
                    run = await PromiseExecution.run(definition, workingDirectory: working, scratch: scratch, control: control)
                }
                await self?.finish(definition, run)
            }
        }
    }

    func finish(_ definition: PromiseDefinition, _ outcome: PromiseRun?) {
        active -= 1
        controls[definition.id] = nil
        defer { launchWaiting() }
        guard var state = states[definition.id] else { return }
        state.running = false
        guard let run = outcome else {
            states[definition.id] = state
            return
        }
        state.recent.append(run.failed)
        if state.recent.count > 1_000 { state.recent.removeFirst(state.recent.count - 1_000) }
        let failed = PromiseAnomaly.failing(state.recent, failureAmount: definition.config.failureAmount, resultCount: definition.config.resultCount)
        let changed = state.current.map { $0.failed != failed } ?? true
        let promise = MonitorDocuments.Promise(id: definition.id, file: definition.file, path: definition.path, title: definition.title,
                                               run: run, failed: failed, changeDate: changed ? run.date : (state.current?.changeDate ?? run.date),
                                               hasInterface: definition.config.publicPaths.contains { ($0 as NSString).lastPathComponent == "index.html" })
        if changed && (state.current != nil || failed) {
            if let checkObserver, !automatic.contains(where: { $0.name == definition.id }) {
                let wasFailing = state.current?.failed
                let kind = definition.builtIn?.kind ?? "promise"
                Task { await checkObserver(definition.id, kind, failed, wasFailing, run.message, run.date) }
            }
            if failed {
                logger.warning("promise \(definition.id) is failing: \(run.message)")
            } else {
                logger.info("promise \(definition.id) is ok again")
            }
        }
        state.current = promise
        states[definition.id] = state
        do {
            try files.write(promise)
        } catch {
            logger.error("promise \(definition.id): its status file was not written: \(error)")
        }
        summaryDue = true
    }

    func writeSummary(now: Int64) {
        summaryDue = false
        let promises = (states.values.compactMap(\.current) + externalShown.values.filter { states[$0.id] == nil }).sorted { $0.id < $1.id }
        do {
            try files.writeSummary(promises, related: related, now: now)
        } catch {
            logger.error("monitor files not written: \(error)")
        }
    }

    public func views() -> [View] {
        states.values.sorted { $0.definition.id < $1.definition.id }.map { state in
            View(id: state.definition.id, builtIn: state.definition.builtIn, automatic: isAutomatic(state.definition.id), title: state.definition.title, file: state.definition.file,
                 frequency: state.definition.config.frequency, nextRun: state.nextFire, running: state.running || state.queued,
                 current: state.current)
        }
    }

    public func view(_ id: String) -> View? { views().first { $0.id == id } }

    public func history(_ id: String) -> JSONValue? { states[id] == nil ? nil : files.history(id) }

    /// The files a promise's `.cfg` lists: public ones for anyone the monitor is open to, private ones behind login.
    public func listedPaths(_ id: String, private: Bool) -> [String]? {
        guard let config = states[id]?.definition.config else { return nil }
        return `private` ? config.privatePaths : config.publicPaths
    }

    /// Promises and built-in checks that are failing now, for the hub. A job's own `job` check is left out: the hub
    /// already shows its failed run as a `BackupFailed` alarm.
    public func failing() -> [MonitorDocuments.Promise] {
        let automatic = Set(automatic.map(\.name))
        return states.values.filter { !automatic.contains($0.definition.id) }.compactMap(\.current).filter(\.failed)
    }

    /// Whether the check is one the node made for a job.
    public func isAutomatic(_ name: String) -> Bool {
        automatic.contains { $0.name == name } && !(configured + made).contains { $0.name == name }
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }
}
