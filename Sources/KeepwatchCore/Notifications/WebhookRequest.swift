/// The HTTP request a `slack` or `webhook` channel sends for a message: its own template with placeholders, or a
/// preset's body (ntfy, Gotify, Discord, Microsoft Teams, PagerDuty Events v2). Secrets come in resolved.
public struct WebhookRequest: Sendable, Equatable {
    public var method: String
    public var url: String
    public var headers: [(String, String)]
    public var body: String?

    public static func == (lhs: WebhookRequest, rhs: WebhookRequest) -> Bool {
        lhs.method == rhs.method && lhs.url == rhs.url && lhs.body == rhs.body
            && lhs.headers.map { "\($0.0): \($0.1)" } == rhs.headers.map { "\($0.0): \($0.1)" }
    }

    public static func slack(url: String, message: NotificationMessage) -> WebhookRequest {
        WebhookRequest(method: "POST", url: url, headers: [("Content-Type", "application/json")], body: JSONWriter.text(message.slack))
    }

    public static func webhook(_ hook: ChannelDefinition.Webhook, url: String, routingKey: String?, message: NotificationMessage) -> WebhookRequest {
        if let preset = hook.preset {
            var request = presetRequest(preset, url: url, routingKey: routingKey ?? "", message: message)
            for (name, value) in hook.headers { request.set(name, message.fill(value)) }
            return request
        }
        var headers = hook.headers.sorted { $0.key < $1.key }.map { ($0.key, message.fill($0.value)) }
        let contentType = headers.first { $0.0.lowercased() == "content-type" }?.1.lowercased()
        var body: String?
        if let template = hook.body, hook.method != "GET" {
            let trimmed = template.drop { $0 == " " || $0 == "\n" || $0 == "\t" }
            let isJSON = contentType.map { $0.contains("json") } ?? (trimmed.hasPrefix("{") || trimmed.hasPrefix("["))
            body = message.fill(template, json: isJSON)
            if contentType == nil { headers.append(("Content-Type", isJSON ? "application/json" : "text/plain; charset=utf-8")) }
        } else if hook.method != "GET" {
            body = JSONWriter.text(["subject": .string(message.subject), "status": .string(message.status), "node": .string(message.node),
                                    "url": .string(message.nodeURL), "events": .array(message.events.map(\.json))])
            if contentType == nil { headers.append(("Content-Type", "application/json")) }
        }
        return WebhookRequest(method: hook.method, url: message.fill(url, urlEncoded: true), headers: headers, body: body)
    }

    mutating func set(_ name: String, _ value: String) {
        headers.removeAll { $0.0.lowercased() == name.lowercased() }
        headers.append((name, value))
    }

    static func presetRequest(_ preset: ChannelDefinition.Preset, url: String, routingKey: String, message: NotificationMessage) -> WebhookRequest {
        let failing = message.failing
        let json: JSONValue
        switch preset {
        case .ntfy:
            // ntfy takes the message as the body and the rest as headers.
            return WebhookRequest(method: "POST", url: url, headers: [
                ("Title", Self.latin1(message.subject)), ("Priority", failing ? "high" : "default"),
                ("Tags", failing ? "rotating_light" : "white_check_mark"), ("Content-Type", "text/plain; charset=utf-8"),
            ] + (message.nodeURL.isEmpty ? [] : [("Click", message.nodeURL)]), body: message.text)
        case .gotify:
            json = ["title": .string(message.subject), "message": .string(message.text), "priority": .number(failing ? 8 : 4)]
        case .discord:
            json = ["username": .string(message.node), "content": .string(message.subject),
                    "embeds": .array(message.events.prefix(10).map { event in
                        ["title": .string("\(event.target): \(NotificationMessage.words(event.kind))"), "description": .string(event.message),
                         "color": .number(event.kind.severity == .failure ? 0xC0392B : 0x1E8449)]
                    })]
        case .teams:
            json = ["@type": "MessageCard", "@context": "https://schema.org/extensions", "themeColor": .string(failing ? "C0392B" : "1E8449"),
                    "summary": .string(message.subject), "title": .string(message.subject), "text": .string(message.text.replacing("\n", with: "<br>"))]
        case .pagerduty:
            let first = message.events.first
            json = ["routing_key": .string(routingKey), "event_action": .string(failing ? "trigger" : "resolve"),
                    "dedup_key": .string("keepwatch/\(first?.source ?? "local")/\(first?.target ?? message.name)"),
                    "payload": ["summary": .string(String(message.subject.prefix(1024))), "source": .string(message.node),
                                "severity": .string(failing ? "critical" : "info"),
                                "timestamp": .string(ISO8601.formatUTC(Instant(secondsSince1970: message.now))),
                                "custom_details": ["events": .array(message.events.map(\.json))]],
                    "client": "Keepwatch", "client_url": .string(message.nodeURL)]
        }
        return WebhookRequest(method: "POST", url: url, headers: [("Content-Type", "application/json")], body: JSONWriter.text(json))
    }

    /// Header values are Latin-1 on the wire; anything else becomes `?`.
    static func latin1(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value < 256 && $0.value >= 32 ? Character($0) : "?" })
    }
}
