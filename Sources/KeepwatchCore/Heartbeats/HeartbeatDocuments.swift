/// Heartbeat checks, pings and flips as JSON: the store's document, and the Healthchecks API's shapes (`Check.to_dict`,
/// `Ping.to_dict`, `Flip.to_dict`) with its time formats.
public enum HeartbeatDocuments {
    /// Where the API's links point: `site_root` + `/api/v3/checks/<uuid>`, `ping_endpoint` + `<uuid>`.
    public struct Links: Sendable {
        public var siteRoot: String
        public var pingEndpoint: String
        public var version: Int

        public init(siteRoot: String, pingEndpoint: String, version: Int = 3) {
            self.siteRoot = siteRoot
            self.pingEndpoint = pingEndpoint
            self.version = version
        }
    }

    /// `2020-03-24T14:02:03+00:00`: seconds, as Healthchecks's `isostring` writes them.
    public static func isoSeconds(_ micros: Int64) -> String {
        ISO8601.format(Instant(secondsSince1970: floorDiv(micros, 1_000_000)), in: .utc)
    }

    /// `2020-03-24T14:02:03.123456+00:00`, or without the fraction when it is zero (Python's `isoformat`).
    public static func isoMicros(_ micros: Int64) -> String {
        let text = isoSeconds(micros)
        let fraction = micros - floorDiv(micros, 1_000_000) * 1_000_000
        guard fraction != 0 else { return text }
        let digits = String(fraction)
        return text.dropLast(6) + "." + String(repeating: "0", count: 6 - digits.count) + digits + "+00:00"
    }

    static func floorDiv(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }

    /// The check as the management API returns it; `readonly` keys (ro API keys) swap the uuid and the URLs for
    /// `unique_key`.
    public static func api(_ check: HeartbeatCheck, status: String, nextPing: Int64?, readonly: Bool, uniqueKey: String,
                           badgeKey: String, links: Links) -> JSONValue {
        var result: [String: JSONValue] = [
            "name": .string(check.name), "slug": .string(check.slug), "tags": .string(check.tags), "desc": .string(check.desc),
            "grace": .number(Double(check.grace)), "n_pings": .number(Double(check.pingCount)), "status": .string(status),
            "started": .bool(check.lastStart != nil), "last_ping": check.lastPing.map { .string(isoSeconds($0)) } ?? .null,
            "next_ping": nextPing.map { .string(isoSeconds($0)) } ?? .null, "manual_resume": .bool(check.manualResume),
            "methods": .string(check.methods),
            "subject": .string(check.keywords.filterSubject ? check.keywords.success : ""),
            "subject_fail": .string(check.keywords.filterSubject ? check.keywords.failure : ""),
            "start_kw": .string(check.keywords.start), "success_kw": .string(check.keywords.success),
            "failure_kw": .string(check.keywords.failure), "filter_subject": .bool(check.keywords.filterSubject),
            "filter_body": .bool(check.keywords.filterBody), "filter_http_body": .bool(check.keywords.filterHTTPBody),
            "filter_default_fail": .bool(check.keywords.filterDefaultFail),
            "badge_url": .string("\(links.siteRoot)/b/2/\(badgeKey).svg"),
        ]
        if let duration = check.lastDuration, duration != 0 { result["last_duration"] = .number(Double(duration)) }
        if readonly {
            result["unique_key"] = .string(uniqueKey)
        } else {
            let update = "\(links.siteRoot)/api/v\(links.version)/checks/\(check.uuid)"
            result["uuid"] = .string(check.uuid)
            result["ping_url"] = .string(links.pingEndpoint + check.uuid)
            result["update_url"] = .string(update)
            result["pause_url"] = .string(update + "/pause")
            result["resume_url"] = .string(update + "/resume")
            result["channels"] = .string(check.channels)
        }
        switch check.kind {
        case .simple: result["timeout"] = .number(Double(check.timeout))
        case .cron, .oncalendar:
            result["schedule"] = .string(check.schedule)
            result["tz"] = .string(check.tz)
        }
        return .object(result)
    }

    /// A ping as `GET /api/v3/checks/<uuid>/pings/` lists it; `duration` in seconds when known.
    public static func api(_ ping: HeartbeatPing, check uuid: String, duration: Double?, links: Links) -> JSONValue {
        var result: [String: JSONValue] = [
            "type": .string(ping.kind.rawValue), "date": .string(isoMicros(ping.created)), "n": .number(Double(ping.number)),
            "scheme": .string(ping.scheme), "remote_addr": .string(ping.remoteAddress), "method": .string(ping.method),
            "ua": .string(ping.userAgent), "rid": ping.rid.map { .string($0) } ?? .null,
            "body_url": ping.body.isEmpty ? .null : .string("\(links.siteRoot)/api/v\(links.version)/checks/\(uuid)/pings/\(ping.number)/body"),
        ]
        if let duration { result["duration"] = .number((duration * 100).rounded() / 100) }
        return .object(result)
    }

    public static func api(_ flip: HeartbeatFlip) -> JSONValue {
        ["timestamp": .string(isoSeconds(flip.created)), "up": .number(flip.up ? 1 : 0)]
    }

    /// Each ping's duration (seconds): back to the nearest earlier start with the same run id, unless a success
    /// or failure with that id came between; within 72 hours; never for the first ping. `pings` newest first.
    public static func durations(_ pings: [HeartbeatPing]) -> [Double?] {
        pings.enumerated().map { index, ping in
            guard ping.kind != .start, ping.kind != .log, ping.kind != .ign, ping.number > 1 else { return nil }
            for earlier in pings[(index + 1)...] where earlier.rid == ping.rid {
                if earlier.kind == .success || earlier.kind == .fail { return nil }
                if earlier.kind == .start {
                    let seconds = Double(ping.created - earlier.created) / 1_000_000
                    return seconds < 72 * 3600 ? seconds : nil
                }
            }
            return nil
        }
    }

    // MARK: - The store's document

    public static func stored(_ check: HeartbeatCheck, badgeKey: String) -> JSONValue {
        var fields: [String: JSONValue] = [
            "uuid": .string(check.uuid), "name": .string(check.name), "slug": .string(check.slug), "tags": .string(check.tags),
            "desc": .string(check.desc), "kind": .string(check.kind.rawValue), "timeout": .number(Double(check.timeout)),
            "grace": .number(Double(check.grace)), "schedule": .string(check.schedule), "tz": .string(check.tz),
            "manual_resume": .bool(check.manualResume), "methods": .string(check.methods), "channels": .string(check.channels),
            "start_kw": .string(check.keywords.start), "success_kw": .string(check.keywords.success),
            "failure_kw": .string(check.keywords.failure), "filter_subject": .bool(check.keywords.filterSubject),
            "filter_body": .bool(check.keywords.filterBody), "filter_http_body": .bool(check.keywords.filterHTTPBody),
            "filter_default_fail": .bool(check.keywords.filterDefaultFail), "status": .string(check.status.rawValue),
            "n_pings": .number(Double(check.pingCount)), "created": .number(Double(check.createdAt)), "badge_key": .string(badgeKey),
        ]
        if let value = check.lastPing { fields["last_ping"] = .number(Double(value)) }
        if let value = check.lastStart { fields["last_start"] = .number(Double(value)) }
        if let value = check.lastStartRID { fields["last_start_rid"] = .string(value) }
        if let value = check.lastDuration { fields["last_duration"] = .number(Double(value)) }
        return .object(fields)
    }

    public struct Corrupt: Error, CustomStringConvertible {
        public let description: String
    }

    /// A check read back from the store, with its badge key.
    public static func check(stored document: JSONValue) throws(Corrupt) -> (HeartbeatCheck, badgeKey: String) {
        guard case .object(let fields) = document, case .string(let uuid)? = fields["uuid"] else {
            throw Corrupt(description: "a heartbeat check without a uuid")
        }
        func text(_ key: String) -> String? { if case .string(let value)? = fields[key] { return value } else { return nil } }
        func flag(_ key: String) -> Bool { if case .bool(let value)? = fields[key] { return value } else { return false } }
        func number(_ key: String) -> Int64? {
            if case .number(let value)? = fields[key], let exact = Int64(exactly: value) { return exact } else { return nil }
        }
        var check = HeartbeatCheck(uuid: uuid, createdAt: number("created") ?? 0)
        check.name = text("name") ?? ""
        check.slug = text("slug") ?? ""
        check.tags = text("tags") ?? ""
        check.desc = text("desc") ?? ""
        check.kind = text("kind").flatMap(HeartbeatCheck.Kind.init(rawValue:)) ?? .simple
        check.timeout = number("timeout") ?? 86_400
        check.grace = number("grace") ?? 3_600
        check.schedule = text("schedule") ?? "* * * * *"
        check.tz = text("tz") ?? "UTC"
        check.manualResume = flag("manual_resume")
        check.methods = text("methods") ?? ""
        check.channels = text("channels") ?? ""
        check.keywords.start = text("start_kw") ?? ""
        check.keywords.success = text("success_kw") ?? ""
        check.keywords.failure = text("failure_kw") ?? ""
        check.keywords.filterSubject = flag("filter_subject")
        check.keywords.filterBody = flag("filter_body")
        check.keywords.filterHTTPBody = flag("filter_http_body")
        check.keywords.filterDefaultFail = flag("filter_default_fail")
        check.status = text("status").flatMap(HeartbeatCheck.StoredStatus.init(rawValue:)) ?? .new
        check.pingCount = number("n_pings") ?? 0
        check.lastPing = number("last_ping")
        check.lastStart = number("last_start")
        check.lastStartRID = text("last_start_rid")
        check.lastDuration = number("last_duration")
        return (check, text("badge_key") ?? uuid)
    }
}
