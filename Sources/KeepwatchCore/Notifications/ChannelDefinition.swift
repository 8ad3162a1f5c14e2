/// A way to tell people: mail (`smtp`), a Slack-style incoming webhook (`slack`; Mattermost and Rocket.Chat take
/// the same), any HTTP endpoint (`webhook`, with presets for ntfy, Gotify, Discord, Microsoft Teams and PagerDuty
/// Events v2) or a program (`command`). Read strictly from keepwatch.yaml's `channels:` or the API; every error
/// names its field. Secrets are given inline, as a file (`password_file`, `url_file`, `routing_key_file`) or as an
/// environment variable (`password_env`, …), and are never part of `shown`.
public struct ChannelDefinition: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case smtp, slack, webhook, command
    }

    public enum TLSMode: String, Sendable, CaseIterable {
        case starttls, implicit, none
    }

    public enum Preset: String, Sendable, CaseIterable {
        case ntfy, gotify, discord, teams, pagerduty
    }

    public struct SMTP: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var tls: TLSMode
        public var username: String?
        public var password: SecretReference?
        public var from: String
        public var to: [String]
        /// Certificates are verified unless this is set (a self-signed test server).
        public var tlsInsecure: Bool
        public var caFile: String?
    }

    public struct Webhook: Sendable, Equatable {
        public var url: SecretReference
        public var method: String
        public var headers: [String: String]
        public var body: String?
        public var preset: Preset?
        public var routingKey: SecretReference?
    }

    public var name: String
    public var kind: Kind
    public var smtp: SMTP?
    /// `slack` and `webhook` channels (a Slack channel is a webhook with Slack's body).
    public var webhook: Webhook?
    public var command: [String]?
    /// Events that arrive within this many seconds for the channel go out as one message.
    public var groupWindow: Int
    /// Seconds between reminders while a target stays down (nil: no reminders).
    public var repeatEvery: Int64?
    public var quietHours: QuietHours?
    /// Seconds a delivery is retried before it is marked failed.
    public var maximumAge: Int64
    /// Seconds a command or an HTTP request may take.
    public var timeout: Int

    public static let defaultGroupWindow = 30
    public static let defaultMaximumAge: Int64 = 86_400
    static let common: Set<String> = ["name", "kind", "group_window", "repeat_every", "quiet_hours", "max_age", "timeout"]
    static let keys: [Kind: Set<String>] = [
        .smtp: ["host", "port", "tls", "username", "password", "password_file", "password_env", "from", "to", "tls_insecure", "ca_file"],
        .slack: ["url", "url_file", "url_env"],
        .webhook: ["url", "url_file", "url_env", "method", "headers", "body", "preset", "routing_key", "routing_key_file", "routing_key_env"],
        .command: ["command"],
    ]

    public init(json: JSONValue) throws(DocumentError) {
        let reader = try ChannelFields(json)
        name = try reader.name()
        guard let kindText = try reader.text("kind") else {
            throw DocumentError(field: "kind", "is required: one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let kind = Kind(rawValue: kindText) else {
            throw DocumentError(field: "kind", "'\(kindText.clipped)' is not one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.kind = kind
        try reader.refuseUnknown(Self.common.union(Self.keys[kind] ?? []))
        groupWindow = try reader.whole("group_window", 0...3_600) ?? Self.defaultGroupWindow
        repeatEvery = try reader.period("repeat_every", minimum: 1)
        maximumAge = try reader.period("max_age", minimum: 1) ?? Self.defaultMaximumAge
        timeout = try reader.whole("timeout", 1...600) ?? 30
        quietHours = try reader.quietHours()
        switch kind {
        case .smtp: smtp = try reader.smtp()
        case .slack: webhook = Webhook(url: try reader.secret("url", required: true, url: true) ?? .inline(""), method: "POST",
                                       headers: [:], body: nil, preset: nil, routingKey: nil)
        case .webhook: webhook = try reader.webhook()
        case .command: command = try reader.command()
        }
    }

    /// What any reply shows: the definition without its secrets (`has_password`, `url: "(secret)"`).
    public var shown: JSONValue {
        var object: [String: JSONValue] = ["name": .string(name), "kind": .string(kind.rawValue), "group_window": .number(Double(groupWindow)),
                                           "max_age": .number(Double(maximumAge)), "timeout": .number(Double(timeout))]
        if let repeatEvery { object["repeat_every"] = .number(Double(repeatEvery)) }
        if let quietHours { object["quiet_hours"] = quietHours.json }
        if let smtp {
            object["host"] = .string(smtp.host)
            object["port"] = .number(Double(smtp.port))
            object["tls"] = .string(smtp.tls.rawValue)
            object["from"] = .string(smtp.from)
            object["to"] = .array(smtp.to.map { .string($0) })
            object["tls_insecure"] = .bool(smtp.tlsInsecure)
            if let username = smtp.username { object["username"] = .string(username) }
            object["has_password"] = .bool(smtp.password != nil)
            if let caFile = smtp.caFile { object["ca_file"] = .string(caFile) }
        }
        if let webhook {
            object["url"] = .string(webhook.url.shown)
            if kind == .webhook {
                object["method"] = .string(webhook.method)
                object["headers"] = .object(webhook.headers.mapValues { _ in .string("(set)") })
                if let body = webhook.body { object["body"] = .string(body) }
                if let preset = webhook.preset { object["preset"] = .string(preset.rawValue) }
                if webhook.routingKey != nil { object["has_routing_key"] = true }
            }
        }
        if let command { object["command"] = .array(command.map { .string($0) }) }
        return .object(object)
    }

    /// Every key, secrets included, as the store keeps it (sealed) and `init(json:)` reads it back.
    public var document: JSONValue {
        guard case .object(var object) = shown else { return shown }
        object["has_password"] = nil
        object["has_routing_key"] = nil
        if let smtp { smtp.password.map { $0.write(into: &object, key: "password") } }
        if let webhook {
            object["url"] = nil
            webhook.url.write(into: &object, key: "url")
            webhook.routingKey.map { $0.write(into: &object, key: "routing_key") }
            if kind == .webhook { object["headers"] = .object(webhook.headers.mapValues { .string($0) }) }
        }
        return .object(object)
    }
}
