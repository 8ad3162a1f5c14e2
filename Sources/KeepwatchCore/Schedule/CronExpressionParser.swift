/// Reads classic cron expressions: 5 fields (minute hour day-of-month month day-of-week) or 6 with
/// seconds first, with lists, ranges, steps, names, `?`, `L`, `LW`, `5L`, `5#2` and the `@` macros.
public enum CronExpressionParser {
    public static let macros: [String: String] = [
        "@YEARLY": "0 0 1 1 *", "@ANNUALLY": "0 0 1 1 *", "@MONTHLY": "0 0 1 * *",
        "@WEEKLY": "0 0 * * 0", "@DAILY": "0 0 * * *", "@MIDNIGHT": "0 0 * * *", "@HOURLY": "0 * * * *",
    ]

    public static func parse(_ expression: String) throws(ScheduleError) -> CronSpec {
        let fields = try split(expression)
        let hasSeconds = fields.count == 6
        let parts = hasSeconds ? fields : ["0"] + fields
        var spec = CronSpec()
        spec.seconds = try plainBits(parts[0], .second)
        spec.minutes = try plainBits(parts[1], .minute)
        spec.hours = UInt32(truncatingIfNeeded: try plainBits(parts[2], .hour))
        spec.months = UInt16(truncatingIfNeeded: try plainBits(parts[4], .month))
        spec.monthDays = try dayRule(parts[3], .dayOfMonth)
        spec.weekdays = try dayRule(parts[5], .dayOfWeek)
        spec.daysMatchBoth = isWildcard(parts[3]) || isWildcard(parts[5])
        spec.firesOncePerWallClockTime = !hasSeconds && !parts[1].hasPrefix("*") && !parts[2].hasPrefix("*")
        try checkDaysCanOccur(spec)
        return spec
    }

    /// Upper-cased fields, macros expanded, spaces after commas dropped.
    static func split(_ expression: String) throws(ScheduleError) -> [Substring] {
        var fields: [Substring] = []
        for token in expression.uppercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
            if let last = fields.last, last.hasSuffix(",") {
                fields[fields.count - 1] = Substring(last + token)
            } else {
                fields.append(token)
            }
        }
        let trimmed = fields.joined(separator: " ")
        if trimmed.hasPrefix("@") {
            if let expanded = macros[trimmed] { return expanded.split(separator: " ") }
            if trimmed == "@REBOOT" {
                throw ScheduleError(field: "expression", "@reboot is not supported: a Keepwatch schedule needs a clock time")
            }
            throw ScheduleError(field: "expression",
                                "unknown macro '\(expression)' (use @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or @every 1h30m)")
        }
        guard fields.count == 5 || fields.count == 6 else {
            throw ScheduleError(field: "expression",
                                "expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, got \(fields.count)")
        }
        return fields
    }

    private static func isWildcard(_ field: Substring) -> Bool {
        field.hasPrefix("*") || field.hasPrefix("?")
    }

    /// A field that allows only numbers, names, `*`, ranges, steps and lists.
    private static func plainBits(_ text: Substring, _ field: CronField) throws(ScheduleError) -> UInt64 {
        var bits: UInt64 = 0
        for term in try terms(text, field) {
            if term == "?" { throw field.error("? is only allowed in day-of-month and day-of-week") }
            if field.names.isEmpty, term.contains("L") || term.contains("#") || term.contains("W") {
                throw field.error("'\(term)' is only allowed in day-of-month or day-of-week")
            }
            bits |= try rangeBits(term, field)
        }
        return bits
    }

    private static func terms(_ text: Substring, _ field: CronField) throws(ScheduleError) -> [Substring] {
        let terms = text.split(separator: ",", omittingEmptySubsequences: false)
        if terms.contains(where: \.isEmpty) { throw field.error("empty entry in list '\(text)'") }
        return terms
    }

    /// `*`, `a`, `a-b`, each optionally with `/step`.
    static func rangeBits(_ term: Substring, _ field: CronField) throws(ScheduleError) -> UInt64 {
        var base = term
        var step = 1
        if let slash = term.firstIndex(of: "/") {
            base = term[..<slash]
            let stepText = term[term.index(after: slash)...]
            guard !stepText.isEmpty, stepText.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), stepText.count <= 4,
                  let value = Int(stepText) else {
                throw field.error("step '\(stepText)' in '\(term)' is not a number")
            }
            guard value >= 1 else { throw field.error("step 0 in '\(term)' must be at least 1") }
            step = value
        }
        let low: Int
        let high: Int
        if base == "*" || base == "?" {
            (low, high) = (field.range.lowerBound, field.range.upperBound)
        } else if let dash = base.firstIndex(of: "-") {
            low = try field.value(base[..<dash])
            high = try field.value(base[base.index(after: dash)...])
            guard low <= high else { throw field.error("range \(base) runs backwards (\(low) is after \(high))") }
        } else {
            low = try field.value(base)
            high = step > 1 ? field.range.upperBound : low
        }
        return field.bits(from: low, through: high, step: step)
    }

    private static func dayRule(_ text: Substring, _ field: CronField) throws(ScheduleError) -> DayRule {
        var rule = DayRule()
        let isWeekday = field.name == CronField.dayOfWeek.name
        for term in try terms(text, field) {
            if isWeekday {
                try addWeekdayTerm(term, to: &rule)
            } else if term == "L" {
                rule.lastDayOfMonth = true
            } else if term == "LW" {
                rule.lastWorkdayOfMonth = true
            } else {
                if term.contains("L") || term.contains("W") || term.contains("#") {
                    throw field.error("'\(term)' is not understood (day-of-month takes numbers, ranges, steps, L and LW)")
                }
                rule.days |= UInt32(truncatingIfNeeded: try rangeBits(term, field))
            }
        }
        return rule
    }

    private static func addWeekdayTerm(_ term: Substring, to rule: inout DayRule) throws(ScheduleError) {
        let field = CronField.dayOfWeek
        if term.count > 1, term.hasSuffix("L") {
            let weekday = try field.value(term.dropLast()) % 7
            rule.lastWeekdays |= 1 << weekday
        } else if let hash = term.firstIndex(of: "#") {
            let weekday = try field.value(term[..<hash]) % 7
            let nthText = term[term.index(after: hash)...]
            guard let nth = Int(nthText), (1...5).contains(nth) else {
                throw field.error("'#\(nthText)' in '\(term)' must be #1 to #5")
            }
            rule.nthWeekdays |= 1 << UInt64(weekday * 5 + nth - 1)
        } else {
            if term.contains("L") && !CronField.weekdayNames.contains(where: { term.contains($0) }) {
                throw field.error("'\(term)' is not understood (use 5L for the last Friday)")
            }
            let bits = try rangeBits(term, field)
            rule.weekdays |= UInt8(truncatingIfNeeded: bits & 0x7F) | (bits & (1 << 7) != 0 ? 1 : 0)
        }
    }

    /// With both day fields required, a day number that no selected month has can never fire.
    private static func checkDaysCanOccur(_ spec: CronSpec) throws(ScheduleError) {
        let rule = spec.monthDays
        guard spec.daysMatchBoth, rule.days != 0, !rule.lastDayOfMonth, !rule.lastWorkdayOfMonth else { return }
        let firstDay = rule.days.trailingZeroBitCount
        let longest = (1...12).filter { spec.months & (1 << $0) != 0 }
            .map { CivilCalendar.daysInMonth(year: 2000, month: $0) }.max() ?? 31
        if firstDay > longest {
            throw ScheduleError(field: "day-of-month", "day \(firstDay) never occurs in the selected months")
        }
    }
}
