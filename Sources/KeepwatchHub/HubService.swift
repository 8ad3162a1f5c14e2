import Foundation
import KeepwatchCore
import KeepwatchEngine
import KeepwatchStore
import Logging
import Synchronization

/// The hub: the sources a node watches (kept in the store, secrets sealed), their background refresh, and the index
/// every view reads. Faces call it; it holds the rules (what a source may be, who is first, what add and update do).
public final class HubService: Sendable {
    public enum Failure: Error, CustomStringConvertible {
        case invalid(DocumentError)
        case notFound(String)
        case duplicate(String)
        case refused(String)

        public var description: String {
            switch self {
            case .invalid(let error): return "\(error.field): \(error.message)"
            case .notFound(let what), .duplicate(let what), .refused(let what): return what
            }
        }
    }

    public let index = HubIndex()
    private let localRefreshPending = Mutex(false)
    public let settings: HubSettings
    let store: any SourceStore
    let http = SourceHTTPClient()
    let poller: HubPoller
    let logger: Logger
    let nodeName: String
    let jobs: JobService
    let version: String
    /// Writes who added, changed or removed a source to the audit trail.
    public typealias Auditor = @Sendable (_ action: String, _ requester: Requester, _ detail: String) async -> Void
    let auditor: Auditor?
    /// This node's failing checks, which the local source shows as alarms.
    public typealias FailingChecks = @Sendable () async -> [CheckStatus]
    let checks: FailingChecks

    public init(store: any SourceStore, jobs: JobService, settings: HubSettings = HubSettings(), version: String,
                logger: Logger, auditor: Auditor? = nil, checks: @escaping FailingChecks = { [] }) {
        self.auditor = auditor
        self.checks = checks
        self.store = store
        self.settings = settings
        self.logger = logger
        self.jobs = jobs
        self.version = version
        let nodeName = ProcessInfo.processInfo.hostName
        self.nodeName = nodeName
        let http = self.http
        poller = HubPoller(index: index, settings: settings, logger: logger) { definition in
            Self.adapter(for: definition, http: http, jobs: jobs, nodeName: nodeName, version: version, checks: checks)
        }
    }

    static func adapter(for definition: SourceDefinition, http: SourceHTTPClient, jobs: JobService, nodeName: String,
                        version: String, checks: @escaping FailingChecks) -> any SourceAdapter {
        switch definition.kind {
        case .cmon: return CmonAdapter(http: http)
        case .mgob: return MgobAdapter(http: http)
        case .ethoscope: return EthoscopeAdapter(http: http)
        case .keepwatch: return KeepwatchNodeAdapter(http: http)
        case .slapos: return SlapOSAdapter(http: http)
        case .local: return LocalNodeAdapter(jobs: jobs, nodeName: nodeName, version: version, checks: checks)
        }
    }

    /// Loads the sources; they are read once `beginRefreshing` is called.
    public func start() async throws {
        try await reload()
    }

    /// Adds the local node (the first time) with the URL the node listens on, and starts the background reads. The
    /// node calls it once it listens: a keepwatch source may be the node itself.
    public func beginRefreshing(localURL: String) async throws {
        try await ensureLocalSource(url: localURL)
        try await reload()
        await poller.begin()
    }

    public func stop() async {
        await poller.stop()
        await http.shutdown()
    }

    /// Picks up sources added, changed or removed in the store by another process (`keepwatch admin addcontroller`).
    public func reload() async throws {
        let stored = try await store.sources()
        let known = Set(stored.map(\.xid))
        for xid in await poller.watched where !known.contains(xid) { await poller.unwatch(xid) }
        for definition in stored { await poller.watch(definition) }
    }

    func ensureLocalSource(url localURL: String) async throws {
        let stored = try await store.sources()
        if var local = stored.first(where: { $0.kind == .local }) {
            if local.url != localURL {
                local.url = localURL
                try await store.updateSource(local)
            }
            return
        }
        let definition = try SourceDefinition(json: ["kind": "local", "url": .string(localURL), "name": .string(String(nodeName.prefix(60)))],
                                              xid: SourceIDs.next())
        try await store.insertSource(definition)
    }

    // MARK: managing sources

    /// Reads a `controller` object as a new source (a fresh xid unless it names one).
    public func definition(from json: JSONValue) throws(Failure) -> SourceDefinition {
        do {
            let definition = try SourceDefinition(json: json, xid: SourceIDs.next())
            try SourceDefinition.checkManaged(definition, replacing: nil)
            try SourceLookup.checkFiles(definition)
            return definition
        } catch {
            throw .invalid(error)
        }
    }

    /// One refresh of a source that is not saved: what it would report.
    public func test(_ definition: SourceDefinition) async -> SourceState {
        let adapter = Self.adapter(for: definition, http: http, jobs: jobs, nodeName: nodeName, version: version, checks: checks)
        var state = SourceState(definition: definition)
        state.apply(await HubPoller.attempt(definition, adapter: adapter, settings: settings), at: Int64(Date().timeIntervalSince1970))
        return state
    }

    /// Saves a new source, then refreshes it once (waiting at most its timeout) so the reply says how it is.
    public func add(_ definition: SourceDefinition, by requester: Requester = .node) async throws -> SourceState {
        do {
            try await store.insertSource(definition)
        } catch StoreError.duplicate(let what) {
            throw Failure.duplicate("duplicated URL: \(what) already exists")
        }
        logger.info("source added", metadata: ["xid": "\(definition.xid)", "kind": "\(definition.kind.rawValue)", "url": "\(definition.url)"])
        await auditor?("addcontroller", requester, "\(definition.kind.rawValue) \(definition.url) \(definition.xid)")
        await poller.watch(definition, refreshFirst: false)
        await poller.refreshNow([definition.xid])
        return index.state(definition.xid) ?? SourceState(definition: definition)
    }

    /// Changes a source by xid; keys not given keep their value, the password and token included.
    public func update(_ json: JSONValue, by requester: Requester = .node) async throws -> SourceState {
        guard let object = json.objectValue, let xid = object["xid"]?.stringValue, !xid.isEmpty else {
            throw Failure.invalid(DocumentError(field: "controller.xid", "is required to update a controller"))
        }
        guard let current = try await store.sources().first(where: { $0.xid == xid }) else {
            throw Failure.notFound("controller \(xid) not found")
        }
        var merged = current.document.objectValue ?? [:]
        for (key, value) in object { merged[key] = value }
        let definition = try Self.parse(merged, xid: xid)
        do {
            try SourceDefinition.checkManaged(definition, replacing: current)
            try SourceLookup.checkFiles(definition)
        } catch {
            throw Failure.invalid(error)
        }
        do {
            try await store.updateSource(definition)
        } catch StoreError.duplicate(let what) {
            throw Failure.duplicate("duplicated URL: \(what) already exists")
        }
        logger.info("source updated", metadata: ["xid": "\(xid)", "url": "\(definition.url)"])
        await auditor?("updatecontroller", requester, "\(definition.url) \(xid)")
        await poller.watch(definition, refreshFirst: false)
        await poller.refreshNow([xid])
        return index.state(xid) ?? SourceState(definition: definition)
    }

    static func parse(_ object: [String: JSONValue], xid: String) throws(Failure) -> SourceDefinition {
        do {
            return try SourceDefinition(json: .object(object), xid: xid)
        } catch {
            throw .invalid(error)
        }
    }

    /// Removes a source by xid, URL or name (cmon-proxy's `ControllerById`); its data leaves the views at once.
    public func remove(_ reference: String, by requester: Requester = .node) async throws -> SourceDefinition {
        let stored = try await store.sources()
        let definition: SourceDefinition
        do {
            definition = try SourceLookup.find(reference, in: stored)
        } catch {
            throw Failure.notFound(error.message)
        }
        do {
            try SourceDefinition.checkManaged(nil, replacing: definition)
        } catch {
            throw Failure.refused(error.message)
        }
        _ = try await store.deleteSource(xid: definition.xid)
        await poller.unwatch(definition.xid)
        logger.info("source removed", metadata: ["xid": "\(definition.xid)", "url": "\(definition.url)"])
        await auditor?("dropcontroller", requester, "\(definition.url) \(definition.xid)")
        return definition
    }

    /// Every source's state; `force` refreshes them all first, waiting at most each source's timeout.
    public func states(force: Bool = false) async -> [SourceState] {
        if force { await poller.refreshNow() }
        return index.states()
    }

    /// A run started or ended here: the local source is read again shortly (runs that start together share one read).
    public nonisolated func localActivity() {
        guard localRefreshPending.withLock({ pending in
            defer { pending = true }
            return !pending
        }) else { return }
        Task {
            try? await Task.sleep(nanoseconds: 200_000_000)
            localRefreshPending.withLock { $0 = false }
            guard let local = index.states().first(where: { $0.definition.kind == .local }) else { return }
            await poller.refreshNow([local.xid])
        }
    }

    /// Hears each source that stops answering (or fails its first read) and each that answers again.
    public nonisolated func setSourceObserver(_ observer: @escaping @Sendable (_ source: SourceDefinition, _ reachable: Bool, _ message: String) async -> Void) {
        poller.transitions.set(observer)
    }

    /// The sources that are monitors themselves (`slapos`, and other Keepwatch nodes), titled as they call
    /// themselves once read, for this node's HAL document and OPML feeds.
    public func monitors() -> [RelatedMonitor] {
        index.states().filter { $0.definition.kind == .slapos || $0.definition.kind == .keepwatch }.map { state in
            RelatedMonitor(title: state.snapshot.controllerID.isEmpty ? state.definition.name : state.snapshot.controllerID,
                           url: state.definition.baseURL)
        }
    }

    // MARK: passthrough

    /// Posts a call to a cmon source's `/v2/…` with the hub's session for it, as the ClusterControl UI would.
    public func forward(path: String, body: String, to xid: String) async throws(SourceFailure) -> SourceHTTPClient.Reply {
        guard let state = index.state(xid), state.definition.kind == .cmon else { throw .failed("no cmon source \(xid)") }
        guard let adapter = await poller.adapter(xid) as? CmonAdapter else { throw .failed("no cmon source \(xid)") }
        return try await adapter.session.forward(path: path, body: body, source: state.definition, settings: settings)
    }
}
