/// A parsed cron-style rule as bit sets, one per field, ready for fast searching.
public struct CronSpec: Hashable, Sendable {
    /// Bits 0…59.
    public var seconds: UInt64 = 1
    /// Bits 0…59.
    public var minutes: UInt64 = 1
    /// Bits 0…23.
    public var hours: UInt32 = 1
    public var monthDays = DayRule.everyDay
    public var weekdays = DayRule.everyWeekday
    /// Bits 1…12.
    public var months: UInt16 = 0x1FFE
    /// Bits 1…53 of ISO week numbers, or nil for any week (Freezer's `schedule_week`).
    public var isoWeeks: UInt64?
    /// Allowed years in ascending order, or nil for any year (Freezer's `schedule_year`).
    public var years: [Int]?
    /// Both day rules must match (true) or either may (false: cron's rule when both day fields are restricted).
    public var daysMatchBoth = true
    /// A fixed time of day fires once across clock changes: a skipped time right after the jump,
    /// a repeated time only the first time (the ISC cron rule). Otherwise every real instant whose
    /// wall-clock time matches fires.
    public var firesOncePerWallClockTime = false

    public init() {}

    /// How many years ahead a search looks before it concludes the rule never fires again.
    static let searchHorizonYears = 50

    /// The days of (`year`, `month`) that the day rules select.
    public func dayMask(year: Int, month: Int) -> UInt32 {
        let daysInMonth = CivilCalendar.daysInMonth(year: year, month: month)
        let firstWeekday = CivilCalendar.weekday(dayNumber: CivilCalendar.dayNumber(year: year, month: month, day: 1))
        let byMonthDay = monthDays.mask(daysInMonth: daysInMonth, firstWeekday: firstWeekday)
        let byWeekday = weekdays.mask(daysInMonth: daysInMonth, firstWeekday: firstWeekday)
        var mask = daysMatchBoth ? byMonthDay & byWeekday : byMonthDay | byWeekday
        if let isoWeeks {
            for day in 1...daysInMonth where mask & (1 << day) != 0 {
                let week = CivilCalendar.isoWeek(year: year, month: month, day: day)
                if isoWeeks & (1 << week) == 0 { mask &= ~(1 << day) }
            }
        }
        return mask
    }

    /// Whether a wall-clock time satisfies every field.
    public func matches(_ time: LocalDateTime) -> Bool {
        if let years, !years.contains(time.year) { return false }
        return months & (1 << time.month) != 0
            && dayMask(year: time.year, month: time.month) & (1 << time.day) != 0
            && hours & (1 << time.hour) != 0
            && minutes & (1 << time.minute) != 0
            && seconds & (1 << time.second) != 0
    }
}
