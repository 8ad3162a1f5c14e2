/// When a job or check fires: a cron rule, a fixed interval or one date, in a time zone,
/// optionally limited to a window between a start and an end date (both inclusive).
public struct Schedule: Hashable, Sendable {
    public enum Rule: Hashable, Sendable {
        case cron(CronSpec)
        case interval(IntervalRule)
        case once(Instant)
    }

    public var rule: Rule
    public var zone: ZoneRules
    public var start: Instant?
    public var end: Instant?
    /// The text the rule was written as, for descriptions.
    public var source: String

    public init(rule: Rule, zone: ZoneRules = .utc, start: Instant? = nil, end: Instant? = nil, source: String) {
        self.rule = rule
        self.zone = zone
        self.start = start
        self.end = end
        self.source = source
    }

    /// The first fire time strictly after `instant`, or nil when the schedule has no more.
    public func next(after instant: Instant) -> Instant? {
        var after = instant
        if let start, after < start { after = start.adding(seconds: -1) }
        let fire: Instant?
        switch rule {
        case .cron(let spec):
            fire = spec.nextInstant(after: after.secondsSince1970, in: zone).map(Instant.init(secondsSince1970:))
        case .interval(let interval):
            fire = interval.next(after: after)
        case .once(let date):
            fire = date > after ? date : nil
        }
        guard let fire else { return nil }
        if let end, fire > end { return nil }
        return fire
    }

    /// Up to `count` fire times after `instant`, ascending.
    public func upcoming(after instant: Instant, count: Int) -> [Instant] {
        var result: [Instant] = []
        result.reserveCapacity(max(0, min(count, 10_000)))
        var cursor = instant
        while result.count < count, let fire = next(after: cursor) {
            result.append(fire)
            cursor = fire
        }
        return result
    }
}

extension Schedule {
    /// A cron expression (5 or 6 fields, or a macro, or `@every 1h30m` anchored at `start` or `createdAt`).
    public static func cron(_ expression: String, timeZone: String = "UTC", start: String? = nil,
                            end: String? = nil, createdAt: Instant) throws(ScheduleError) -> Schedule {
        let zone = try zoneRules(timeZone, field: "time zone")
        let window = try Window(start: start, end: end, zone: zone, startField: "start", endField: "end")
        let trimmed = expression.trimmingSpaces
        if trimmed.lowercased().hasPrefix("@every") {
            let seconds = try IntervalRule.parseEvery(trimmed)
            let interval = IntervalRule(seconds: seconds, anchor: window.start ?? createdAt, firesAtAnchor: window.start != nil)
            return Schedule(rule: .interval(interval), zone: zone, start: window.start, end: window.end, source: trimmed)
        }
        let spec = try CronExpressionParser.parse(trimmed)
        return Schedule(rule: .cron(spec), zone: zone, start: window.start, end: window.end, source: trimmed)
    }

    static func zoneRules(_ identifier: String, field: String) throws(ScheduleError) -> ZoneRules {
        do {
            return try ZoneDatabase.rules(for: identifier)
        } catch {
            throw ScheduleError(field: field, error.description)
        }
    }

    static func instant(_ text: String, zone: ZoneRules, field: String) throws(ScheduleError) -> Instant {
        do {
            return try ISO8601.parse(text).instant(in: zone)
        } catch {
            throw ScheduleError(field: field, error.description)
        }
    }

    struct Window {
        var start: Instant?
        var end: Instant?

        init(start: String?, end: String?, zone: ZoneRules, startField: String, endField: String) throws(ScheduleError) {
            self.start = try start.map { text throws(ScheduleError) in try Schedule.instant(text, zone: zone, field: startField) }
            self.end = try end.map { text throws(ScheduleError) in try Schedule.instant(text, zone: zone, field: endField) }
            if let from = self.start, let until = self.end, until < from {
                throw ScheduleError(field: endField, "\(until) is before the start \(from)")
            }
        }
    }
}

extension String {
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
