import Foundation
import KeepwatchCore
import KeepwatchStore
import Logging

/// Tells people: takes events, picks their channels by the routes, groups what arrives together per channel, and
/// delivers through a durable outbox. Every message is in the store before `notify` returns; a node killed at
/// any moment sends what was due after it restarts (at least once; never again once the receiver answered).
/// Silences and quiet hours hold messages back and release them; reminders repeat open problems.
public actor NotificationService {
    public struct Settings: Sendable {
        public var node: String
        public var nodeURL: String
        public var routes: [NotificationRoute]
        public var configured: [ChannelDefinition]

        public init(node: String, nodeURL: String = "", routes: [NotificationRoute] = [], configured: [ChannelDefinition] = []) {
            self.node = node
            self.nodeURL = nodeURL
            self.routes = routes
            self.configured = configured
        }
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case notFound(String)
        case configured(String)
        case exists(String)

        public var description: String {
            switch self {
            case .notFound(let name): return "no channel named \(name)"
            case .configured(let name): return "channel \(name) is defined in keepwatch.yaml: change it there (then reload with SIGHUP)"
            case .exists(let name): return "a channel named \(name) exists"
            }
        }
    }

    /// How a channel's last delivery went.
    public struct ChannelStatus: Sendable {
        public var lastDelivery: Int64?
        public var lastError: String?
        public var lastErrorAt: Int64?
        public var sent = 0
        public var failed = 0
    }

    let store: any NotificationStore
    let logger: Logger
    private(set) var settings: Settings
    private var made: [ChannelDefinition] = []
    private var silences: [Silence] = []
    private var problems: [String: OpenProblem] = [:]
    private var queued: [Int64: OutboxEntry] = [:]
    private var sending: Set<String> = []
    /// Entries that ended while their last write may still be on its way to the store (not adopted again).
    private var finished: Set<Int64> = []
    /// Events for channels whose new group is being stored right now.
    private var opening: [String: [NotificationEvent]] = [:]
    private(set) var statuses: [String: ChannelStatus] = [:]
    private var loop: Task<Void, Never>?

    public init(store: any NotificationStore, settings: Settings, logger: Logger) {
        self.store = store
        self.settings = settings
        self.logger = logger
    }

    public func start() async throws {
        made = try await store.channels()
        silences = try await store.silences()
        for problem in try await store.problems() { problems[problem.channel + "\u{0}" + problem.key] = problem }
        for entry in try await store.queuedOutbox() { queued[entry.id] = entry }
        // How each channel's last deliveries went, as the outbox remembers them (counters start again at 0).
        for entry in try await store.recentOutbox(limit: 1_000).reversed() {
            var status = statuses[entry.channel] ?? ChannelStatus()
            if let sent = entry.sentAt { status.lastDelivery = max(status.lastDelivery ?? 0, sent) }
            if let error = entry.lastError, let at = entry.lastAttemptAt, at >= (status.lastErrorAt ?? 0), entry.sentAt != at {
                status.lastError = error
                status.lastErrorAt = at
            }
            statuses[entry.channel] = status
        }
        if !queued.isEmpty { logger.info("notifications from before the restart are queued", metadata: ["count": "\(queued.count)"]) }
        loop = Task { [weak self] in
            var tick = 0
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 250_000_000)
                tick += 1
                if tick % 8 == 0 { await self?.adoptQueued() }
                await self?.tick(at: Self.now(), reminding: tick % 4 == 0)
            }
        }
    }

    public func stop() async {
        loop?.cancel()
        for _ in 0..<50 where !sending.isEmpty { try? await Task.sleep(nanoseconds: 100_000_000) }
    }

    /// keepwatch.yaml's channels and routes again (SIGHUP); the node's name and URL stay.
    public func reconfigure(channels: [ChannelDefinition], routes: [NotificationRoute]) {
        settings.configured = channels
        settings.routes = routes
        // What quiet hours held is looked at again: the hours may have changed or gone.
        let now = Self.now()
        for (id, var entry) in queued where entry.held?.hasPrefix("quiet hours") == true && entry.dueAt > now {
            entry.dueAt = now
            entry.held = nil
            queued[id] = entry
        }
    }

    /// Where the node is reached, once it listens (events link to it).
    public func setNode(_ node: String, url: String) {
        settings.node = node
        settings.nodeURL = url
    }

    public var nodeURL: String { settings.nodeURL }

    // MARK: channels

    /// Channels of keepwatch.yaml and the API: those the routes (and "every channel") choose from.
    public var channels: [ChannelDefinition] { settings.configured + made.filter { channel in !settings.configured.contains { $0.name == channel.name } } }

    /// Channels that jobs bring with them (mgob plans' smtp and slack blocks): only their jobs use them.
    private var jobChannels: [String: ChannelDefinition] = [:]

    public func addJobChannels(_ list: [ChannelDefinition]) {
        for channel in list { jobChannels[channel.name] = channel }
    }

    public func channel(_ name: String) -> ChannelDefinition? { channels.first { $0.name == name } ?? jobChannels[name] }

    public func isConfigured(_ name: String) -> Bool { settings.configured.contains { $0.name == name } }

    public func status(_ name: String) -> ChannelStatus { statuses[name] ?? ChannelStatus() }

    public func put(_ channel: ChannelDefinition, replacing: Bool) async throws {
        if isConfigured(channel.name) { throw Failure.configured(channel.name) }
        let exists = made.contains { $0.name == channel.name }
        if exists && !replacing { throw Failure.exists(channel.name) }
        if !exists && replacing { throw Failure.notFound(channel.name) }
        try await store.saveChannel(channel)
        made.removeAll { $0.name == channel.name }
        made.append(channel)
        made.sort { $0.name < $1.name }
    }

    public func remove(_ name: String) async throws {
        if isConfigured(name) { throw Failure.configured(name) }
        guard try await store.deleteChannel(name: name) else { throw Failure.notFound(name) }
        made.removeAll { $0.name == name }
        statuses[name] = nil
    }

    /// Sends a test message through the channel now, outside the outbox; throws what the channel said.
    public func test(_ name: String) async throws {
        guard let channel = channel(name) else { throw Failure.notFound(name) }
        let now = Self.now()
        let event = NotificationEvent(kind: .checkUp, targetKind: .check, target: "keepwatch-test", message: "A test message from \(settings.node): this channel works.",
                                      url: settings.nodeURL, at: now)
        let message = NotificationMessage(events: [event], node: settings.node, nodeURL: settings.nodeURL, now: now)
        do {
            try await ChannelDelivery(channel: channel).deliver(message)
            record(name, error: nil, at: now)
        } catch {
            record(name, error: "\(error)", at: now)
            throw error
        }
    }

    // MARK: events

    /// Queues the event for each channel its routes name, and for the channels `also` names (a job's own `notify:`),
    /// joining each channel's open group or opening one; returns once it is stored.
    public func notify(_ event: NotificationEvent, also: [String] = []) async {
        var names = NotificationRoute.channels(for: event, routes: settings.routes, existing: channels.map(\.name))
        for name in also where !names.contains(name) { names.append(name) }
        for name in names {
            guard let channel = channel(name) else {
                logger.warning("a job names a channel that does not exist", metadata: ["channel": "\(name)", "event": "\(event.line)"])
                continue
            }
            do {
                try await track(event, channel: channel)
                try await queue([event], channel: channel, reminder: false, at: event.at)
            } catch {
                logger.error("a notification was not queued", metadata: ["channel": "\(name)", "event": "\(event.line)", "error": "\(error)"])
            }
        }
    }

    /// Adds the events to the channel's open group, or opens one. Memory changes before any suspension: events
    /// that arrive while a group is being stored join it (`opening`), and each store write carries the whole group.
    func queue(_ events: [NotificationEvent], channel: ChannelDefinition, reminder: Bool, at now: Int64) async throws {
        if !reminder {
            if opening[channel.name] != nil {
                opening[channel.name, default: []] += events
                return
            }
            if let id = queued.values.first(where: { $0.channel == channel.name && !$0.reminder && $0.groupUntil > now && $0.attempts == 0 })?.id,
               var open = queued[id] {
                open.events += events
                queued[id] = open
                try await store.updateOutbox(open)
                return
            }
            opening[channel.name] = []
        }
        let window = Int64(channel.groupWindow)
        var entry: OutboxEntry
        do {
            entry = try await store.insertOutbox(OutboxEntry(channel: channel.name, events: events, reminder: reminder, createdAt: now,
                                                             groupUntil: now + window, dueAt: now + window))
        } catch {
            if !reminder { opening[channel.name] = nil }
            throw error
        }
        if !reminder, let joined = opening.removeValue(forKey: channel.name), !joined.isEmpty {
            entry.events += joined
            queued[entry.id] = entry
            try await store.updateOutbox(entry)
        } else {
            queued[entry.id] = entry
        }
    }

    /// Open problems per channel, for reminders: a failure opens one, the recovery closes it.
    func track(_ event: NotificationEvent, channel: ChannelDefinition) async throws {
        guard channel.repeatEvery != nil else { return }
        let key = OpenProblem.key(event)
        let id = channel.name + "\u{0}" + key
        switch event.kind.severity {
        case .failure:
            guard problems[id] == nil else { return }
            let problem = OpenProblem(channel: channel.name, key: key, event: event, lastNotified: event.at)
            try await store.saveProblem(problem)
            problems[id] = problem
        case .recovery:
            guard problems.removeValue(forKey: id) != nil else { return }
            try await store.deleteProblem(channel: channel.name, key: key)
        case .success:
            break
        }
    }

    // MARK: silences

    public func silenceList() -> [Silence] { silences.filter { $0.until > Self.now() } }

    public func addSilence(_ silence: Silence) async throws {
        try await store.saveSilence(silence)
        silences.append(silence)
    }

    /// Ends a silence now: what it held is sent at the next tick.
    public func removeSilence(_ id: String) async throws -> Bool {
        guard try await store.deleteSilence(id: id) else { return false }
        silences.removeAll { $0.id == id }
        let now = Self.now()
        for (key, var entry) in queued where entry.held != nil && entry.dueAt > now {
            entry.dueAt = now
            entry.held = nil
            queued[key] = entry
            try await store.updateOutbox(entry)
        }
        return true
    }

    // MARK: delivery

    public func outbox(limit: Int) async throws -> [OutboxEntry] { try await store.recentOutbox(limit: limit) }

    public var queuedCount: Int { queued.count }

    func tick(at now: Int64, reminding: Bool) async {
        if reminding { await remind(at: now) }
        let due = queued.values.filter { $0.dueAt <= now && !sending.contains($0.channel) }.sorted { $0.id < $1.id }
        var started: Set<String> = []
        for entry in due where !started.contains(entry.channel) {
            started.insert(entry.channel)
            guard let channel = channel(entry.channel) else {
                await finish(entry, failedWith: "the channel \(entry.channel) no longer exists", at: now)
                continue
            }
            if let held = await hold(entry, channel: channel, at: now) {
                queued[held.id] = held
                continue
            }
            sending.insert(channel.name)
            Task { await self.send(entry, through: channel) }
        }
    }

    /// The entry moved past quiet hours or a silence that covers every event in it, or nil when it may go now.
    func hold(_ entry: OutboxEntry, channel: ChannelDefinition, at now: Int64) async -> OutboxEntry? {
        var until: Int64?
        var why = ""
        if let quiet = channel.quietHours, let rules = try? ZoneDatabase.rules(for: quiet.zone), let end = quiet.end(containing: now, rules: rules) {
            until = end
            why = "quiet hours"
        }
        let covering = entry.events.map { event in silences.filter { $0.covers(event, at: now) }.map(\.until).max() }
        if !covering.isEmpty, covering.allSatisfy({ $0 != nil }), let end = covering.compactMap({ $0 }).min(), end > (until ?? 0) {
            until = end
            why = "silenced"
        }
        guard let until, until > now else { return nil }
        var held = entry
        held.dueAt = until
        held.held = "\(why) until \(ISO8601.formatUTC(Instant(secondsSince1970: until)))"
        do {
            try await store.updateOutbox(held)
        } catch {
            logger.error("a held notification was not stored", metadata: ["error": "\(error)"])
        }
        return held
    }

    func send(_ entry: OutboxEntry, through channel: ChannelDefinition) async {
        let now = Self.now()
        let message = NotificationMessage(events: entry.events, node: settings.node, nodeURL: settings.nodeURL, now: now, reminder: entry.reminder)
        var updated = entry
        do {
            try await ChannelDelivery(channel: channel).deliver(message)
            updated.recordSuccess(at: Self.now())
            record(channel.name, error: nil, at: Self.now())
            logger.info("notification sent", metadata: ["channel": "\(channel.name)", "events": "\(entry.events.count)", "subject": "\(message.subject)"])
        } catch {
            updated.recordFailure("\(error)", at: Self.now(), maximumAge: channel.maximumAge)
            record(channel.name, error: "\(error)", at: Self.now())
            let level: Logger.Level = updated.state == .failed ? .error : .warning
            logger.log(level: level, updated.state == .failed ? "notification failed for good" : "notification not delivered, will retry",
                       metadata: ["channel": "\(channel.name)", "attempts": "\(updated.attempts)", "error": "\(error)"])
        }
        await store(updated)
        sending.remove(channel.name)
    }

    func store(_ entry: OutboxEntry) async {
        if entry.state == .queued {
            queued[entry.id] = entry
        } else {
            queued[entry.id] = nil
            finished.insert(entry.id)
            if finished.count > 10_000 { finished.removeAll() }
        }
        do {
            try await store.updateOutbox(entry)
        } catch {
            logger.error("the outbox was not updated", metadata: ["id": "\(entry.id)", "error": "\(error)"])
        }
    }

    func finish(_ entry: OutboxEntry, failedWith error: String, at now: Int64) async {
        var failed = entry
        failed.state = .failed
        failed.lastError = error
        failed.lastAttemptAt = now
        await store(failed)
    }

    func record(_ name: String, error: String?, at now: Int64) {
        var status = statuses[name] ?? ChannelStatus()
        if let error {
            status.lastError = error
            status.lastErrorAt = now
            status.failed += 1
        } else {
            status.lastDelivery = now
            status.sent += 1
        }
        statuses[name] = status
    }

    /// Entries other processes queued (a failed `keepwatch restore`), picked up every two seconds.
    func adoptQueued() async {
        guard let stored = try? await store.queuedOutbox() else { return }
        for entry in stored where queued[entry.id] == nil && !finished.contains(entry.id) { queued[entry.id] = entry }
    }

    /// Repeats each open problem every `repeat_every` of its channel.
    func remind(at now: Int64) async {
        for (id, var problem) in problems {
            guard let channel = channel(problem.channel), let every = channel.repeatEvery, now - problem.lastNotified >= every else { continue }
            // A recovery may have closed it while this loop waited on the store.
            guard problems[id] != nil else { continue }
            problem.lastNotified = now
            problems[id] = problem
            do {
                try await queue([problem.event], channel: channel, reminder: true, at: now)
                if problems[id] != nil { try await store.saveProblem(problem) }
            } catch {
                logger.error("a reminder was not queued", metadata: ["channel": "\(channel.name)", "error": "\(error)"])
            }
        }
    }

    /// Prometheus series after mgob's: the outbox's length, and per channel what was sent, what failed and when
    /// the last delivery was.
    public func metricsExposition() -> String {
        var lines = ["# HELP keepwatch_notifications_queued Notifications waiting in the outbox.",
                     "# TYPE keepwatch_notifications_queued gauge", "keepwatch_notifications_queued \(queued.count)",
                     "# HELP keepwatch_notifications_sent_total Messages a channel's receiver took.",
                     "# TYPE keepwatch_notifications_sent_total counter"]
        let names = channels.map(\.name)
        for name in names { lines.append("keepwatch_notifications_sent_total{channel=\"\(Self.label(name))\"} \(statuses[name]?.sent ?? 0)") }
        lines += ["# HELP keepwatch_notifications_failed_total Deliveries that failed (each try).", "# TYPE keepwatch_notifications_failed_total counter"]
        for name in names { lines.append("keepwatch_notifications_failed_total{channel=\"\(Self.label(name))\"} \(statuses[name]?.failed ?? 0)") }
        lines += ["# HELP keepwatch_notifications_last_delivery_seconds When a channel last delivered (Unix seconds, 0: never).",
                  "# TYPE keepwatch_notifications_last_delivery_seconds gauge"]
        for name in names {
            lines.append("keepwatch_notifications_last_delivery_seconds{channel=\"\(Self.label(name))\"} \(statuses[name]?.lastDelivery ?? 0)")
        }
        lines += ["# HELP keepwatch_notifications_last_error_seconds When a channel's last delivery failed (Unix seconds, 0: never).",
                  "# TYPE keepwatch_notifications_last_error_seconds gauge"]
        for name in names {
            lines.append("keepwatch_notifications_last_error_seconds{channel=\"\(Self.label(name))\"} \(statuses[name]?.lastErrorAt ?? 0)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func label(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    public static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }
}
