/// A fixed period in real (UTC) seconds from an anchor: Freezer's `schedule_interval` and cron's `@every`.
public struct IntervalRule: Hashable, Sendable {
    public var seconds: Int64
    public var anchor: Instant
    /// True when the anchor is an explicit start date, which fires itself; a creation-time anchor does not.
    public var firesAtAnchor: Bool

    public init(seconds: Int64, anchor: Instant, firesAtAnchor: Bool) {
        self.seconds = seconds
        self.anchor = anchor
        self.firesAtAnchor = firesAtAnchor
    }

    public func next(after instant: Instant) -> Instant {
        let first = firesAtAnchor ? anchor.secondsSince1970 : anchor.secondsSince1970 + seconds
        let after = instant.secondsSince1970
        if after < first { return Instant(secondsSince1970: first) }
        let periods = (after - first) / seconds + 1
        return Instant(secondsSince1970: first + periods * seconds)
    }

    /// Freezer's form: `continuous` (every second) or `N weeks|days|hours|minutes|seconds` (singular accepted).
    public static func parseFreezerInterval(_ text: String, field: String = "schedule_interval") throws(ScheduleError) -> Int64 {
        let trimmed = text.lowercased().split(separator: " ")
        if trimmed == ["continuous"] { return 1 }
        let units: [String: Int64] = ["week": 604_800, "day": 86_400, "hour": 3_600, "minute": 60, "second": 1]
        guard trimmed.count == 2, let count = Int64(trimmed[0]), count > 0, count < 1_000_000_000 else {
            throw ScheduleError(field: field, "'\(text)' is not 'continuous' or 'N weeks|days|hours|minutes|seconds' with N ≥ 1")
        }
        let unitName = trimmed[1].hasSuffix("s") ? String(trimmed[1].dropLast()) : String(trimmed[1])
        guard let unit = units[unitName] else {
            throw ScheduleError(field: field, "unit '\(trimmed[1])' in '\(text)' is not weeks, days, hours, minutes or seconds")
        }
        return count * unit
    }

    /// cron's `@every 1h30m`: a sequence of `<number><unit>` with units s, m, h, d.
    public static func parseEvery(_ text: String, field: String = "expression") throws(ScheduleError) -> Int64 {
        try parsePeriod(String(text.dropFirst("@every".count)), field: field, shown: text, example: "@every 1h30m")
    }

    /// A period such as `30d`, `12h` or `1h30m` (units d, h, m, s), in seconds.
    public static func parsePeriod(_ text: String, field: String, shown: String? = nil, example: String = "1h30m") throws(ScheduleError) -> Int64 {
        let shown = shown ?? text
        let body = text.lowercased().filter { $0 != " " }
        let units: [Character: Int64] = ["d": 86_400, "h": 3_600, "m": 60, "s": 1]
        var total: Int64 = 0
        var number: Int64?
        for character in body {
            if let digit = character.wholeNumberValue, character.isASCII {
                number = (number ?? 0) * 10 + Int64(digit)
                if number ?? 0 > 1_000_000_000 { throw ScheduleError(field: field, "'\(shown)' is too long a period") }
            } else if let unit = units[character], let value = number {
                total += value * unit
                number = nil
            } else {
                throw ScheduleError(field: field, "'\(shown)' is not a period like \(example) (units d, h, m, s)")
            }
        }
        guard number == nil, total > 0 else {
            throw ScheduleError(field: field, "'\(shown)' is not a period like \(example) (units d, h, m, s), at least 1s")
        }
        return total
    }
}
