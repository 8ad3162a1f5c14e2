#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Finds IANA time zones in the system's zoneinfo directory (`$TZDIR`, else `/usr/share/zoneinfo`).
///
/// This read-only lookup of the operating system's time zone database is the one place where
/// `KeepwatchCore` touches the file system; zones are read once and cached for the process.
public enum ZoneDatabase {
    public struct LookupError: Error, Equatable, CustomStringConvertible {
        public let identifier: String
        public let reason: String
        public var description: String { "unknown time zone '\(identifier)': \(reason)" }
    }

    /// Transitions are computed from the zone's rule up to this year; later instants keep the last offset.
    static let lastComputedYear = 2400

    private static let cache = Mutex<[String: ZoneRules]>([:])

    public static var directory: String {
        if let value = getenv("TZDIR"), value.pointee != 0 { return String(cString: value) }
        return "/usr/share/zoneinfo"
    }

    public static func rules(for identifier: String) throws(LookupError) -> ZoneRules {
        if ["UTC", "Etc/UTC", "Z", "GMT", "Etc/GMT", "UCT", "Zulu", "Universal"].contains(identifier) {
            return identifier == "UTC" ? .utc : ZoneRules(identifier: identifier, transitions: [], offsets: [0])
        }
        if let cached = cache.withLock({ $0[identifier] }) { return cached }
        let rules = try load(identifier)
        cache.withLock { $0[identifier] = rules }
        return rules
    }

    private static func load(_ identifier: String) throws(LookupError) -> ZoneRules {
        guard isPlausibleName(identifier) else {
            throw LookupError(identifier: identifier, reason: "not an IANA zone name such as Europe/Riga")
        }
        let path = directory + "/" + identifier
        guard let bytes = readFile(path) else {
            throw LookupError(identifier: identifier, reason: "no such zone in \(directory) (is tzdata installed?)")
        }
        do {
            let contents = try TZifParser.parse(bytes)
            return build(identifier, contents)
        } catch {
            throw LookupError(identifier: identifier, reason: "\(path) is \(error)")
        }
    }

    private static func build(_ identifier: String, _ contents: TZifParser.Contents) -> ZoneRules {
        var transitions = contents.transitions
        var offsets = contents.offsets
        if let footer = contents.footer, let rule = PosixTimeZoneRule(footer) {
            let last = transitions.last ?? Int64.min
            let firstYear = transitions.last.map { LocalDateTime(localSeconds: $0).year } ?? 1970
            for year in firstYear...lastComputedYear {
                for (instant, offset) in rule.transitions(inYear: year) where instant > last {
                    if offset != offsets[offsets.count - 1] {
                        transitions.append(instant)
                        offsets.append(offset)
                    }
                }
            }
            if rule.daylight == nil, offsets[offsets.count - 1] != rule.standardOffset {
                transitions.append(transitions.last.map { $0 + 1 } ?? Int64.min + 1)
                offsets.append(rule.standardOffset)
            }
        }
        return ZoneRules(identifier: identifier, transitions: transitions, offsets: offsets)
    }

    static func isPlausibleName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 64, !name.hasPrefix("/"), !name.contains("..") else { return false }
        return name.utf8.allSatisfy { c in
            (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57)
                || c == UInt8(ascii: "/") || c == UInt8(ascii: "_") || c == UInt8(ascii: "-") || c == UInt8(ascii: "+")
        }
    }

    private static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 { return nil }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
            if bytes.count > 1 << 20 { return nil }
        }
        return bytes
    }
}
