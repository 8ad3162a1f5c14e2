/// Which events go to which channels (keepwatch.yaml's `routes:`). A route names events (or `on: [fail, recover,
/// success]`), optionally narrows them to jobs, checks, sources or tags, and names its channels (none: all).
/// Without any route, every failure and every recovery goes to every channel.
public struct NotificationRoute: Sendable, Equatable {
    public var events: Set<NotificationEvent.Kind>
    public var jobs: Set<String>?
    public var checks: Set<String>?
    public var sources: Set<String>?
    public var tags: Set<String>?
    /// nil: every channel.
    public var channels: [String]?

    public init(events: Set<NotificationEvent.Kind>, jobs: Set<String>? = nil, checks: Set<String>? = nil, sources: Set<String>? = nil,
                tags: Set<String>? = nil, channels: [String]? = nil) {
        self.events = events
        self.jobs = jobs
        self.checks = checks
        self.sources = sources
        self.tags = tags
        self.channels = channels
    }

    /// Every failure and recovery (not plain successes).
    public static let failuresAndRecoveries = Set(NotificationEvent.Kind.allCases.filter { $0.severity != .success })

    static let keys: Set<String> = ["events", "on", "jobs", "checks", "sources", "tags", "channels"]

    public init(json: JSONValue, field: String) throws(DocumentError) {
        guard case .object(let object) = json else { throw DocumentError(field: field, "must be a mapping (events:, channels:, …)") }
        for key in object.keys.sorted() where !Self.keys.contains(key) {
            throw DocumentError(field: "\(field).\(key)", "is not a route key (\(Self.keys.sorted().joined(separator: ", ")))")
        }
        func names(_ key: String) throws(DocumentError) -> [String]? {
            guard let value = object[key], value != .null else { return nil }
            let items: [JSONValue]
            switch value {
            case .string: items = [value]
            case .array(let given): items = given
            default: throw DocumentError(field: "\(field).\(key)", "must be a list of names")
            }
            var result: [String] = []
            for item in items {
                guard case .string(let text) = item, !text.isEmpty else { throw DocumentError(field: "\(field).\(key)", "must be a list of names") }
                result.append(text)
            }
            return result
        }
        var events: Set<NotificationEvent.Kind> = []
        for name in try names("events") ?? [] {
            guard let kind = NotificationEvent.Kind(rawValue: name) else {
                throw DocumentError(field: "\(field).events", "'\(name.clipped)' is not one of \(NotificationEvent.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            events.insert(kind)
        }
        for name in try names("on") ?? [] {
            guard let kinds = Self.shorthand[name] else { throw DocumentError(field: "\(field).on", "'\(name.clipped)' is not one of fail, recover, success") }
            events.formUnion(kinds)
        }
        self.init(events: events.isEmpty ? Self.failuresAndRecoveries : events, jobs: try names("jobs").map(Set.init),
                  checks: try names("checks").map(Set.init), sources: try names("sources").map(Set.init), tags: try names("tags").map(Set.init),
                  channels: try names("channels"))
    }

    /// `on:` words, as a job's `notify:` and mgob's `warnOnly` speak: fail, recover, success.
    public static let shorthand: [String: Set<NotificationEvent.Kind>] = [
        "fail": Set(NotificationEvent.Kind.allCases.filter { $0.severity == .failure }),
        "recover": Set(NotificationEvent.Kind.allCases.filter { $0.severity == .recovery }),
        "success": [.runSucceeded, .runRecovered],
    ]

    public func matches(_ event: NotificationEvent) -> Bool {
        guard events.contains(event.kind) else { return false }
        if let jobs, !(event.targetKind == .job && jobs.contains(event.target)) { return false }
        if let checks, !(event.targetKind == .check && checks.contains(event.target)) { return false }
        if let sources, !sources.contains(event.source) { return false }
        if let tags, tags.isDisjoint(with: event.tags) { return false }
        return true
    }

    /// The channels an event goes to: those of every route that takes it (every route: the default one when
    /// there is none), among the channels that exist.
    public static func channels(for event: NotificationEvent, routes: [NotificationRoute], existing: [String]) -> [String] {
        let routes = routes.isEmpty ? [NotificationRoute(events: failuresAndRecoveries)] : routes
        var chosen: [String] = []
        for route in routes where route.matches(event) {
            for name in route.channels ?? existing where existing.contains(name) && !chosen.contains(name) { chosen.append(name) }
        }
        return chosen
    }
}
