/// UTF-8 bytes of part of an expression; slicing one never allocates.
typealias CronBytes = Slice<UnsafeBufferPointer<UInt8>>

/// One field of a cron expression: its name in error messages, its range and its names.
/// Values are read straight from UTF-8 bytes so that parsing a valid expression allocates little.
struct CronField: Sendable {
    let name: String
    let range: ClosedRange<Int>
    /// Upper-case three-letter names; `names[i]` stands for `nameBase + i`.
    let names: [String]
    let nameBase: Int
    /// `names` packed as three upper-case ASCII bytes each, for allocation-free lookups.
    let packedNames: [UInt32]

    init(name: String, range: ClosedRange<Int>, names: [String], nameBase: Int) {
        self.name = name
        self.range = range
        self.names = names
        self.nameBase = nameBase
        self.packedNames = names.map { name in name.utf8.reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }
    }

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

    static func text(_ bytes: CronBytes) -> String { String(decoding: bytes, as: UTF8.self).uppercased() }

    static func upper(_ byte: UInt8) -> UInt8 { byte >= 97 && byte <= 122 ? byte - 32 : byte }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    /// A number, checked against the range, or a name.
    func value(_ bytes: CronBytes) throws(ScheduleError) -> Int {
        if bytes.isEmpty { throw error("a value is missing") }
        if bytes.allSatisfy(Self.isDigit) {
            guard bytes.count <= 4 else { throw error("\(Self.text(bytes)) is outside \(rangeText)") }
            let number = bytes.reduce(0) { $0 * 10 + Int($1 - 48) }
            guard range.contains(number) else { throw error("\(number) is outside \(rangeText)") }
            return number
        }
        if bytes.count == 3 {
            let packed = bytes.reduce(UInt32(0)) { $0 << 8 | UInt32(Self.upper($1)) }
            if let index = packedNames.firstIndex(of: packed) { return index + nameBase }
        }
        let hint = names.isEmpty ? "a number" : "a number or a name (\(names.first ?? "")-\(names.last ?? ""))"
        throw error("'\(Self.text(bytes))' is not \(hint)")
    }

    /// `*`, `?`, `a`, `a-b`, each optionally with `/step`, as bits of the values it selects.
    func rangeBits(_ term: CronBytes) throws(ScheduleError) -> UInt64 {
        var base = term
        var step = 1
        if let slash = term.firstIndex(of: UInt8(ascii: "/")) {
            base = term[..<slash]
            let stepBytes = term[(slash + 1)...]
            guard !stepBytes.isEmpty, stepBytes.count <= 4, stepBytes.allSatisfy(Self.isDigit) else {
                throw error("step '\(Self.text(stepBytes))' in '\(Self.text(term))' is not a number")
            }
            step = stepBytes.reduce(0) { $0 * 10 + Int($1 - 48) }
            guard step >= 1 else { throw error("step 0 in '\(Self.text(term))' must be at least 1") }
        }
        let low: Int
        let high: Int
        if base.count == 1, base.first == UInt8(ascii: "*") || base.first == UInt8(ascii: "?") {
            (low, high) = (range.lowerBound, range.upperBound)
        } else if let dash = base.firstIndex(of: UInt8(ascii: "-")) {
            low = try value(base[..<dash])
            high = try value(base[(dash + 1)...])
            guard low <= high else {
                throw error("range \(Self.text(base)) runs backwards (\(low) is after \(high))")
            }
        } else {
            low = try value(base)
            high = step > 1 ? range.upperBound : low
        }
        var bits: UInt64 = 0
        for value in stride(from: low, through: high, by: step) { bits |= 1 << value }
        return bits
    }

    /// Runs `body` on the UTF-8 bytes of `text`.
    static func withBytes<R>(_ text: Substring, _ body: (CronBytes) throws(ScheduleError) -> R) throws(ScheduleError) -> R {
        var copy = String(text)
        return try copy.withUTF8 { buffer in
            Result { () throws(ScheduleError) -> R in try body(buffer[...]) }
        }.get()
    }

    func value(_ text: Substring) throws(ScheduleError) -> Int {
        try Self.withBytes(text) { bytes throws(ScheduleError) in try value(bytes) }
    }

    func rangeBits(_ text: Substring) throws(ScheduleError) -> UInt64 {
        try Self.withBytes(text) { bytes throws(ScheduleError) in try rangeBits(bytes) }
    }
}
