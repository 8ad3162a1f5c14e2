import Crypto
import Foundation
import KeepwatchCore
import KeepwatchStore
import Logging

/// Every heartbeat check of the node, in memory and in the store: pings change them (each change stored before
/// the ping is answered), a sweeper sends them down when their grace time has passed, and the management API
/// creates, changes, pauses and removes them.
public actor HeartbeatService {
    struct Entry {
        var check: HeartbeatCheck
        var badgeKey: String
        var rules: HeartbeatRules
        var alertAfter: Int64?
        var allowance: PingAllowance
        /// When its state last changed (microseconds) and why (`fail`, `timeout`), while the node runs.
        var changedAt: Int64?
        var reason: String?
    }

    /// A check with what the API shows beside it.
    public struct View: Sendable {
        public let check: HeartbeatCheck
        public let badgeKey: String
        public let status: String
        public let nextPing: Int64?
        public let uniqueKey: String
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case notFound
        case limitReached
        case notPaused
        case invalid(String)
        /// The check is defined in keepwatch.yaml.
        case configured(String)

        public var description: String {
            switch self {
            case .notFound: return "no such check"
            case .limitReached: return "the node has as many checks as it may"
            case .notPaused: return "check is not paused"
            case .invalid(let message): return message
            case .configured(let name): return "check \(name) is defined in keepwatch.yaml: change it there (then reload with SIGHUP)"
            }
        }
    }

    public nonisolated let store: any HeartbeatStore
    public nonisolated let settings: HeartbeatSettings
    let logger: Logger
    let writer: HeartbeatWriter
    var entries: [String: Entry] = [:]
    private var bySlug: [String: Set<String>] = [:]
    private var sweeper: Task<Void, Never>?
    private var flipObserver: FlipObserver?
    /// The checks keepwatch.yaml defines (the API does not change or remove them).
    var configured: [String: String] = [:]
    public private(set) var pingKey = ""
    /// The node's tag badges (its key and signatures), loaded at start.
    public private(set) var badges = ProjectBadges(key: "", secret: "")

    public init(store: any HeartbeatStore, settings: HeartbeatSettings = HeartbeatSettings(), logger: Logger) {
        self.store = store
        self.settings = settings
        self.logger = logger
        writer = HeartbeatWriter { try store.heartbeatBatchSink() }
    }

    static let pingKeySetting = "ping_key"

    /// Loads the checks and the node's ping key (made on first start), then sweeps four times a second.
    public func start() async throws {
        let now = Self.now()
        for (check, badgeKey) in try await store.heartbeatChecks() {
            put(Entry(check: check, badgeKey: badgeKey, rules: Self.rules(for: check), alertAfter: nil,
                      allowance: PingAllowance(settings: settings, now: now)))
        }
        pingKey = try await Self.pingKey(in: store)
        badges = try await ProjectBadges.load(from: store)
        sweeper = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 250_000_000)
                await self?.sweep(at: Self.now())
            }
        }
    }

    /// The node's ping key, made the first time it is asked for.
    public static func pingKey(in store: any HeartbeatStore) async throws -> String {
        if let key = try await store.setting(pingKeySetting) { return key }
        let key = randomText(22)
        try await store.setSetting(pingKeySetting, key)
        return key
    }

    public func stop() async {
        sweeper?.cancel()
        await writer.finish()
    }

    // MARK: pings

    /// Takes one ping: answers once what it changed is stored.
    public nonisolated func ping(_ request: HeartbeatPingRequest) async -> HeartbeatPingRequest.Outcome {
        let (outcome, ticket) = await submit(request, at: Self.now())
        guard let ticket else { return outcome }
        do {
            try await writer.wait(ticket)
            return outcome
        } catch {
            logger.error("a ping was not stored: \(error)")
            return .unavailable("the ping could not be stored: \(error)")
        }
    }

    /// Applies the ping and queues what it changed, in one step of the service's isolation (so queued changes keep
    /// the order they were made in).
    func submit(_ request: HeartbeatPingRequest, at now: Int64) -> (HeartbeatPingRequest.Outcome, HeartbeatWriter.Ticket?) {
        let (outcome, batch) = take(request, at: now)
        return (outcome, batch.map { writer.submit($0) })
    }

    func take(_ request: HeartbeatPingRequest, at now: Int64) -> (HeartbeatPingRequest.Outcome, HeartbeatBatch?) {
        var batch = HeartbeatBatch()
        var created = false
        let uuid: String
        switch request.target {
        case .uuid(let given):
            guard entries[given] != nil else { return (.notFound, nil) }
            uuid = given
        case .slug(let key, let slug, let create):
            guard slug == slug.lowercased() else { return (.invalidURL, nil) }
            let matching = key == pingKey ? bySlug[slug] ?? [] : []
            if matching.count > 1 { return (.ambiguousSlug, nil) }
            if let found = matching.first {
                uuid = found
            } else {
                guard create, key == pingKey, slug.count <= 100, entries.count < settings.maximumChecks * 2 else { return (.notFound, nil) }
                // Unlike Healthchecks, a ping that is refused (a bad exit status or run id) makes no check.
                if let status = request.exitStatus, status > 255 { return (.invalidURL, nil) }
                if let rid = request.rid, !Self.isUUIDText(rid) { return (.invalidRID, nil) }
                var check = HeartbeatCheck(uuid: Self.newUUID(), createdAt: now)
                check.name = slug
                check.slug = slug
                let entry = Entry(check: check, badgeKey: Self.newUUID(), rules: Self.rules(for: check), alertAfter: nil,
                                  allowance: PingAllowance(settings: settings, now: now))
                put(entry)
                batch.checks.append((entry.check, entry.badgeKey))
                uuid = check.uuid
                created = true
            }
        }
        guard var entry = entries[uuid] else { return (.notFound, nil) }
        // A refused ping after a created check still stores the check, as Healthchecks does.
        func refuse(_ outcome: HeartbeatPingRequest.Outcome) -> (HeartbeatPingRequest.Outcome, HeartbeatBatch?) {
            (outcome, batch.isEmpty ? nil : batch)
        }
        if let status = request.exitStatus, status > 255 { return refuse(.invalidURL) }
        guard entry.allowance.take(at: now, settings: settings) else {
            entries[uuid] = entry
            return refuse(.throttled)
        }
        var kind = request.kind
        if let status = request.exitStatus, status > 0 { kind = .fail }
        if entry.check.methods == "POST" && request.method != "POST" { kind = .ign }
        kind = HeartbeatRules.classify(kind, body: request.body, keywords: entry.check.keywords)
        var rid: String?
        if let given = request.rid {
            guard Self.isUUIDText(given) else {
                entries[uuid] = entry
                return refuse(.invalidRID)
            }
            rid = given.lowercased()
        }
        let (recorded, flip) = entry.rules.apply(kind, method: request.method, rid: rid, at: now, to: &entry.check)
        entry.alertAfter = entry.rules.goingDownAfter(entry.check)
        let ping = HeartbeatPing(number: entry.check.pingCount, kind: recorded, created: now, scheme: request.scheme,
                                 remoteAddress: request.remoteAddress, method: request.method, userAgent: String(request.userAgent.prefix(200)),
                                 rid: rid, exitStatus: request.exitStatus, body: Array(request.body.prefix(settings.bodyLimit)))
        entries[uuid] = entry
        batch.checks.append((entry.check, entry.badgeKey))
        batch.pings.append((uuid, ping))
        if let flip {
            batch.flips.append((uuid, flip))
            log(flip, entry.check)
            entry.changedAt = flip.created
            entry.reason = flip.reason
            entries[uuid] = entry
        }
        if ping.number % 100 == 0 { batch.prune.append((uuid, ping.number - settings.pingsKept)) }
        return (created ? .created : .ok, batch)
    }

    /// Sends down every check whose grace time has passed.
    func sweep(at now: Int64) {
        var batch = HeartbeatBatch()
        for (uuid, var entry) in entries {
            guard let due = entry.alertAfter, due <= now else { continue }
            if let flip = entry.rules.timeout(&entry.check, at: now) {
                entry.changedAt = flip.created
                entry.reason = flip.reason
                batch.checks.append((entry.check, entry.badgeKey))
                batch.flips.append((uuid, flip))
                log(flip, entry.check)
            }
            entry.alertAfter = entry.check.status == .down ? nil : entry.rules.goingDownAfter(entry.check)
            if entry.alertAfter.map({ $0 <= now }) ?? false { entry.alertAfter = nil }
            entries[uuid] = entry
        }
        if !batch.isEmpty { writer.enqueue(batch) }
    }

    /// Hears every flip a ping or the clock makes (notifications); pause and resume are not heard.
    public typealias FlipObserver = @Sendable (HeartbeatFlip, HeartbeatCheck) async -> Void
    public func setFlipObserver(_ observer: @escaping FlipObserver) {
        flipObserver = observer
    }

    func log(_ flip: HeartbeatFlip, _ check: HeartbeatCheck) {
        if let flipObserver { Task { await flipObserver(flip, check) } }
        let name = check.name.isEmpty ? check.uuid : check.name
        let metadata: Logger.Metadata = ["check": "\(name)", "uuid": "\(check.uuid)", "from": "\(flip.old)", "reason": "\(flip.reason)"]
        if flip.new == "down" {
            logger.warning("heartbeat check \(name) is down", metadata: metadata)
        } else if flip.new == "up" {
            logger.info("heartbeat check \(name) is up", metadata: metadata)
        }
    }

    // MARK: reading

    public func views(tags: Set<String> = [], slug: String? = nil) -> [View] {
        let now = Self.now()
        return entries.values
            .filter { entry in tags.isSubset(of: Set(entry.check.tagList)) && (slug.map { entry.check.slug == $0 } ?? true) }
            .sorted { ($0.check.createdAt, $0.check.uuid) < ($1.check.createdAt, $1.check.uuid) }
            .map { view($0, at: now) }
    }

    /// A check's UUID from its UUID, or from a name or slug that one check alone has.
    public func resolve(_ reference: String) -> String? {
        if entries[reference] != nil { return reference }
        let named = uuids(named: reference)
        return named.count == 1 ? named.first : nil
    }

    /// The UUIDs of the checks with this name or slug.
    public func uuids(named reference: String) -> [String] {
        entries.values.filter { $0.check.name == reference || $0.check.slug == reference }.map(\.check.uuid)
    }

    public func view(uuid: String) -> View? {
        entries[uuid].map { view($0, at: Self.now()) }
    }

    /// The status of every check with the tag (`*`: every check), for a tag badge.
    public func statuses(tag: String) -> [String] {
        let now = Self.now()
        return entries.values.filter { tag == "*" || $0.check.tagList.contains(tag) }.map { $0.rules.status($0.check, at: now) }
    }

    /// Every tag some check has.
    public func tags() -> Set<String> {
        Set(entries.values.flatMap(\.check.tagList))
    }

    /// The check whose badge key this is (badge URLs carry it instead of the UUID).
    public func view(badgeKey: String) -> View? {
        let now = Self.now()
        return entries.values.first { $0.badgeKey == badgeKey }.map { view($0, at: now) }
    }

    public func view(uniqueKey: String) -> View? {
        let now = Self.now()
        return entries.values.first { Self.uniqueKey($0.check.uuid) == uniqueKey }.map { view($0, at: now) }
    }

    func view(_ entry: Entry, at now: Int64) -> View {
        View(check: entry.check, badgeKey: entry.badgeKey, status: entry.rules.status(entry.check, at: now),
             nextPing: entry.rules.graceStart(entry.check), uniqueKey: Self.uniqueKey(entry.check.uuid))
    }

    public var count: Int { entries.count }

    /// Every check as the monitor's files show it: `heartbeat-<slug or uuid>`, failing when down, with its state as
    /// the message, changed when it last flipped.
    public func monitorEntries() -> [MonitorDocuments.Promise] {
        let now = Self.now()
        return entries.values.map { entry in
            let view = view(entry, at: now)
            let check = entry.check
            let label = check.slug.isEmpty ? check.uuid : check.slug
            let title = check.name.isEmpty ? check.uuid : check.name
            // Stable while the state lasts, so that the history and the feed change only when the state does.
            let since = check.lastPing.map { "no ping since \(HeartbeatDocuments.isoSeconds($0))" } ?? "never pinged"
            let message: String
            switch view.status {
            case "up": message = "up"
            case "grace": message = "late: \(since)"
            case "down": message = entry.reason == "fail" ? "down: the job reported a failure" : "down: \(since)"
            case "paused": message = "paused"
            default: message = "new: never pinged"
            }
            let run = PromiseRun(date: (entry.changedAt ?? check.lastPing ?? check.createdAt) / 1_000_000, executionTime: 0,
                                 failed: view.status == "down", message: message)
            return MonitorDocuments.Promise(id: "heartbeat-" + label, file: label, path: "keepwatch:heartbeat", title: title, run: run,
                                            failed: view.status == "down", changeDate: (entry.changedAt ?? check.lastPing ?? check.createdAt) / 1_000_000)
        }
    }

    /// Checks that are down or late now, with since when (Unix seconds): the end of the grace time for a down
    /// check, its start for a late one.
    public func failing() -> [(view: View, since: Int64)] {
        let now = Self.now()
        return views().compactMap { view in
            guard view.status == "down" || view.status == "grace" else { return nil }
            let start = view.nextPing ?? view.check.lastPing ?? now
            let since = view.status == "down" ? (view.nextPing.map { $0 + view.check.grace * 1_000_000 } ?? view.check.lastPing ?? now) : start
            return (view, since / 1_000_000)
        }
    }

    // MARK: the management API

    /// Creates a check, or (with `unique`) changes the one that matches; `created` says which.
    public func create(_ spec: HeartbeatSpec) async throws -> (view: View, created: Bool) {
        let now = Self.now()
        if spec.namesEveryUniqueField, let existing = entries.values.filter({ spec.matches($0.check) })
            .min(by: { ($0.check.createdAt, $0.check.uuid) < ($1.check.createdAt, $1.check.uuid) }) {
            return (try await change(existing.check.uuid, spec), false)
        }
        guard entries.count < settings.maximumChecks else { throw Failure.limitReached }
        try Self.checkChannels(spec)
        var check = HeartbeatCheck(uuid: Self.newUUID(), createdAt: now)
        spec.apply(to: &check)
        let entry = Entry(check: check, badgeKey: Self.newUUID(), rules: Self.rules(for: check), alertAfter: nil,
                          allowance: PingAllowance(settings: settings, now: now))
        return (try await save(entry, flip: nil), true)
    }

    public func change(_ uuid: String, _ spec: HeartbeatSpec) async throws -> View {
        guard var entry = entries[uuid] else { throw Failure.notFound }
        if let name = configured[uuid] { throw Failure.configured(name) }
        try Self.checkChannels(spec)
        spec.apply(to: &entry.check)
        entry.rules = Self.rules(for: entry.check)
        return try await save(entry, flip: nil)
    }

    public func pause(_ uuid: String) async throws -> View {
        guard var entry = entries[uuid] else { throw Failure.notFound }
        guard let flip = HeartbeatRules.pause(&entry.check, at: Self.now()) else { return view(entry, at: Self.now()) }
        return try await save(entry, flip: flip)
    }

    public func resume(_ uuid: String) async throws -> View {
        guard var entry = entries[uuid] else { throw Failure.notFound }
        guard let flip = HeartbeatRules.resume(&entry.check, at: Self.now()) else { throw Failure.notPaused }
        return try await save(entry, flip: flip)
    }

    /// Removes the check with its pings and flips; returns it as it was.
    public func delete(_ uuid: String) async throws -> View {
        guard let entry = entries[uuid] else { throw Failure.notFound }
        if let name = configured[uuid] { throw Failure.configured(name) }
        let shown = view(entry, at: Self.now())
        remove(uuid)
        var batch = HeartbeatBatch()
        batch.deleted = [uuid]
        try await writer.wait(writer.submit(batch))
        return shown
    }

    /// Makes the entry the one in memory, then stores it. Memory changes first, before any suspension, so that a
    /// ping taken meanwhile builds on the change (every write carries the whole check, so the store catches up).
    func save(_ entry: Entry, flip: HeartbeatFlip?) async throws -> View {
        var entry = entry
        entry.alertAfter = entry.rules.goingDownAfter(entry.check)
        put(entry)
        let shown = view(entry, at: Self.now())
        var batch = HeartbeatBatch()
        batch.checks = [(entry.check, entry.badgeKey)]
        if let flip { batch.flips = [(entry.check.uuid, flip)] }
        try await writer.wait(writer.submit(batch))
        return shown
    }

    /// Notification channels come with notifications; until then only "" and "*" (none, all) name any.
    static func checkChannels(_ spec: HeartbeatSpec) throws {
        guard let channels = spec.channels, channels != "", channels != "*" else { return }
        for name in channels.split(separator: ",", omittingEmptySubsequences: false) {
            if name.isEmpty { throw Failure.invalid("empty channel identifier") }
            throw Failure.invalid("invalid channel identifier: \(name)")
        }
    }

    public func pings(_ uuid: String) async throws -> [HeartbeatPing] {
        guard entries[uuid] != nil else { throw Failure.notFound }
        return try await store.heartbeatPings(uuid: uuid, limit: Int(min(settings.pingsKept, 1000)))
    }

    /// A ping's body, when it is still kept and has one.
    public func pingBody(_ uuid: String, number: Int64) async throws -> [UInt8]? {
        guard let entry = entries[uuid] else { throw Failure.notFound }
        guard number > entry.check.pingCount - settings.pingsKept else { return nil }
        guard let ping = try await store.heartbeatPing(uuid: uuid, number: number), !ping.body.isEmpty else { return nil }
        return ping.body
    }

    public func flips(_ uuid: String, start: Int64?, end: Int64?) async throws -> [HeartbeatFlip] {
        guard entries[uuid] != nil else { throw Failure.notFound }
        return try await store.heartbeatFlips(uuid: uuid, start: start, end: end)
    }

    // MARK: bookkeeping

    func put(_ entry: Entry) {
        var entry = entry
        if entry.alertAfter == nil { entry.alertAfter = entry.rules.goingDownAfter(entry.check) }
        if let old = entries[entry.check.uuid], old.check.slug != entry.check.slug { bySlug[old.check.slug]?.remove(entry.check.uuid) }
        entries[entry.check.uuid] = entry
        bySlug[entry.check.slug, default: []].insert(entry.check.uuid)
    }

    func remove(_ uuid: String) {
        guard let old = entries.removeValue(forKey: uuid) else { return }
        bySlug[old.check.slug]?.remove(uuid)
    }

    static func rules(for check: HeartbeatCheck) -> HeartbeatRules {
        guard let zone = try? ZoneDatabase.rules(for: check.tz) else { return HeartbeatRules(nextCron: { _ in nil }) }
        switch check.kind {
        case .cron:
            guard let spec = try? CronExpressionParser.parse(check.schedule) else { break }
            return HeartbeatRules(nextCron: { spec.nextInstant(after: $0, in: zone) })
        case .oncalendar:
            guard let schedule = try? OnCalendarSchedule.parse(check.schedule) else { break }
            return HeartbeatRules(nextCron: { schedule.next(after: $0, in: zone) })
        case .simple:
            break
        }
        return HeartbeatRules(nextCron: { _ in nil })
    }

    public static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1_000_000 + Int64(time.tv_nsec) / 1000
    }

    static func newUUID() -> String { UUID().uuidString.lowercased() }

    /// `sha1(uuid hex[:16])`, the id a read-only key sees instead of the uuid.
    public static func uniqueKey(_ uuid: String) -> String {
        let hex = uuid.replacingOccurrences(of: "-", with: "").prefix(16)
        return Insecure.SHA1.hash(data: Array(hex.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Lowercase letters and digits, as Healthchecks's ping keys and API key bodies are.
    static func randomText(_ count: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] })
    }

    public static func isUUIDText(_ text: String) -> Bool { HeartbeatCheck.isUUIDText(text) }
}
