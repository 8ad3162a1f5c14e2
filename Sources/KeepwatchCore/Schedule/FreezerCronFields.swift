/// Freezer's cron-like `schedule_*` fields, read with APScheduler's `CronTrigger` meaning:
/// `schedule_day_of_week` numbers Monday as 0, fields after the last given one default to their
/// minimum, fields before it to `*`, and every field must match.
public struct FreezerCronFields: Hashable, Sendable {
    public var year: String?
    public var month: String?
    public var day: String?
    public var week: String?
    public var dayOfWeek: String?
    public var hour: String?
    public var minute: String?
    public var second: String?

    public init(year: String? = nil, month: String? = nil, day: String? = nil, week: String? = nil,
                dayOfWeek: String? = nil, hour: String? = nil, minute: String? = nil, second: String? = nil) {
        (self.year, self.month, self.day, self.week) = (year, month, day, week)
        (self.dayOfWeek, self.hour, self.minute, self.second) = (dayOfWeek, hour, minute, second)
    }

    public var isEmpty: Bool { given.allSatisfy { $0 == nil } }

    /// Fields in APScheduler's order: year, month, day, week, day_of_week, hour, minute, second.
    var given: [String?] { [year, month, day, week, dayOfWeek, hour, minute, second] }

    static let minimumDefaults = ["*", "1", "1", "*", "*", "0", "0", "0"]

    static let fields: [CronField] = [
        CronField(name: "schedule_year", range: 1970...9999, names: [], nameBase: 0),
        CronField(name: "schedule_month", range: 1...12, names: CronField.monthNames, nameBase: 1),
        CronField(name: "schedule_day", range: 1...31, names: [], nameBase: 1),
        CronField(name: "schedule_week", range: 1...53, names: [], nameBase: 1),
        CronField(name: "schedule_day_of_week", range: 0...6,
                  names: ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"], nameBase: 0),
        CronField(name: "schedule_hour", range: 0...23, names: [], nameBase: 0),
        CronField(name: "schedule_minute", range: 0...59, names: [], nameBase: 0),
        CronField(name: "schedule_second", range: 0...59, names: [], nameBase: 0),
    ]

    /// Each field's expression after APScheduler's defaulting, upper-cased, spaces after commas removed.
    func effectiveExpressions() -> [String] {
        let lastGiven = given.lastIndex { $0 != nil } ?? -1
        return given.enumerated().map { index, value in
            if let value { return normalized(value) }
            return index > lastGiven ? Self.minimumDefaults[index] : "*"
        }
    }

    private func normalized(_ value: String) -> String {
        value.uppercased().split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ") }
            .joined(separator: ",")
    }

    public func spec() throws(ScheduleError) -> CronSpec {
        var expressions = effectiveExpressions()
        if day != nil, namesWeekdays(expressions[2]) {
            guard dayOfWeek == nil else {
                throw ScheduleError(field: "schedule_day", "names weekdays while schedule_day_of_week is also set; use one of them")
            }
            (expressions[2], expressions[4]) = ("*", expressions[2])
        }
        var spec = CronSpec()
        spec.years = try years(expressions[0])
        spec.months = UInt16(truncatingIfNeeded: try bits(expressions[1], Self.fields[1]))
        spec.monthDays = try dayRule(expressions[2])
        spec.isoWeeks = expressions[3] == "*" ? nil : try bits(expressions[3], Self.fields[3])
        spec.weekdays = DayRule()
        spec.weekdays.weekdays = Self.cronWeekdays(fromMondayBased: try bits(expressions[4], Self.fields[4]))
        spec.hours = UInt32(truncatingIfNeeded: try bits(expressions[5], Self.fields[5]))
        spec.minutes = try bits(expressions[6], Self.fields[6])
        spec.seconds = try bits(expressions[7], Self.fields[7])
        spec.daysMatchBoth = true
        spec.firesOncePerWallClockTime = expressions[5...7].allSatisfy { !$0.hasPrefix("*") }
        return spec
    }

    private func namesWeekdays(_ expression: String) -> Bool {
        let names = Self.fields[4].names
        return expression.split(separator: ",").allSatisfy { term in
            term.split(separator: "-").allSatisfy { names.contains(String($0)) }
        }
    }

    static func cronWeekdays(fromMondayBased bits: UInt64) -> UInt8 {
        var result: UInt8 = 0
        for day in 0..<7 where bits & (1 << day) != 0 { result |= 1 << ((day + 1) % 7) }
        return result
    }

    private func terms(_ expression: String, _ field: CronField) throws(ScheduleError) -> [Substring] {
        let terms = expression.split(separator: ",", omittingEmptySubsequences: false)
        if terms.contains(where: \.isEmpty) { throw field.error("empty entry in list '\(expression)'") }
        return terms
    }

    private func bits(_ expression: String, _ field: CronField) throws(ScheduleError) -> UInt64 {
        var bits: UInt64 = 0
        for term in try terms(expression, field) {
            bits |= try field.rangeBits(term)
        }
        return bits
    }

    private func years(_ expression: String) throws(ScheduleError) -> [Int]? {
        if expression == "*" { return nil }
        let field = Self.fields[0]
        var years: Set<Int> = []
        for term in try terms(expression, field) {
            if term.contains("/") || term.contains("*") {
                throw field.error("'\(term)' is not understood (use a 4-digit year, a list or a range)")
            }
            let parts = term.split(separator: "-", omittingEmptySubsequences: false)
            let low = try field.value(parts[0])
            let high = parts.count > 1 ? try field.value(parts[1]) : low
            guard parts.count <= 2, low <= high else { throw field.error("range \(term) runs backwards") }
            years.formUnion(low...high)
        }
        return years.sorted()
    }

    private func dayRule(_ expression: String) throws(ScheduleError) -> DayRule {
        let field = Self.fields[2]
        let ordinals = ["1ST", "2ND", "3RD", "4TH", "5TH"]
        var rule = DayRule()
        for term in try terms(expression, field) {
            let words = term.split(separator: " ")
            if term == "LAST" {
                rule.lastDayOfMonth = true
            } else if words.count == 2 {
                let weekday = try Self.fields[4].value(words[1])
                let cronWeekday = (weekday + 1) % 7
                if words[0] == "LAST" {
                    rule.lastWeekdays |= 1 << cronWeekday
                } else if let nth = ordinals.firstIndex(of: String(words[0])) {
                    rule.nthWeekdays |= 1 << UInt64(cronWeekday * 5 + nth)
                } else {
                    throw field.error("'\(term)' is not understood (use 1st-5th or last before a weekday, e.g. '2nd fri')")
                }
            } else {
                rule.days |= UInt32(truncatingIfNeeded: try field.rangeBits(term))
            }
        }
        return rule
    }
}
