/// Turns a `CronSpec` into an English sentence.
struct CronDescriber {
    let spec: CronSpec

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July",
                             "August", "September", "October", "November", "December"]
    static let dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    static let ordinals = ["first", "second", "third", "fourth", "fifth"]

    var sentence: String {
        let time = timePhrase
        let days = dayPhrases
        let text = ([time] + days).joined(separator: " ")
        return text.prefix(1).uppercased() + text.dropFirst()
    }

    private var secondsList: [Int] { EnglishList.values(spec.seconds, in: 0...59) }
    private var minutesList: [Int] { EnglishList.values(spec.minutes, in: 0...59) }
    private var hoursList: [Int] { EnglishList.values(UInt64(spec.hours), in: 0...23) }

    private func clock(_ hour: Int, _ minute: Int, _ second: Int? = nil) -> String {
        var text = "\(ISO8601.pad(hour)):\(ISO8601.pad(minute))"
        if let second { text += ":\(ISO8601.pad(second))" }
        return text
    }

    private var timePhrase: String {
        let (seconds, minutes, hours) = (secondsList, minutesList, hoursList)
        if seconds.count == 1, minutes.count * hours.count <= 4 {
            let showSeconds = seconds[0] != 0 ? seconds[0] : nil
            let times = hours.flatMap { h in minutes.map { m in clock(h, m, showSeconds) } }
            return "at " + EnglishList.join(times)
        }
        var parts: [String] = []
        if let secondPart = unitPhrase(seconds, unit: "second", upperBound: 59, everyIsImplicit: false) {
            parts.append(secondPart)
        }
        let everyMinuteImplicit = seconds.count > 1 && minutes.count == 60
        if let minutePart = unitPhrase(minutes, unit: "minute", upperBound: 59, everyIsImplicit: everyMinuteImplicit) {
            parts.append(minutePart)
        }
        parts.append(hourPhrase(hours))
        return parts.filter { !$0.isEmpty }.joined(separator: ", ")
    }

    /// `every minute`, `every 15 minutes`, `at minute 5`, `at minutes 0 and 30`; nil when it says nothing.
    private func unitPhrase(_ values: [Int], unit: String, upperBound: Int, everyIsImplicit: Bool) -> String? {
        if values.count == upperBound + 1 { return everyIsImplicit ? nil : "every \(unit)" }
        if values == [0], unit == "second" { return nil }
        if let step = EnglishList.step(values, upperBound: upperBound) {
            return values[0] == 0 ? "every \(step) \(unit)s" : "every \(step) \(unit)s from \(unit) \(values[0])"
        }
        let plural = values.count == 1 ? unit : unit + "s"
        return "at \(plural) " + EnglishList.runs(values) { "\($0)" }
    }

    private func hourPhrase(_ hours: [Int]) -> String {
        if hours.count == 24 { return "" }
        if let step = EnglishList.step(hours, upperBound: 23) {
            return hours[0] == 0 ? "every \(step) hours" : "every \(step) hours from \(clock(hours[0], 0))"
        }
        if hours.count >= 2, hours.last.map({ $0 - hours[0] + 1 }) == hours.count, let last = hours.last {
            return "between \(clock(hours[0], 0)) and \(clock(last, 59))"
        }
        return (hours.count == 1 ? "during hour " : "during hours ") + EnglishList.runs(hours) { clock($0, 0) }
    }

    private var dayPhrases: [String] {
        var phrases: [String] = []
        let monthDay = dayRulePhrase(spec.monthDays)
        let weekday = dayRulePhrase(spec.weekdays)
        let both = [monthDay, weekday].compactMap { $0 }
        if !both.isEmpty {
            phrases.append(both.joined(separator: spec.daysMatchBoth ? " if it is " : " or "))
        }
        if spec.months != 0x1FFE {
            phrases.append("in " + EnglishList.runs(EnglishList.values(UInt64(spec.months), in: 1...12)) { Self.monthNames[$0 - 1] })
        }
        if let weeks = spec.isoWeeks {
            let list = EnglishList.values(weeks, in: 1...53)
            phrases.append((list.count == 1 ? "in ISO week " : "in ISO weeks ") + EnglishList.runs(list) { "\($0)" })
        }
        if let years = spec.years {
            phrases.append("in " + EnglishList.runs(years) { "\($0)" })
        }
        return phrases
    }

    private func dayRulePhrase(_ rule: DayRule) -> String? {
        if rule.selectsEveryDay { return nil }
        var parts: [String] = []
        let days = EnglishList.values(UInt64(rule.days), in: 1...31)
        if !days.isEmpty {
            parts.append((days.count == 1 ? "day " : "days ") + EnglishList.runs(days) { "\($0)" } + " of the month")
        }
        if rule.lastDayOfMonth { parts.append("the last day of the month") }
        if rule.lastWorkdayOfMonth { parts.append("the last weekday of the month") }
        let weekdays = EnglishList.values(UInt64(rule.weekdays), in: 0...6)
        if !weekdays.isEmpty {
            let ordered = weekdays.contains(0) && !weekdays.contains(6) && weekdays.count > 1 ? Array(weekdays.dropFirst()) + [7] : weekdays
            parts.append(EnglishList.runs(ordered) { Self.dayNames[$0 % 7] })
        }
        for weekday in 0..<7 where rule.lastWeekdays & (1 << weekday) != 0 {
            parts.append("the last \(Self.dayNames[weekday]) of the month")
        }
        for weekday in 0..<7 {
            for n in 0..<5 where rule.nthWeekdays & (1 << UInt64(weekday * 5 + n)) != 0 {
                parts.append("the \(Self.ordinals[n]) \(Self.dayNames[weekday]) of the month")
            }
        }
        return "on " + EnglishList.join(parts)
    }
}
