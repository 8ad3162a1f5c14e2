/// A wall-clock date and time with no zone attached.
public struct LocalDateTime: Hashable, Sendable {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// Seconds since 1970-01-01T00:00:00 on the same wall clock (a "local epoch" number).
    public var localSeconds: Int64 {
        let days = Int64(CivilCalendar.dayNumber(year: year, month: month, day: day))
        return days * CivilCalendar.secondsPerDay + Int64(hour * 3600 + minute * 60 + second)
    }

    public init(localSeconds: Int64) {
        var days = localSeconds / CivilCalendar.secondsPerDay
        var secondOfDay = localSeconds % CivilCalendar.secondsPerDay
        if secondOfDay < 0 {
            secondOfDay += CivilCalendar.secondsPerDay
            days -= 1
        }
        let date = CivilCalendar.date(fromDayNumber: Int(days))
        let s = Int(secondOfDay)
        self.init(year: date.year, month: date.month, day: date.day,
                  hour: s / 3600, minute: s % 3600 / 60, second: s % 60)
    }

    /// 0 = Sunday … 6 = Saturday.
    public var weekday: Int {
        CivilCalendar.weekday(dayNumber: CivilCalendar.dayNumber(year: year, month: month, day: day))
    }
}
