import Foundation
import KeepwatchCore

/// Prints a value as pretty JSON with sorted keys: what every `--json` prints.
func printJSON(_ value: JSONValue) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    if let data = try? encoder.encode(value) { print(String(decoding: data, as: UTF8.self)) }
}

/// An object without the keys whose value is absent, so `--json` output carries no `null`s.
func jsonObject(_ pairs: [(String, JSONValue?)]) -> JSONValue {
    var object: [String: JSONValue] = [:]
    for (key, value) in pairs {
        if let value, !value.isNull { object[key] = value }
    }
    return .object(object)
}

/// Times as the CLI shows them: ISO-8601 in UTC.
enum Timestamp {
    /// The instant, or `-` when there is none (absent or negative, as Freezer writes "never").
    static func text(_ seconds: Int64?) -> String {
        guard let seconds, seconds >= 0 else { return "-" }
        return ISO8601.format(Instant(secondsSince1970: seconds), in: .utc)
    }

    /// The instant as a JSON string, or nil when there is none.
    static func json(_ seconds: Int64?) -> JSONValue? {
        guard let seconds, seconds >= 0 else { return nil }
        return .string(ISO8601.format(Instant(secondsSince1970: seconds), in: .utc))
    }
}
