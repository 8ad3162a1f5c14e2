/// One field of an `OnCalendar=` line and how its text reads: `*` alone (not for weekdays), lists, `a..b` ranges,
/// `a/n` steps (from a single start to the field's end, or every n-th of a list), weekday names (`Mon`, `monday`;
/// `Mon-Fri` is `Mon..Fri`), two-digit years (00–69 are 2000s, 70–99 1900s), and `~d` days counted from the end.
enum OnCalendarField: Int, Sendable {
    case weekday, year, month, day, hour, minute, second

    var range: ClosedRange<Int> {
        switch self {
        case .weekday: return 0...6
        case .year: return 1970...OnCalendarExpression.lastYear
        case .month: return 1...12
        case .day: return 1...31
        case .hour: return 0...23
        case .minute, .second: return 0...59
        }
    }

    var all: Set<Int> { Set(range) }

    var invalid: OnCalendarExpression.Invalid {
        let names = ["day-of-week", "year", "month", "day-of-month", "hour", "minute", "second"]
        return OnCalendarExpression.Invalid(message: "Bad \(names[rawValue])")
    }

    static let weekdayNames = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]

    func values(_ text: String, fromEnd: Bool = false) throws(OnCalendarExpression.Invalid) -> Set<Int> {
        if self == .day && text.hasPrefix("~") { return try values(String(text.dropFirst()), fromEnd: true) }
        if text == "*" && self != .weekday { return all }
        // systemd takes `*` alone only: not in lists, ranges or steps.
        if text.contains("*") { throw invalid }
        if self == .weekday && text.hasSuffix(",") { return try values(String(text.dropLast())) }
        if self == .weekday && text.contains("-") { return try values(text.replacing("-", with: "..")) }
        if text.contains(",") {
            var result: Set<Int> = []
            for term in text.split(separator: ",", omittingEmptySubsequences: false) {
                result.formUnion(try values(String(term), fromEnd: fromEnd))
            }
            return result
        }
        if self != .weekday, let slash = text.firstIndex(of: "/") {
            return try stepped(String(text[..<slash]), step: String(text[text.index(after: slash)...]), fromEnd: fromEnd)
        }
        if let dots = text.firstRange(of: "..") {
            var start = try number(String(text[..<dots.lowerBound]))
            var end = try number(String(text[dots.upperBound...]))
            guard end >= start else { throw invalid }
            if fromEnd { (start, end) = (-end, -start) }
            return Set(start...end)
        }
        let value = try number(text)
        if fromEnd {
            // systemd refuses `~` days past 28.
            guard value <= 28 else { throw invalid }
            return [-value]
        }
        return [value]
    }

    /// `a/n`: from a single start to the field's end (to the last day, counting from the end), else every n-th of
    /// the listed values in order.
    func stepped(_ term: String, step text: String, fromEnd: Bool) throws(OnCalendarExpression.Invalid) -> Set<Int> {
        let step = try digits(text)
        guard step > 0 else { throw invalid }
        let items = try values(term, fromEnd: fromEnd)
        if items.count == 1, let start = items.first {
            let end = fromEnd ? 0 : range.upperBound
            guard start <= end else { return [] }
            return Set(stride(from: start, through: end, by: step))
        }
        return Set(items.sorted().enumerated().filter { $0.offset % step == 0 }.map(\.element))
    }

    func number(_ text: String) throws(OnCalendarExpression.Invalid) -> Int {
        if self == .weekday {
            let upper = text.uppercased()
            if let index = Self.weekdayNames.firstIndex(of: upper) ?? Self.weekdayNames.firstIndex(where: { $0.prefix(3) == upper }) {
                return index
            }
            throw invalid
        }
        var value = try digits(text)
        if self == .year && value < 70 { value += 2000 }
        if self == .year && value < 100 { value += 1900 }
        guard range.contains(value) else { throw invalid }
        return value
    }

    /// ASCII digits only (no sign, no space), as a whole number.
    func digits(_ text: String) throws(OnCalendarExpression.Invalid) -> Int {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { throw invalid }
        var value = 0
        for byte in text.utf8 {
            let (times, overflowTimes) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowSum) = times.addingReportingOverflow(Int(byte - 48))
            guard !overflowTimes, !overflowSum else { throw invalid }
            value = sum
        }
        return value
    }
}
