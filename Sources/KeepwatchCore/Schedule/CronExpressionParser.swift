/// Reads classic cron expressions: 5 fields (minute hour day-of-month month day-of-week) or 6 with
/// seconds first, with lists, ranges, steps, names, `?`, `L`, `LW`, `5L`, `5#2` and the `@` macros.
/// It scans UTF-8 bytes in place: a valid expression is parsed without building strings.
public enum CronExpressionParser {
    public static let macros: [String: String] = [
        "@YEARLY": "0 0 1 1 *", "@ANNUALLY": "0 0 1 1 *", "@MONTHLY": "0 0 1 * *",
        "@WEEKLY": "0 0 * * 0", "@DAILY": "0 0 * * *", "@MIDNIGHT": "0 0 * * *", "@HOURLY": "0 * * * *",
    ]

    public static func parse(_ expression: String) throws(ScheduleError) -> CronSpec {
        var text = expression
        return try text.withUTF8 { buffer in
            Result { () throws(ScheduleError) -> CronSpec in try parse(bytes: buffer[...], original: expression) }
        }.get()
    }

    static func parse(bytes: CronBytes, original: String) throws(ScheduleError) -> CronSpec {
        let start = bytes.firstIndex { !isSpace($0) } ?? bytes.endIndex
        if start < bytes.endIndex, bytes[start] == UInt8(ascii: "@") {
            return try parse(macro: original)
        }
        let count = fieldCount(bytes)
        guard count == 5 || count == 6 else {
            throw ScheduleError(field: "expression",
                                "expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, got \(count)")
        }
        let shift = count == 6 ? 0 : -1
        func part(_ index: Int) -> CronBytes { field(index + shift, of: bytes) }
        var spec = CronSpec()
        spec.seconds = count == 6 ? try plainBits(part(0), .second) : 1
        spec.minutes = try plainBits(part(1), .minute)
        spec.hours = UInt32(truncatingIfNeeded: try plainBits(part(2), .hour))
        spec.monthDays = try monthDayRule(part(3))
        spec.months = UInt16(truncatingIfNeeded: try plainBits(part(4), .month))
        spec.weekdays = try weekdayRule(part(5))
        spec.daysMatchBoth = isWildcard(part(3)) || isWildcard(part(5))
        spec.firesOncePerWallClockTime = count == 5 && part(1).first != UInt8(ascii: "*") && part(2).first != UInt8(ascii: "*")
        try checkDaysCanOccur(spec)
        return spec
    }

    private static func parse(macro expression: String) throws(ScheduleError) -> CronSpec {
        let name = expression.trimmingSpaces.uppercased()
        if let expanded = macros[name] { return try parse(expanded) }
        if name == "@REBOOT" {
            throw ScheduleError(field: "expression", "@reboot is not supported: a Keepwatch schedule needs a clock time")
        }
        throw ScheduleError(field: "expression",
                            "unknown macro '\(expression)' (use @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or @every 1h30m)")
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }

    /// Fields are separated by whitespace, except whitespace right after a comma, which stays inside the field.
    private static func fieldBounds(_ bytes: CronBytes, _ visit: (Int, CronBytes) -> Bool) {
        var index = bytes.startIndex
        var number = 0
        while index < bytes.endIndex {
            while index < bytes.endIndex, isSpace(bytes[index]) { index += 1 }
            if index == bytes.endIndex { return }
            let start = index
            while index < bytes.endIndex {
                if isSpace(bytes[index]) {
                    if bytes[index - 1] != UInt8(ascii: ",") { break }
                    while index < bytes.endIndex, isSpace(bytes[index]) { index += 1 }
                } else {
                    index += 1
                }
            }
            if !visit(number, bytes[start..<index]) { return }
            number += 1
        }
    }

    private static func fieldCount(_ bytes: CronBytes) -> Int {
        var count = 0
        fieldBounds(bytes) { _, _ in count += 1; return true }
        return count
    }

    private static func field(_ wanted: Int, of bytes: CronBytes) -> CronBytes {
        var found = bytes[bytes.startIndex..<bytes.startIndex]
        fieldBounds(bytes) { number, field in
            if number == wanted { found = field }
            return number < wanted
        }
        return found
    }

    private static func isWildcard(_ field: CronBytes) -> Bool {
        field.first == UInt8(ascii: "*") || field.first == UInt8(ascii: "?")
    }

    /// Calls `body` for each comma-separated term, leading spaces trimmed; an empty term is an error.
    private static func forEachTerm(_ field: CronBytes, _ info: CronField,
                                    _ body: (CronBytes) throws(ScheduleError) -> Void) throws(ScheduleError) {
        var start = field.startIndex
        while true {
            let end = field[start...].firstIndex(of: UInt8(ascii: ",")) ?? field.endIndex
            var term = field[start..<end]
            while let first = term.first, isSpace(first) { term = term.dropFirst() }
            if term.isEmpty { throw info.error("empty entry in list '\(CronField.text(field))'") }
            try body(term)
            if end == field.endIndex { return }
            start = end + 1
        }
    }

    /// Whether `term` spells `word` (upper-case ASCII), ignoring case.
    private static func matches(_ term: CronBytes, _ word: StaticString) -> Bool {
        guard term.count == word.utf8CodeUnitCount else { return false }
        return word.withUTF8Buffer { letters in zip(term, letters).allSatisfy { CronField.upper($0) == $1 } }
    }

    private static func contains(_ term: CronBytes, _ letter: Character) -> Bool {
        guard let ascii = letter.asciiValue else { return false }
        return term.contains { CronField.upper($0) == ascii }
    }

    /// A field that allows only numbers, names, `*`, ranges, steps and lists.
    private static func plainBits(_ field: CronBytes, _ info: CronField) throws(ScheduleError) -> UInt64 {
        var bits: UInt64 = 0
        try forEachTerm(field, info) { term throws(ScheduleError) in
            if term.count == 1, term.first == UInt8(ascii: "?") {
                throw info.error("? is only allowed in day-of-month and day-of-week")
            }
            if info.names.isEmpty, contains(term, "L") || contains(term, "W") || contains(term, "#") {
                throw info.error("'\(CronField.text(term))' is only allowed in day-of-month or day-of-week")
            }
            bits |= try info.rangeBits(term)
        }
        return bits
    }

    private static func monthDayRule(_ field: CronBytes) throws(ScheduleError) -> DayRule {
        let info = CronField.dayOfMonth
        var rule = DayRule()
        try forEachTerm(field, info) { term throws(ScheduleError) in
            if matches(term, "L") {
                rule.lastDayOfMonth = true
            } else if matches(term, "LW") {
                rule.lastWorkdayOfMonth = true
            } else if contains(term, "L") || contains(term, "W") || contains(term, "#") {
                throw info.error("'\(CronField.text(term))' is not understood (day-of-month takes numbers, ranges, steps, L and LW)")
            } else {
                rule.days |= UInt32(truncatingIfNeeded: try info.rangeBits(term))
            }
        }
        return rule
    }

    private static func weekdayRule(_ field: CronBytes) throws(ScheduleError) -> DayRule {
        let info = CronField.dayOfWeek
        var rule = DayRule()
        try forEachTerm(field, info) { term throws(ScheduleError) in
            if term.count > 1, let last = term.last, CronField.upper(last) == UInt8(ascii: "L") {
                rule.lastWeekdays |= 1 << (try info.value(term.dropLast()) % 7)
            } else if let hash = term.firstIndex(of: UInt8(ascii: "#")) {
                let weekday = try info.value(term[..<hash]) % 7
                let nthBytes = term[(hash + 1)...]
                guard nthBytes.count == 1, let digit = nthBytes.first, digit >= UInt8(ascii: "1"), digit <= UInt8(ascii: "5") else {
                    throw info.error("'#\(CronField.text(nthBytes))' in '\(CronField.text(term))' must be #1 to #5")
                }
                rule.nthWeekdays |= 1 << UInt64(weekday * 5 + Int(digit - 49))
            } else {
                let bits = try info.rangeBits(term)
                rule.weekdays |= UInt8(truncatingIfNeeded: bits & 0x7F) | (bits & (1 << 7) != 0 ? 1 : 0)
            }
        }
        return rule
    }

    /// With both day fields required, a day number that no selected month has can never fire.
    private static func checkDaysCanOccur(_ spec: CronSpec) throws(ScheduleError) {
        let rule = spec.monthDays
        guard spec.daysMatchBoth, rule.days != 0, !rule.lastDayOfMonth, !rule.lastWorkdayOfMonth else { return }
        let firstDay = rule.days.trailingZeroBitCount
        var longest = 0
        for month in 1...12 where spec.months & (1 << month) != 0 {
            longest = max(longest, CivilCalendar.daysInMonth(year: 2000, month: month))
        }
        if firstDay > longest {
            throw ScheduleError(field: "day-of-month", "day \(firstDay) never occurs in the selected months")
        }
    }
}
