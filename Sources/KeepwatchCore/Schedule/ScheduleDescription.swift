/// One-line English descriptions of schedules, e.g. `At 03:30 on Monday`.
extension Schedule {
    public var summary: String {
        var text: String
        switch rule {
        case .cron(let spec):
            text = CronDescriber(spec: spec).sentence
        case .interval(let interval):
            text = interval.seconds == 1 ? "Every second" : "Every \(IntervalDescriber.period(interval.seconds))"
            if start == nil {
                text += ", counted from \(ISO8601.format(interval.anchor, in: zone))"
            }
        case .once(let date):
            text = "Once at \(ISO8601.format(date, in: zone))"
        }
        if let start { text += ", from \(ISO8601.format(start, in: zone))" }
        if let end { text += ", until \(ISO8601.format(end, in: zone))" }
        if zone != .utc { text += " (\(zone.identifier))" }
        return text
    }
}

enum IntervalDescriber {
    static func period(_ seconds: Int64) -> String {
        let units: [(Int64, String)] = [(604_800, "week"), (86_400, "day"), (3_600, "hour"), (60, "minute"), (1, "second")]
        var rest = seconds
        var parts: [String] = []
        for (size, name) in units where rest >= size {
            let count = rest / size
            rest %= size
            parts.append(count == 1 ? "1 \(name)" : "\(count) \(name)s")
        }
        return EnglishList.join(parts)
    }
}

enum EnglishList {
    static func join(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " and " + (items.last ?? "")
        }
    }

    static func values(_ bits: UInt64, in range: ClosedRange<Int>) -> [Int] {
        range.filter { bits & (1 << $0) != 0 }
    }

    /// `1 through 5, 7 and 9`: runs of three or more become ranges.
    static func runs(_ values: [Int], name: (Int) -> String) -> String {
        var parts: [String] = []
        var index = 0
        while index < values.count {
            var end = index
            while end + 1 < values.count, values[end + 1] == values[end] + 1 { end += 1 }
            if end - index >= 2 {
                parts.append("\(name(values[index])) through \(name(values[end]))")
                index = end + 1
            } else {
                parts.append(name(values[index]))
                index += 1
            }
        }
        return join(parts)
    }

    /// The step of an arithmetic run reaching the end of its field (`*/15`, `5/10`), if the values form one.
    static func step(_ values: [Int], upperBound: Int) -> Int? {
        guard values.count >= 3 else { return nil }
        let step = values[1] - values[0]
        guard step > 1, values.last.map({ $0 + step > upperBound }) == true else { return nil }
        for (a, b) in zip(values, values.dropFirst()) where b - a != step { return nil }
        return step
    }
}
