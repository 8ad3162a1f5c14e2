/// One field of a cron expression: its name in error messages, its range and its names.
struct CronField: Sendable {
    let name: String
    let range: ClosedRange<Int>
    /// Upper-case names; `names[i]` stands for `range.lowerBound + i + nameOffset`.
    let names: [String]
    let nameBase: Int

    static let second = CronField(name: "second", range: 0...59, names: [], nameBase: 0)
    static let minute = CronField(name: "minute", range: 0...59, names: [], nameBase: 0)
    static let hour = CronField(name: "hour", range: 0...23, names: [], nameBase: 0)
    static let dayOfMonth = CronField(name: "day-of-month", range: 1...31, names: [], nameBase: 1)
    static let month = CronField(name: "month", range: 1...12, names: monthNames, nameBase: 1)
    static let dayOfWeek = CronField(name: "day-of-week", range: 0...7, names: weekdayNames, nameBase: 0)

    static let monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    static let weekdayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]

    var rangeText: String { "\(range.lowerBound)-\(range.upperBound)" }

    func error(_ message: String) -> ScheduleError { ScheduleError(field: name, message) }

    /// A single value: digits or (upper-case) name, checked against the range.
    func value(_ text: Substring) throws(ScheduleError) -> Int {
        if text.isEmpty { throw error("a value is missing") }
        if let index = names.firstIndex(where: { $0 == text }) { return index + nameBase }
        guard text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            let hint = names.isEmpty ? "a number" : "a number or a name (\(names.first ?? "")-\(names.last ?? ""))"
            throw error("'\(text)' is not \(hint)")
        }
        guard text.count <= 4, let number = Int(text), range.contains(number) else {
            throw error("\(text) is outside \(rangeText)")
        }
        return number
    }

    /// Every value of `low...high` stepping by `step`, as bits.
    func bits(from low: Int, through high: Int, step: Int) -> UInt64 {
        var bits: UInt64 = 0
        for value in stride(from: low, through: high, by: step) { bits |= 1 << value }
        return bits
    }
}
