import KeepwatchCore

/// How the pages write times, counts and sizes: relative times with the exact one beside, grouped digits.
enum WebFormat {
    /// A time as the templates show it: `ago` ("3 min ago", "in 2 h"), `exact` (ISO 8601 in `zone`), `iso` (UTC).
    static func time(_ seconds: Int64?, now: Int64, zone: ZoneRules = .utc) -> [String: Any]? {
        guard let seconds else { return nil }
        let instant = Instant(secondsSince1970: seconds)
        return ["ago": relative(seconds - now), "exact": ISO8601.format(instant, in: zone), "iso": ISO8601.format(instant, in: .utc)]
    }

    /// A time written as text (ISO 8601, or SlapOS's `…+0000`), as `time` shows it; nil when it does not parse.
    static func time(text: String?, now: Int64) -> [String: Any]? {
        guard var text, !text.isEmpty else { return nil }
        if text.hasSuffix("+0000") { text = String(text.dropLast(5)) + "Z" }
        guard let parsed = try? ISO8601.parse(text) else { return nil }
        return time(parsed.instant(in: .utc).secondsSince1970, now: now)
    }

    static func relative(_ delta: Int64) -> String {
        let magnitude = delta.magnitude
        if magnitude < 5 { return "just now" }
        let text = duration(Int64(clamping: magnitude))
        return delta < 0 ? "\(text) ago" : "in \(text)"
    }

    /// "42 s", "5 min", "3 h", "2 d": the largest unit, rounded down.
    static func duration(_ seconds: Int64) -> String {
        if seconds < 60 { return "\(seconds) s" }
        if seconds < 3600 { return "\(seconds / 60) min" }
        if seconds < 86_400 { return "\(seconds / 3600) h" }
        return "\(seconds / 86_400) d"
    }

    /// "1 archive", "12 345 archives": the count grouped, the noun agreeing with it.
    static func counted(_ value: Int, _ one: String, _ many: String) -> String {
        value == 1 ? "1 \(one)" : "\(grouped(value)) \(many)"
    }

    /// Digits grouped by thousands with a thin space: 12 345.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append("\u{202F}") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }

    static func bytes(_ value: Int64?) -> String {
        guard let value else { return "" }
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var size = Double(value)
        var unit = 0
        while size >= 1024 && unit < units.count - 1 {
            size /= 1024
            unit += 1
        }
        if unit == 0 { return "\(grouped(Int(clamping: value))) B" }
        let tenths = Int((size * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }
}
