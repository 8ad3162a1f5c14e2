/// ISO-8601 date-times as schedules and the CLI read and write them.
public enum ISO8601 {
    /// A parsed date-time: either a definite instant (it carried `Z` or an offset) or a wall-clock time.
    public enum Parsed: Equatable, Sendable {
        case instant(Instant)
        case local(LocalDateTime)

        /// The instant, reading a wall-clock time in `zone` (a skipped time moves past the jump,
        /// a repeated one takes its first occurrence).
        public func instant(in zone: ZoneRules) -> Instant {
            switch self {
            case .instant(let instant): return instant
            case .local(let local): return Instant(secondsSince1970: zone.firstInstant(localSeconds: local.localSeconds))
            }
        }
    }

    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let text: String
        public let reason: String
        public var description: String { "'\(text)' is not an ISO-8601 date-time: \(reason)" }
    }

    /// Accepts `2024-03-10`, `2024-03-10T02:30`, `2024-03-10T02:30:00`, `2024-03-10 02:30:00.123`,
    /// each optionally followed by `Z`, `±hh`, `±hhmm` or `±hh:mm`.
    public static func parse(_ text: String) throws(ParseError) -> Parsed {
        var scanner = DigitScanner(bytes: Array(text.utf8))
        func fail(_ reason: String) -> ParseError { ParseError(text: text, reason: reason) }
        guard let year = scanner.digits(4), scanner.eat("-"), let month = scanner.digits(2), scanner.eat("-"),
              let day = scanner.digits(2) else { throw fail("expected YYYY-MM-DD") }
        guard (1...12).contains(month) else { throw fail("month \(month) is outside 1-12") }
        guard day >= 1, day <= CivilCalendar.daysInMonth(year: year, month: month) else {
            throw fail("day \(day) does not exist in \(year)-\(pad(month))")
        }
        var local = LocalDateTime(year: year, month: month, day: day)
        if scanner.eat("T") || scanner.eat("t") || scanner.eat(" ") {
            guard let hour = scanner.digits(2), scanner.eat(":"), let minute = scanner.digits(2) else {
                throw fail("expected hh:mm after the date")
            }
            local.hour = hour
            local.minute = minute
            if scanner.eat(":") {
                guard let second = scanner.digits(2) else { throw fail("expected two digits of seconds") }
                local.second = second
                if scanner.eat(".") || scanner.eat(",") {
                    guard scanner.skipDigits() else { throw fail("expected digits after the decimal mark") }
                }
            }
            guard hour <= 23, minute <= 59, local.second <= 59 else { throw fail("time \(pad(hour)):\(pad(minute)):\(pad(local.second)) is out of range") }
        }
        if scanner.atEnd { return .local(local) }
        if scanner.eat("Z") || scanner.eat("z") {
            guard scanner.atEnd else { throw fail("unexpected text after Z") }
            return .instant(Instant(secondsSince1970: local.localSeconds))
        }
        let sign: Int64
        if scanner.eat("+") { sign = 1 } else if scanner.eat("-") { sign = -1 } else { throw fail("unexpected text after the time") }
        guard let offsetHours = scanner.digits(2) else { throw fail("expected an offset ±hh:mm") }
        var offsetMinutes = 0
        if scanner.eat(":") {
            guard let minutes = scanner.digits(2) else { throw fail("expected offset minutes") }
            offsetMinutes = minutes
        } else if let minutes = scanner.digits(2) {
            offsetMinutes = minutes
        }
        guard scanner.atEnd, offsetHours <= 18, offsetMinutes <= 59 else { throw fail("bad offset") }
        let offset = sign * Int64(offsetHours * 3600 + offsetMinutes * 60)
        return .instant(Instant(secondsSince1970: local.localSeconds - offset))
    }

    /// `2024-03-10T03:30:00+02:00`.
    /// RFC 3339 in UTC as Go writes it: `2026-12-01T22:19:19Z`.
    public static func formatUTC(_ instant: Instant) -> String {
        let text = format(instant, in: .utc)
        return text.hasSuffix("+00:00") ? text.dropLast(6) + "Z" : text
    }

    public static func format(_ instant: Instant, in zone: ZoneRules) -> String {
        let offset = zone.offset(at: instant.secondsSince1970)
        let local = LocalDateTime(localSeconds: instant.secondsSince1970 + offset)
        let sign = offset < 0 ? "-" : "+"
        let magnitude = Int(offset < 0 ? -offset : offset)
        var text = "\(local.year)-\(pad(local.month))-\(pad(local.day))T"
        text += "\(pad(local.hour)):\(pad(local.minute)):\(pad(local.second))"
        text += "\(sign)\(pad(magnitude / 3600)):\(pad(magnitude % 3600 / 60))"
        if magnitude % 60 != 0 { text += ":\(pad(magnitude % 60))" }
        return text
    }

    static func pad(_ value: Int) -> String {
        value < 10 && value >= 0 ? "0\(value)" : "\(value)"
    }

    private struct DigitScanner {
        let bytes: [UInt8]
        var index = 0
        var atEnd: Bool { index >= bytes.count }

        mutating func eat(_ character: Character) -> Bool {
            guard index < bytes.count, let ascii = character.asciiValue, bytes[index] == ascii else { return false }
            index += 1
            return true
        }

        mutating func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + count] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += count
            return value
        }

        mutating func skipDigits() -> Bool {
            let start = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
            return index > start
        }
    }
}
