/// A heartbeat check as Keepwatch's own API and keepwatch.yaml give it: `period` (Healthchecks's `timeout`) and
/// `grace` as seconds or periods such as `90s` or `1h30m`, from one second; `tags` as a list or one space-separated
/// text; unknown keys refused. Read into the Healthchecks spec, so both APIs change checks by the same rules.
public enum NativeHeartbeatSpec {
    /// Keys a heartbeat check takes, and keys its document shows that are ignored on write.
    public static let writableKeys: Set<String> = ["kind", "name", "slug", "tags", "desc", "period", "grace", "schedule", "tz", "methods",
                                                   "manual_resume", "start_kw", "success_kw", "failure_kw", "filter_http_body",
                                                   "filter_default_fail"]
    public static let shownKeys: Set<String> = ["id", "status", "started", "n_pings", "ping_url", "last_ping", "next_ping", "last_duration",
                                                "history", "pings"]

    /// `extraKeys` are taken and left to the caller (keepwatch.yaml's `uuid`). With `now` (Unix seconds), a schedule
    /// that will not fire again is refused: Healthchecks takes one that fired once after 2000, which never goes down.
    public static func parse(_ body: JSONValue, extraKeys: Set<String> = [], now: Int64? = nil) throws(HeartbeatSpec.Invalid) -> HeartbeatSpec {
        guard case .object(var fields) = body else { throw HeartbeatSpec.Invalid(message: "send the check as a JSON object") }
        for key in fields.keys.sorted() where !writableKeys.contains(key) && !shownKeys.contains(key) && !extraKeys.contains(key) {
            throw HeartbeatSpec.Invalid(message: "unknown key \(key) (a heartbeat check takes \(writableKeys.union(extraKeys).sorted().joined(separator: ", ")))",
                                        field: key)
        }
        for key in shownKeys.union(extraKeys) { fields[key] = nil }
        if let kind = fields.removeValue(forKey: "kind"), kind != .string("heartbeat") {
            let promise = kind == .string("promise") ? "; a promise is an executable in the promise directory" : ""
            throw HeartbeatSpec.Invalid(message: "must be heartbeat, \(BuiltInCheck.kinds.joined(separator: ", "))\(promise)", field: "kind")
        }
        if fields["period"] != nil && fields["schedule"] != nil {
            throw HeartbeatSpec.Invalid(message: "give a period or a schedule, not both", field: "period")
        }
        for key in ["period", "grace"] { try readSeconds(key, in: &fields) }
        if let period = fields.removeValue(forKey: "period") { fields["timeout"] = period }
        if let tags = fields["tags"] {
            switch tags {
            case .string: break
            case .array(let items) where items.allSatisfy({ $0.stringValue != nil }):
                fields["tags"] = .string(items.compactMap(\.stringValue).joined(separator: " "))
            default: throw HeartbeatSpec.Invalid(message: "tags must be a list of texts or one space-separated text", field: "tags")
            }
        }
        for key in ["name", "slug", "tags", "desc"] {
            if let text = fields[key]?.stringValue, text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                throw HeartbeatSpec.Invalid(message: "\(key) must not contain control characters", field: key)
            }
        }
        let spec: HeartbeatSpec
        do {
            spec = try HeartbeatSpec(json: .object(fields), minimumSeconds: 1)
        } catch {
            throw renamed(error)
        }
        if let now, let schedule = spec.schedule, !HeartbeatSpec.fires(schedule, after: now) {
            throw HeartbeatSpec.Invalid(message: "schedule will not fire again (its last time has passed)", field: "schedule")
        }
        return spec
    }

    /// A period given as text (`90s`, `1h30m`, or digits) becomes its seconds.
    static func readSeconds(_ key: String, in fields: inout [String: JSONValue]) throws(HeartbeatSpec.Invalid) {
        guard case .string(let text)? = fields[key] else { return }
        if let seconds = Int64(text) {
            fields[key] = .number(Double(seconds))
            return
        }
        do {
            fields[key] = .number(Double(try IntervalRule.parsePeriod(text, field: key, example: "90s")))
        } catch {
            throw HeartbeatSpec.Invalid(message: error.message, field: key)
        }
    }

    /// Healthchecks's words, with its field names turned into this API's (`timeout` is `period` here).
    static func renamed(_ error: HeartbeatSpec.Invalid) -> HeartbeatSpec.Invalid {
        let field = error.field == "timeout" ? "period" : error.field
        var words = error.message.replacing("json validation error: ", with: "")
        if let given = error.field, let field { words = words.replacing(given + " ", with: field + " ") }
        if field == "schedule" {
            words = "schedule is not a cron expression (5 fields: minute hour day month weekday) or an OnCalendar expression that fires"
        }
        return HeartbeatSpec.Invalid(message: words, field: field)
    }
}
