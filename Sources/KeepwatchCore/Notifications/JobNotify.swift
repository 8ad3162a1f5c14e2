/// A job's own notifications, past the routes: `notify: {on: [fail, recover, success], channels: [...]}`, or an
/// mgob plan's `smtp` and `slack` blocks (their own channels, named `plan-<id>-smtp` and `plan-<id>-slack`; with
/// `warnOnly: true` only failures go out, as mgob's Slack notifier does).
public struct JobNotify: Sendable, Hashable {
    public var events: Set<NotificationEvent.Kind>
    public var channels: [String]
    /// Channels the job brings with it (an mgob plan's).
    public var own: [ChannelDefinition]

    public init(events: Set<NotificationEvent.Kind>, channels: [String], own: [ChannelDefinition] = []) {
        self.events = events
        self.channels = channels
        self.own = own
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(events)
        hasher.combine(channels)
    }

    public static let defaultEvents = NotificationRoute.shorthand["fail", default: []].union(NotificationRoute.shorthand["recover", default: []])

    /// `notify: {on: [...], channels: [...]}` of a job document.
    public init(json: JSONValue) throws(DocumentError) {
        guard case .object(let object) = json else { throw DocumentError(field: "notify", "must be {on: [fail, recover, success], channels: [...]}") }
        for key in object.keys.sorted() where key != "on" && key != "channels" {
            throw DocumentError(field: "notify.\(key)", "is not a notify key (on, channels)")
        }
        var events: Set<NotificationEvent.Kind> = []
        for item in object["on"]?.arrayValue ?? (object["on"].map { [$0] } ?? []) {
            guard let word = item.stringValue, let kinds = NotificationRoute.shorthand[word] else {
                throw DocumentError(field: "notify.on", "takes fail, recover and success")
            }
            events.formUnion(kinds)
        }
        guard let names = object["channels"]?.arrayValue, !names.isEmpty, names.allSatisfy({ !($0.stringValue ?? "").isEmpty }) else {
            throw DocumentError(field: "notify.channels", "is required: the names of channels in keepwatch.yaml or made through the API")
        }
        self.init(events: events.isEmpty ? Self.defaultEvents : events, channels: names.compactMap(\.stringValue))
    }

    /// An mgob plan's `smtp` and `slack` blocks, as channels of the plan's own.
    public static func mgob(plan id: String, smtp: [String: JSONValue]?, slack: [String: JSONValue]?) throws(DocumentError) -> JobNotify? {
        var own: [ChannelDefinition] = []
        var failuresOnly = true
        if let smtp {
            var fields: [String: JSONValue] = ["name": .string("plan-\(id)-smtp"), "kind": "smtp", "group_window": 0]
            fields["host"] = smtp["server"]
            if let port = smtp["port"] { fields["port"] = port.stringValue.flatMap { Double($0) }.map(JSONValue.number) ?? port }
            for key in ["username", "password", "from", "to"] { fields[key] = smtp[key] }
            if smtp["tlsEnabled"] == .bool(false) { fields["tls"] = "none" }
            if smtp["insecureSkipVerify"] == .bool(true) { fields["tls_insecure"] = true }
            do {
                own.append(try ChannelDefinition(json: .object(fields.filter { $0.value != .null })))
            } catch {
                throw DocumentError(field: "smtp.\(error.field == "host" ? "server" : error.field)", error.message)
            }
            failuresOnly = failuresOnly && smtp["warnOnly"] == .bool(true)
        }
        if let slack {
            do {
                own.append(try ChannelDefinition(json: ["name": .string("plan-\(id)-slack"), "kind": "slack", "url": slack["url"] ?? .null, "group_window": 0]))
            } catch {
                throw DocumentError(field: "slack.\(error.field)", error.message)
            }
            failuresOnly = failuresOnly && slack["warnOnly"] == .bool(true)
        }
        guard !own.isEmpty else { return nil }
        let events = failuresOnly ? NotificationRoute.shorthand["fail", default: []]
            : defaultEvents.union(NotificationRoute.shorthand["success", default: []])
        return JobNotify(events: events, channels: own.map(\.name), own: own)
    }
}
