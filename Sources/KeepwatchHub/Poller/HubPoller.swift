import Foundation
import KeepwatchCore
import Logging

/// Refreshes every source on its own interval, a bounded number at a time, each bounded by its own timeout, and
/// backs off (with jitter) while a source fails. Results go to the index; a slow or dead source delays nobody else.
actor HubPoller {
    struct Watch {
        var definition: SourceDefinition
        var adapter: any SourceAdapter
        var task: Task<Void, Never>
    }

    let index: HubIndex
    let settings: HubSettings
    let limiter: RefreshLimiter
    let makeAdapter: @Sendable (SourceDefinition) -> any SourceAdapter
    let logger: Logger
    let transitions = SourceTransitions()
    private var watches: [String: Watch] = [:]
    /// The refresh running now for each source: a second request for the same source waits for it instead.
    private var inFlight: [String: (definition: SourceDefinition, task: Task<Void, Never>)] = [:]
    /// Background reads wait for `begin()` (the node listening); reads asked for (add, force_update) do not.
    private var begun = false
    private var waitingToBegin: [CheckedContinuation<Void, Never>] = []

    func begin() {
        begun = true
        for waiter in waitingToBegin { waiter.resume() }
        waitingToBegin = []
    }

    func untilBegun() async {
        if begun { return }
        await withCheckedContinuation { waitingToBegin.append($0) }
    }

    init(index: HubIndex, settings: HubSettings, logger: Logger, makeAdapter: @escaping @Sendable (SourceDefinition) -> any SourceAdapter) {
        self.index = index
        self.settings = settings
        self.limiter = RefreshLimiter(limit: settings.concurrency)
        self.logger = logger
        self.makeAdapter = makeAdapter
    }

    /// Starts watching a source, or restarts its watch when its definition changed.
    /// `refreshFirst: false` when the caller refreshes it right away itself (add, update).
    func watch(_ definition: SourceDefinition, refreshFirst: Bool = true) {
        if let current = watches[definition.xid], current.definition == definition { return }
        watches[definition.xid]?.task.cancel()
        index.put(definition)
        let adapter = makeAdapter(definition)
        let task = Task { [self] in
            await self.untilBegun()
            if !refreshFirst { try? await Task.sleep(nanoseconds: UInt64(definition.refreshInterval) * 1_000_000_000) }
            await self.loop(definition, adapter: adapter)
        }
        watches[definition.xid] = Watch(definition: definition, adapter: adapter, task: task)
    }

    func unwatch(_ xid: String) {
        watches.removeValue(forKey: xid)?.task.cancel()
        index.remove(xid)
    }

    var watched: [String] { Array(watches.keys) }

    func adapter(_ xid: String) -> (any SourceAdapter)? { watches[xid]?.adapter }

    func stop() {
        for watch in watches.values { watch.task.cancel() }
        watches = [:]
    }

    /// Refreshes now, waiting at most each source's timeout; sources answer in parallel.
    func refreshNow(_ xids: [String]? = nil) async {
        let chosen = watches.values.filter { xids?.contains($0.definition.xid) ?? true }
        // Requests that arrive together share one refresh per source (`coalesced`), so viewers asking for
        // `force_update` at once cannot multiply the load on a remote.
        await withTaskGroup(of: Void.self) { group in
            for watch in chosen {
                group.addTask { [self] in await self.coalesced(watch.definition, adapter: watch.adapter) }
            }
        }
    }

    /// One refresh of the source at a time: joins the one in flight, or starts it.
    /// A refresh of an older definition of the source is not joined: its outcome will be dropped.
    func coalesced(_ definition: SourceDefinition, adapter: any SourceAdapter) async {
        if let running = inFlight[definition.xid], running.definition == definition {
            await running.task.value
            return
        }
        let task = Task { await self.refreshOnce(definition, adapter: adapter) }
        inFlight[definition.xid] = (definition, task)
        await task.value
        if inFlight[definition.xid]?.definition == definition { inFlight[definition.xid] = nil }
    }

    nonisolated func loop(_ definition: SourceDefinition, adapter: any SourceAdapter) async {
        while !Task.isCancelled {
            await limiter.acquire()
            if Task.isCancelled {
                await limiter.release()
                return
            }
            await coalesced(definition, adapter: adapter)
            await limiter.release()
            let failures = index.state(definition.xid)?.failures ?? 0
            let delay = RefreshBackoff.delay(interval: definition.refreshInterval, failures: failures, random: Double.random(in: 0...1))
            try? await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
        }
    }

    /// One refresh, bounded by the source's timeout; its outcome replaces the source's state in one step.
    nonisolated func refreshOnce(_ definition: SourceDefinition, adapter: any SourceAdapter) async {
        let outcome = await Self.attempt(definition, adapter: adapter, settings: settings)
        let now = Int64(Date().timeIntervalSince1970)
        let change = index.record(definition.xid, definition: definition) { state in state.apply(outcome, at: now) }
        // Logged: a source going down (or failing its first read) and coming back; not every read.
        guard let change, !(change.first && change.after == .ok), change.first || change.before != change.after else { return }
        let metadata: Logger.Metadata = ["source": "\(definition.name)", "xid": "\(definition.xid)", "url": "\(definition.url)"]
        switch outcome {
        case .success:
            logger.notice("source answers again", metadata: metadata)
            transitions.tell(definition, reachable: true, message: "")
        case .failure(let failure, _):
            logger.warning("source \(change.after.rawValue): \(failure.message)", metadata: metadata)
            if change.before == .ok || change.first { transitions.tell(definition, reachable: false, message: failure.message) }
        }
    }

    /// A refresh of a source that is not (yet) watched: `/proxy/controllers/test` and `add`.
    static func attempt(_ definition: SourceDefinition, adapter: any SourceAdapter, settings: HubSettings) async -> RefreshOutcome {
        do {
            // A second past the requests' own deadline, so that their words (which request, which error) are the ones reported.
            let snapshot = try await withDeadline(seconds: definition.timeout + 1, what: definition.baseURL) {
                try await adapter.refresh(definition, settings: settings)
            }
            return .success(snapshot)
        } catch let failure as SourceFailure {
            return .failure(failure, replacing: nil)
        } catch let down as EthoscopeAdapter.EthoscopeDown {
            return .failure(.failed(down.message), replacing: down.snapshot)
        } catch {
            return .failure(.failed("\(error)"), replacing: nil)
        }
    }
}
