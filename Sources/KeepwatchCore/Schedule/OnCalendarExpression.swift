/// One systemd `OnCalendar=` line as Healthchecks reads it (its `oncalendar` library): `[weekday] [date] [time]
/// [time zone]`, or a shorthand (`daily`, `weekly`, …). Fields take `*`, lists `a,b`, ranges `a..b`, steps `a/n`,
/// and a date's day may count from the month's end (`*-02~1` is February's last day). What is left out takes
/// every weekday, `*-*-*` and `00:00:00`. Dates run to the end of 2199, as systemd's do.
public struct OnCalendarExpression: Sendable, Equatable {
    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// Monday is 0, Sunday 6.
    var weekdays: Set<Int>
    var years: Set<Int>
    var months: Set<Int>
    /// 1…31, or -1 for the month's last day, -2 for the one before, …
    var days: Set<Int>
    var hours: [Int]
    var minutes: [Int]
    var seconds: [Int]
    /// The zone the line names at its end, when it does (else the check's).
    var zone: ZoneRules?

    static let lastYear = 2199
    static let shorthands = [
        "minutely": "*-*-* *:*:00", "hourly": "*-*-* *:00:00", "daily": "*-*-* 00:00:00", "monthly": "*-*-01 00:00:00",
        "weekly": "Mon *-*-* 00:00:00", "yearly": "*-01-01 00:00:00", "annually": "*-01-01 00:00:00",
        "quarterly": "*-01,04,07,10-01 00:00:00", "semiannually": "*-01,07-01 00:00:00",
    ]

    public static func parse(_ line: String) throws(Invalid) -> OnCalendarExpression {
        var text = line.trimmingWhitespace
        var zone: ZoneRules?
        if let space = text.lastIndex(where: \.isWhitespace) {
            let last = String(text[text.index(after: space)...])
            if let first = last.first, !(first.isASCII && first.isNumber || first == "*"), let rules = try? ZoneDatabase.rules(for: last) {
                zone = rules
                text = String(text[..<space]).trimmingWhitespace
            }
        }
        if let expanded = shorthands[text.lowercased()] { text = expanded }
        var parts = text.replacing("~", with: "-~").split(whereSeparator: \.isWhitespace).map(String.init)
        guard !parts.isEmpty else { throw Invalid(message: "Wrong number of fields") }
        var hours: Set<Int> = [0], minutes: Set<Int> = [0], seconds: Set<Int> = [0]
        if let last = parts.last, last.contains(":") {
            parts.removeLast()
            var time = last.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard time.count == 2 || time.count == 3 else { throw Invalid(message: "Bad time") }
            if time.count == 2 { time.append("0") }
            hours = try OnCalendarField.hour.values(time[0])
            minutes = try OnCalendarField.minute.values(time[1])
            seconds = try OnCalendarField.second.values(time[2])
        }
        var years = OnCalendarField.year.all, months = OnCalendarField.month.all, days = OnCalendarField.day.all
        if let last = parts.last, last.contains("-"), let first = last.first, first.isASCII && first.isNumber || first == "*" {
            parts.removeLast()
            var date = last.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            guard date.count == 2 || date.count == 3 else { throw Invalid(message: "Bad date") }
            if date.count == 2 { date.insert("*", at: 0) }
            years = try OnCalendarField.year.values(date[0])
            months = try OnCalendarField.month.values(date[1])
            days = try OnCalendarField.day.values(date[2])
        }
        var weekdays = OnCalendarField.weekday.all
        if !parts.isEmpty { weekdays = try OnCalendarField.weekday.values(parts.removeFirst()) }
        guard parts.isEmpty else { throw Invalid(message: "Wrong number of fields") }
        return OnCalendarExpression(weekdays: weekdays, years: years, months: months, days: days, hours: hours.sorted(),
                                    minutes: minutes.sorted(), seconds: seconds.sorted(), zone: zone)
    }

    /// The first wall-clock time after `instant` (Unix seconds, whole seconds taken) that the line names, as an
    /// instant: the earlier of a repeated hour's two, none in a skipped hour. nil once past 2199.
    public func next(after instant: Int64, in given: ZoneRules) -> Int64? {
        let zone = zone ?? given
        let from = instant + zone.offset(at: instant) + 1
        var day = Int(floorDivide(from, CivilCalendar.secondsPerDay))
        var earliest = Int(from - Int64(day) * CivilCalendar.secondsPerDay)
        while true {
            let date = CivilCalendar.date(fromDayNumber: day)
            if date.year > Self.lastYear { return nil }
            if !years.contains(date.year) {
                day = CivilCalendar.dayNumber(year: date.year + 1, month: 1, day: 1)
                earliest = 0
                continue
            }
            if !months.contains(date.month) {
                day = date.month == 12 ? CivilCalendar.dayNumber(year: date.year + 1, month: 1, day: 1)
                    : CivilCalendar.dayNumber(year: date.year, month: date.month + 1, day: 1)
                earliest = 0
                continue
            }
            if matches(day: date, number: day), let found = firstTime(on: day, from: earliest, in: zone) { return found }
            day += 1
            earliest = 0
        }
    }

    func matches(day date: (year: Int, month: Int, day: Int), number: Int) -> Bool {
        // CivilCalendar counts weekdays from Sunday; systemd from Monday.
        guard weekdays.contains((CivilCalendar.weekday(dayNumber: number) + 6) % 7) else { return false }
        if days.contains(date.day) { return true }
        return days.contains(date.day - CivilCalendar.daysInMonth(year: date.year, month: date.month) - 1)
    }

    /// The first listed time of the day at or after `earliest` (seconds into the day) that happens in the zone.
    func firstTime(on day: Int, from earliest: Int, in zone: ZoneRules) -> Int64? {
        for hour in hours where hour >= earliest / 3600 {
            for minute in minutes where hour * 3600 + minute * 60 + 59 >= earliest {
                for second in seconds where hour * 3600 + minute * 60 + second >= earliest {
                    let local = Int64(day) * CivilCalendar.secondsPerDay + Int64(hour * 3600 + minute * 60 + second)
                    switch zone.resolve(localSeconds: local) {
                    case .unique(let instant), .repeated(let instant, _): return instant
                    case .skipped: continue
                    }
                }
            }
        }
        return nil
    }

    func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }
}
