/// One message for one channel: the events that fell due together, in the words each channel kind takes. A
/// failure among them makes the whole message a failure (red, `DOWN`); the subject names the target and the state.
public struct NotificationMessage: Sendable, Equatable {
    public var events: [NotificationEvent]
    /// The node's name and where its page is.
    public var node: String
    public var nodeURL: String
    /// When the message is sent (Unix seconds): `$NOW`.
    public var now: Int64
    /// A reminder repeats a problem that is still open.
    public var reminder: Bool

    public init(events: [NotificationEvent], node: String, nodeURL: String, now: Int64, reminder: Bool = false) {
        self.events = events
        self.node = node
        self.nodeURL = nodeURL
        self.now = now
        self.reminder = reminder
    }

    public var failing: Bool { events.contains { $0.kind.severity == .failure } }
    public var status: String { failing ? "down" : "up" }

    /// The target of a single event, else `3 events`.
    public var name: String {
        events.count == 1 ? events[0].target : "\(events.count) events"
    }

    public var subject: String {
        let head = reminder ? "Reminder: " : ""
        guard events.count == 1, let event = events.first else {
            let failures = events.filter { $0.kind.severity == .failure }.count
            let targets = Self.distinct(events.map(\.target))
            let listed = targets.prefix(3).joined(separator: ", ") + (targets.count > 3 ? ", …" : "")
            return "\(head)\(failing ? "DOWN" : "UP") | \(events.count) events (\(failures) failing): \(listed)"
        }
        return "\(head)\(event.kind.status.uppercased()) | \(event.target) (\(Self.words(event.kind)))"
    }

    /// `run failed`, `check down`, …
    public static func words(_ kind: NotificationEvent.Kind) -> String {
        kind.rawValue.replacing("_", with: " ")
    }

    static func distinct(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }

    /// The plain-text body: one line per event, then where to look.
    public var text: String {
        var lines = reminder ? ["Still not resolved:", ""] : []
        for event in events {
            lines.append("- \(Self.words(event.kind).capitalizedFirst): \(event.targetKind.rawValue) \(event.target)"
                         + (event.source == "local" ? "" : " on \(event.source)") + " at \(ISO8601.formatUTC(Instant(secondsSince1970: event.at)))")
            if !event.message.isEmpty { lines.append("  \(event.message)") }
            if !event.url.isEmpty { lines.append("  \(event.url)") }
        }
        lines += ["", "— \(node)" + (nodeURL.isEmpty ? "" : " (\(nodeURL))")]
        return lines.joined(separator: "\n") + "\n"
    }

    public var html: String {
        var rows = ""
        for event in events {
            let color = event.kind.severity == .failure ? "#c0392b" : "#1e8449"
            let target = event.url.isEmpty ? Self.escaped(event.target) : "<a href=\"\(Self.escaped(event.url))\">\(Self.escaped(event.target))</a>"
            rows += "<tr><td style=\"color:\(color);font-weight:bold\">\(Self.escaped(Self.words(event.kind)))</td>"
            rows += "<td>\(Self.escaped(event.targetKind.rawValue)) \(target)\(event.source == "local" ? "" : " on " + Self.escaped(event.source))</td>"
            rows += "<td>\(Self.escaped(event.message))</td>"
            rows += "<td>\(Self.escaped(ISO8601.formatUTC(Instant(secondsSince1970: event.at))))</td></tr>"
        }
        let footer = nodeURL.isEmpty ? Self.escaped(node) : "<a href=\"\(Self.escaped(nodeURL))\">\(Self.escaped(node))</a>"
        return """
            <!DOCTYPE html><html><body style="font-family:sans-serif">\
            <h2>\(Self.escaped(subject))</h2>\
            <table cellpadding="4" style="border-collapse:collapse">\
            <tr><th align="left">event</th><th align="left">what</th><th align="left">why</th><th align="left">when (UTC)</th></tr>\(rows)</table>\
            <p>\(footer)</p></body></html>
            """
    }

    /// Slack's incoming-webhook payload (Mattermost and Rocket.Chat take it too): one attachment per event.
    public var slack: JSONValue {
        let attachments: [JSONValue] = events.map { event in
            let failing = event.kind.severity == .failure
            var fields: [JSONValue] = [["title": "Event", "value": .string(Self.words(event.kind)), "short": true],
                                       ["title": "Source", "value": .string(event.source), "short": true]]
            if !event.tags.isEmpty { fields.append(["title": "Tags", "value": .string(event.tags.map { "`\($0)`" }.joined(separator: " ")), "short": true]) }
            var attachment: [String: JSONValue] = [
                "color": .string(failing ? "danger" : "good"),
                "fallback": .string("\(event.target) is \(event.kind.status.uppercased()): \(event.message)"),
                "title": .string("“\(event.target)” is \(event.kind.status.uppercased()) (\(Self.words(event.kind)))"),
                "text": .string(event.message), "fields": .array(fields), "mrkdwn_in": ["fields"], "ts": .number(Double(event.at)),
            ]
            if !event.url.isEmpty { attachment["title_link"] = .string(event.url) }
            return .object(attachment)
        }
        return ["username": .string(node), "text": .string(subject + (nodeURL.isEmpty ? "" : " — <\(nodeURL)|\(node)>")),
                "attachments": .array(attachments)]
    }

    /// The values of a webhook's placeholders and of a command's environment.
    public var placeholders: [(String, String)] {
        let sources = Self.distinct(events.map(\.source)).joined(separator: ", ")
        return [("$NAME", name), ("$STATUS", status), ("$MESSAGE", events.count == 1 ? events[0].message : text),
                ("$SOURCE", sources), ("$TARGET", Self.distinct(events.map(\.target)).joined(separator: ", ")),
                ("$URL", events.count == 1 && !events[0].url.isEmpty ? events[0].url : nodeURL),
                ("$NOW", ISO8601.formatUTC(Instant(secondsSince1970: now))), ("$SUBJECT", subject),
                ("$EVENTS", JSONWriter.text(.array(events.map(\.json))))]
    }

    /// Replaces the placeholders in one pass, left to right, each value inserted as it is (never read again), as
    /// Healthchecks does; `json` escapes each value for a JSON string, `urlEncoded` for a URL.
    public func fill(_ template: String, json: Bool = false, urlEncoded: Bool = false) -> String {
        let values = placeholders.sorted { $0.0.count > $1.0.count }
        var result = ""
        var rest = Substring(template)
        while let dollar = rest.firstIndex(of: "$") {
            result += rest[..<dollar]
            rest = rest[dollar...]
            guard let (key, value) = values.first(where: { rest.hasPrefix($0.0) }) else {
                result.append("$")
                rest = rest.dropFirst()
                continue
            }
            // $EVENTS is JSON already: in a JSON body it goes in as it is (written without quotes).
            result += json && key != "$EVENTS" ? Self.jsonEscaped(value) : urlEncoded ? Self.percentEncoded(value) : value
            rest = rest.dropFirst(key.count)
        }
        return result + rest
    }

    static func jsonEscaped(_ value: String) -> String {
        let quoted = JSONWriter.text(.string(value))
        return String(quoted.dropFirst().dropLast())
    }

    static func percentEncoded(_ value: String) -> String {
        var result = ""
        for byte in value.utf8 {
            if Self.unreserved.contains(byte) {
                result.append(Character(Unicode.Scalar(byte)))
            } else {
                let hex = Array("0123456789ABCDEF")
                result += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 15)])
            }
        }
        return result
    }

    static let unreserved = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8))

    static func escaped(_ text: String) -> String { MonitorDocuments.escaped(text) }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
