/// Which days of a month one day field selects: plain days of the month, `L`, `LW`,
/// weekdays, the last given weekday of the month, and the n-th given weekday.
public struct DayRule: Hashable, Sendable {
    /// Bits 1…31: days of the month.
    public var days: UInt32 = 0
    public var lastDayOfMonth = false
    /// `LW`: the last Monday–Friday of the month.
    public var lastWorkdayOfMonth = false
    /// Bits 0…6, Sunday = 0.
    public var weekdays: UInt8 = 0
    /// Bits 0…6: the last such weekday of the month (`5L`).
    public var lastWeekdays: UInt8 = 0
    /// Bit `weekday * 5 + (n - 1)`: the n-th such weekday of the month (`5#2`).
    public var nthWeekdays: UInt64 = 0

    public init() {}

    public static let everyDay: DayRule = {
        var rule = DayRule()
        rule.days = 0xFFFF_FFFE
        return rule
    }()

    static let everyWeekday: DayRule = {
        var rule = DayRule()
        rule.weekdays = 0x7F
        return rule
    }()

    var selectsEveryDay: Bool {
        days == 0xFFFF_FFFE || weekdays == 0x7F
    }

    /// Bits 1…`daysInMonth` of the days this rule selects in a month whose first day is `firstWeekday`.
    public func mask(daysInMonth: Int, firstWeekday: Int) -> UInt32 {
        let valid = UInt32(truncatingIfNeeded: (UInt64(1) << (daysInMonth + 1)) - 2)
        var mask = days & valid
        if lastDayOfMonth { mask |= 1 << daysInMonth }
        if lastWorkdayOfMonth {
            let lastWeekday = (firstWeekday + daysInMonth - 1) % 7
            let back = lastWeekday == 0 ? 2 : (lastWeekday == 6 ? 1 : 0)
            mask |= 1 << (daysInMonth - back)
        }
        if weekdays | lastWeekdays != 0 || nthWeekdays != 0 {
            mask |= weekdayMask(daysInMonth: daysInMonth, firstWeekday: firstWeekday, valid: valid)
        }
        return mask
    }

    func weekdayMask(daysInMonth: Int, firstWeekday: Int, valid: UInt32) -> UInt32 {
        let weekly: UInt64 = 1 | 1 << 7 | 1 << 14 | 1 << 21 | 1 << 28 | 1 << 35
        var mask: UInt32 = 0
        for weekday in 0..<7 {
            let first = 1 + (weekday - firstWeekday + 7) % 7
            if weekdays & (1 << weekday) != 0 {
                mask |= UInt32(truncatingIfNeeded: weekly << first) & valid
            }
            if lastWeekdays & (1 << weekday) != 0 {
                mask |= 1 << (first + (daysInMonth - first) / 7 * 7)
            }
            let nth = (nthWeekdays >> (weekday * 5)) & 0x1F
            if nth != 0 {
                for n in 0..<5 where nth & (1 << n) != 0 && first + n * 7 <= daysInMonth {
                    mask |= 1 << (first + n * 7)
                }
            }
        }
        return mask
    }
}
