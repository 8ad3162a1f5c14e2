/// Text formats of Go's standard library and go-humanize, which mgob's clients read.
public enum GoFormat {
    /// go-humanize `Bytes`: SI units, e.g. `527 kB`, `4.9 kB`, `1.2 GB`, `9 B`.
    public static func bytes(_ count: Int64) -> String {
        if count < 10 { return "\(count) B" }
        let units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"]
        var exponent = 0
        var scaled = Double(count)
        while scaled >= 1000, exponent < units.count - 1 {
            scaled /= 1000
            exponent += 1
        }
        let rounded = (scaled * 10 + 0.5).rounded(.down) / 10
        if rounded < 10 {
            let tenths = Int((rounded * 10).rounded())
            return "\(tenths / 10).\(tenths % 10) \(units[exponent])"
        }
        return "\(Int(rounded.rounded())) \(units[exponent])"
    }

    /// Go's `time.Duration.String()`: `1.222549426s`, `2m3.5s`, `1h0m0s`, `1.5ms`, `0s`.
    public static func duration(nanoseconds: Int64) -> String {
        if nanoseconds == 0 { return "0s" }
        let negative = nanoseconds < 0
        let magnitude = nanoseconds.magnitude
        var text: String
        if magnitude < 1_000_000_000 {
            text = small(magnitude)
        } else {
            let hours = magnitude / 3_600_000_000_000
            let minutes = magnitude / 60_000_000_000 % 60
            let seconds = fraction(magnitude % 60_000_000_000, unit: 1_000_000_000) + "s"
            if hours > 0 {
                text = "\(hours)h\(minutes)m\(seconds)"
            } else if minutes > 0 {
                text = "\(minutes)m\(seconds)"
            } else {
                text = seconds
            }
        }
        return negative ? "-" + text : text
    }

    private static func small(_ nanoseconds: UInt64) -> String {
        if nanoseconds < 1_000 { return "\(nanoseconds)ns" }
        if nanoseconds < 1_000_000 { return fraction(nanoseconds, unit: 1_000) + "µs" }
        return fraction(nanoseconds, unit: 1_000_000) + "ms"
    }

    /// `value / unit` with the remainder as decimals, trailing zeros dropped.
    private static func fraction(_ value: UInt64, unit: UInt64) -> String {
        let whole = value / unit
        let remainder = value % unit
        if remainder == 0 { return "\(whole)" }
        var digits = String(remainder)
        let width = String(unit).count - 1
        digits = String(repeating: "0", count: width - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }

    /// RFC 3339 with nanoseconds as Go's `time.RFC3339Nano` prints it (trailing zeros dropped; `Z` for UTC).
    public static func rfc3339Nano(seconds: Int64, nanoseconds: Int64 = 0, in zone: ZoneRules = .utc) -> String {
        var text = ISO8601.format(Instant(secondsSince1970: seconds), in: zone)
        if zone.offset(at: seconds) == 0, zone == .utc { text = String(text.dropLast(6)) + "Z" }
        guard nanoseconds > 0 else { return text }
        var digits = String(nanoseconds)
        digits = String(repeating: "0", count: 9 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        let insertAt = text.index(text.startIndex, offsetBy: 19)
        text.insert(contentsOf: "." + digits, at: insertAt)
        return text
    }
}
