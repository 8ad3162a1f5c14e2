/// A check as the Healthchecks management API creates or changes it (`POST /api/v3/checks/`): only the fields
/// given change. Read strictly, as Healthchecks reads it; the first bad field (in Healthchecks's field order) is
/// reported in its words, `json validation error: grace is too small`.
public struct HeartbeatSpec: Sendable, Equatable {
    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public let message: String
        /// The field at fault (`unique` for one of its items), when one is.
        public var field: String?
        public var description: String { message }

        public init(message: String, field: String? = nil) {
            self.message = message
            self.field = field
        }
    }

    public var channels: String?
    public var desc: String?
    public var failureKeywords: String?
    public var filterSubject: Bool?
    public var filterBody: Bool?
    public var filterHTTPBody: Bool?
    public var filterDefaultFail: Bool?
    public var grace: Int64?
    public var manualResume: Bool?
    public var methods: String?
    public var name: String?
    public var schedule: String?
    public var slug: String?
    public var startKeywords: String?
    public var subject: String?
    public var subjectFail: String?
    public var successKeywords: String?
    public var tags: String?
    public var timeout: Int64?
    public var tz: String?
    public var unique: [String]?

    public init() {}

    /// Periods and grace times are 60 s to a year, as Healthchecks takes them; Keepwatch's own API goes down to
    /// `minimumSeconds` (tests and quick jobs).
    public init(json: JSONValue, minimumSeconds: Double = 60) throws(Invalid) {
        guard case .object(let fields) = json else {
            throw Invalid(message: "json validation error: value is not an object")
        }
        func fail(_ field: String, _ words: String) -> Invalid { Invalid(message: "json validation error: \(field) \(words)", field: field) }
        func text(_ key: String, max: Int? = nil) throws(Invalid) -> String? {
            guard let value = fields[key] else { return nil }
            guard case .string(let text) = value else { throw fail(key, "is not a string") }
            if let max, text.unicodeScalars.count > max { throw fail(key, "is too long") }
            return text
        }
        func flag(_ key: String) throws(Invalid) -> Bool? {
            guard let value = fields[key] else { return nil }
            guard case .bool(let flag) = value else { throw fail(key, "is not a boolean") }
            return flag
        }
        func seconds(_ key: String) throws(Invalid) -> Int64? {
            guard let value = fields[key] else { return nil }
            let number: Double
            switch value {
            case .number(let given) where given == given.rounded(): number = given
            default: throw fail(key, "is not a number")
            }
            if number < minimumSeconds { throw fail(key, "is too small") }
            if number > 31_536_000 { throw fail(key, "is too large") }
            return Int64(number)
        }
        channels = try text("channels")
        desc = try text("desc")
        failureKeywords = try text("failure_kw", max: 200)
        filterSubject = try flag("filter_subject")
        filterBody = try flag("filter_body")
        filterHTTPBody = try flag("filter_http_body")
        filterDefaultFail = try flag("filter_default_fail")
        grace = try seconds("grace")
        manualResume = try flag("manual_resume")
        if let value = fields["methods"] {
            guard case .string(let method) = value, method == "" || method == "POST" else { throw fail("methods", "has unexpected value") }
            methods = method
        }
        name = try text("name", max: 100)
        schedule = try text("schedule", max: 100)
        if let schedule, !Self.fires(schedule) {
            throw fail("schedule", "is not a valid cron or OnCalendar expression")
        }
        slug = try text("slug", max: 100)
        if let slug, !slug.utf8.allSatisfy({ Self.slugBytes.contains($0) }) { throw fail("slug", "does not match pattern") }
        startKeywords = try text("start_kw", max: 200)
        subject = try text("subject", max: 200)
        subjectFail = try text("subject_fail", max: 200)
        successKeywords = try text("success_kw", max: 200)
        tags = try text("tags")
        timeout = try seconds("timeout")
        tz = try text("tz")
        if let tz, (try? ZoneDatabase.rules(for: tz)) == nil { throw fail("tz", "is not a valid timezone") }
        if let value = fields["unique"] {
            guard case .array(let items) = value else { throw fail("unique", "is not an array") }
            unique = try items.map { item throws(Invalid) -> String in
                guard case .string(let field) = item, Self.uniqueFields.contains(field) else {
                    throw Invalid(message: "json validation error: an item in 'unique' has unexpected value", field: "unique")
                }
                return field
            }
        }
    }

    static let uniqueFields: Set<String> = ["name", "slug", "tags", "timeout", "grace"]
    static let slugBytes = Set(Array("abcdefghijklmnopqrstuvwxyz0123456789-_".utf8))

    /// Whether a schedule can fire: as Healthchecks checks it, it has a date after 2000-01-01 UTC.
    static func fires(_ schedule: String, after instant: Int64 = 946_684_800) -> Bool {
        guard looksLikeCron(schedule) else {
            return (try? OnCalendarSchedule.parse(schedule))?.next(after: instant, in: .utc) != nil
        }
        return (try? CronExpressionParser.parse(schedule))?.nextInstant(after: instant, in: .utc) != nil
    }

    /// One line of five fields is a cron expression; anything else is systemd OnCalendar lines.
    public static func looksLikeCron(_ schedule: String) -> Bool {
        let trimmed = schedule.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
        return !schedule.trimmingWhitespace.contains("\n") && trimmed.count == 5
    }

    /// Keepwatch's own API and keepwatch.yaml: a name that is a valid slug is also the slug, unless one is given.
    public mutating func takeSlugFromName() {
        guard slug == nil, let name, !name.isEmpty, name.utf8.allSatisfy({ Self.slugBytes.contains($0) }) else { return }
        slug = name
    }

    /// Whether `check` is the one `unique` names: every listed field given, and equal.
    public func matches(_ check: HeartbeatCheck) -> Bool {
        guard let unique, !unique.isEmpty else { return false }
        for field in unique {
            switch field {
            case "name": guard let name, check.name == name else { return false }
            case "slug": guard let slug, check.slug == slug else { return false }
            case "tags": guard let tags, check.tags == tags else { return false }
            case "timeout": guard let timeout, check.kind == .simple, check.timeout == timeout else { return false }
            case "grace": guard let grace, check.grace == grace else { return false }
            default: return false
            }
        }
        return true
    }

    /// Whether every field `unique` lists was given (otherwise no existing check is looked for).
    public var namesEveryUniqueField: Bool {
        guard let unique, !unique.isEmpty else { return false }
        return unique.allSatisfy { field in
            switch field {
            case "name": return name != nil
            case "slug": return slug != nil
            case "tags": return tags != nil
            case "timeout": return timeout != nil
            case "grace": return grace != nil
            default: return false
            }
        }
    }

    /// The given fields written onto `check`.
    public func apply(to check: inout HeartbeatCheck) {
        if let name { check.name = name }
        if let schedule, !schedule.isEmpty {
            check.kind = Self.looksLikeCron(schedule) ? .cron : .oncalendar
            check.schedule = schedule
        } else if let timeout {
            check.kind = .simple
            check.timeout = timeout
        }
        if let subject {
            check.keywords.success = subject
            check.keywords.filterSubject = !check.keywords.success.isEmpty || !check.keywords.failure.isEmpty
        }
        if let subjectFail {
            check.keywords.failure = subjectFail
            check.keywords.filterSubject = !check.keywords.success.isEmpty || !check.keywords.failure.isEmpty
        }
        if let slug { check.slug = slug }
        if let tags { check.tags = tags }
        if let desc { check.desc = desc }
        if let manualResume { check.manualResume = manualResume }
        if let methods { check.methods = methods }
        if let tz { check.tz = tz }
        if let startKeywords { check.keywords.start = startKeywords }
        if let successKeywords { check.keywords.success = successKeywords }
        if let failureKeywords { check.keywords.failure = failureKeywords }
        if let filterSubject { check.keywords.filterSubject = filterSubject }
        if let filterBody { check.keywords.filterBody = filterBody }
        if let filterHTTPBody { check.keywords.filterHTTPBody = filterHTTPBody }
        if let filterDefaultFail { check.keywords.filterDefaultFail = filterDefaultFail }
        if let grace { check.grace = grace }
        if let channels { check.channels = channels }
    }
}
