extension CronSpec {
    /// The first matching wall-clock time strictly after `local` (local seconds), jumping field by field.
    public func nextLocalSeconds(after local: Int64) -> Int64? {
        let start = LocalDateTime(localSeconds: local + 1)
        var (year, month, day) = (start.year, start.month, start.day)
        var (hour, minute, second) = (start.hour, start.minute, start.second)
        let lastYear = years?.last ?? start.year + Self.searchHorizonYears
        var maskedYear = Int.min
        var maskedMonth = 0
        var days: UInt32 = 0
        while true {
            if year > lastYear { return nil }
            if let years, !years.contains(year) {
                guard let later = years.first(where: { $0 > year }) else { return nil }
                (year, month, day, hour, minute, second) = (later, 1, 1, 0, 0, 0)
                continue
            }
            let laterMonths = months >> month
            if laterMonths == 0 {
                (year, month, day, hour, minute, second) = (year + 1, 1, 1, 0, 0, 0)
                continue
            }
            let matchedMonth = month + laterMonths.trailingZeroBitCount
            if matchedMonth != month { (month, day, hour, minute, second) = (matchedMonth, 1, 0, 0, 0) }
            if maskedYear != year || maskedMonth != month {
                days = dayMask(year: year, month: month)
                (maskedYear, maskedMonth) = (year, month)
            }
            let laterDays = days >> day
            if laterDays == 0 {
                (month, day, hour, minute, second) = (month + 1, 1, 0, 0, 0)
                continue
            }
            let matchedDay = day + laterDays.trailingZeroBitCount
            if matchedDay != day { (day, hour, minute, second) = (matchedDay, 0, 0, 0) }
            let laterHours = hours >> hour
            if laterHours == 0 {
                (day, hour, minute, second) = (day + 1, 0, 0, 0)
                continue
            }
            let matchedHour = hour + laterHours.trailingZeroBitCount
            if matchedHour != hour { (hour, minute, second) = (matchedHour, 0, 0) }
            let laterMinutes = minutes >> minute
            if laterMinutes == 0 {
                (hour, minute, second) = (hour + 1, 0, 0)
                continue
            }
            let matchedMinute = minute + laterMinutes.trailingZeroBitCount
            if matchedMinute != minute { (minute, second) = (matchedMinute, 0) }
            let laterSeconds = seconds >> second
            if laterSeconds == 0 {
                (minute, second) = (minute + 1, 0)
                continue
            }
            second += laterSeconds.trailingZeroBitCount
            let dayNumber = Int64(CivilCalendar.dayNumber(year: year, month: month, day: day))
            return dayNumber * CivilCalendar.secondsPerDay + Int64(hour * 3600 + minute * 60 + second)
        }
    }

    /// The first fire instant strictly after `instant` in `zone`.
    public func nextInstant(after instant: Int64, in zone: ZoneRules) -> Int64? {
        if !zone.hasTransitions {
            let offset = zone.offset(at: instant)
            return nextLocalSeconds(after: instant + offset).map { $0 - offset }
        }
        if firesOncePerWallClockTime {
            return nextFixedTimeInstant(after: instant, in: zone)
        }
        return nextRealInstant(after: instant, in: zone)
    }

    func nextFixedTimeInstant(after instant: Int64, in zone: ZoneRules) -> Int64? {
        var local = instant + zone.offset(at: instant)
        while let candidate = nextLocalSeconds(after: local) {
            let fire = zone.firstInstant(localSeconds: candidate)
            if fire > instant { return fire }
            local = candidate
        }
        return nil
    }

    func nextRealInstant(after instant: Int64, in zone: ZoneRules) -> Int64? {
        var current = instant
        while true {
            let segment = zone.segment(containing: current + 1)
            guard let candidate = nextLocalSeconds(after: current + segment.offset) else { return nil }
            let fire = candidate - segment.offset
            guard let end = segment.end, fire >= end else { return fire }
            current = end - 1
        }
    }
}
