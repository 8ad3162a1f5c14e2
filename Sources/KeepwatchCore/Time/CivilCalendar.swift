/// Proleptic Gregorian calendar arithmetic on plain integers (Howard Hinnant's algorithms).
/// Day numbers count days since 1970-01-01; weekdays number Sunday as 0.
public enum CivilCalendar {
    public static let secondsPerDay: Int64 = 86_400

    @inlinable
    public static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = (month + 9) % 12
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    @inlinable
    public static func date(fromDayNumber dayNumber: Int) -> (year: Int, month: Int, day: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (month <= 2 ? yearOfEra + era * 400 + 1 : yearOfEra + era * 400, month, day)
    }

    /// 0 = Sunday … 6 = Saturday.
    @inlinable
    public static func weekday(dayNumber: Int) -> Int {
        let w = (dayNumber + 4) % 7
        return w < 0 ? w + 7 : w
    }

    @inlinable
    public static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    @inlinable
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// ISO-8601 week number (1…53) of a date, as Python's `date.isocalendar()` gives it.
    public static func isoWeek(year: Int, month: Int, day: Int) -> Int {
        let dayNumber = dayNumber(year: year, month: month, day: day)
        let isoWeekday = (weekday(dayNumber: dayNumber) + 6) % 7 + 1
        let ordinal = dayNumber - Self.dayNumber(year: year, month: 1, day: 1) + 1
        let week = (ordinal - isoWeekday + 10) / 7
        if week < 1 { return isoWeeksInYear(year - 1) }
        if week > isoWeeksInYear(year) { return 1 }
        return week
    }

    public static func isoWeeksInYear(_ year: Int) -> Int {
        func p(_ y: Int) -> Int { (y + y / 4 - y / 100 + y / 400) % 7 }
        return (p(year) == 4 || p(year - 1) == 3) ? 53 : 52
    }
}
