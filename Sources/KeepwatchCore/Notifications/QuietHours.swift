/// Hours in which a channel says nothing (`from: "22:00"`, `to: "07:00"`, in a time zone): what falls due then is
/// held until they end, then sent. A span that passes midnight ends the next day.
public struct QuietHours: Sendable, Equatable {
    /// Minutes after midnight.
    public var from: Int
    public var to: Int
    public var zone: String

    public init(from: Int, to: Int, zone: String) {
        self.from = from
        self.to = to
        self.zone = zone
    }

    public var json: JSONValue {
        ["from": .string(Self.clock(from)), "to": .string(Self.clock(to)), "tz": .string(zone)]
    }

    static func clock(_ minutes: Int) -> String {
        let hours = minutes / 60, rest = minutes % 60
        return (hours < 10 ? "0" : "") + "\(hours):" + (rest < 10 ? "0" : "") + "\(rest)"
    }

    /// `HH:MM`, 00:00 to 23:59.
    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let hours = Int(parts[0]), let minutes = Int(parts[1]), (0...23).contains(hours), (0...59).contains(minutes) else { return nil }
        return hours * 60 + minutes
    }

    /// When the quiet hours that hold `instant` end (Unix seconds), or nil when `instant` is not in them.
    public func end(containing instant: Int64, rules: ZoneRules) -> Int64? {
        guard from != to else { return nil }
        let local = instant + rules.offset(at: instant)
        let day = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let minute = Int((local - day * 86_400) / 60)
        let inside = from < to ? (minute >= from && minute < to) : (minute >= from || minute < to)
        guard inside else { return nil }
        let endDay = from < to || minute < to ? day : day + 1
        return rules.firstInstant(localSeconds: endDay * 86_400 + Int64(to) * 60)
    }
}
