import KeepwatchCore

/// Reading remote JSON leniently: remotes write ids as numbers or strings, times as RFC 3339 text or Unix seconds.
enum JSONFields {
    static func text(_ value: JSONValue?) -> String {
        switch value {
        case .string(let text)?: return text
        case .number(let number)? where number.rounded() == number && Swift.abs(number) < 9e15: return String(Int64(number))
        case .number(let number)?: return String(number)
        case .bool(let flag)?: return flag ? "true" : "false"
        default: return ""
        }
    }

    static func int(_ value: JSONValue?) -> Int64? {
        switch value {
        case .number(let number)? where number.rounded() == number && Swift.abs(number) < 9e15: return Int64(number)
        case .string(let text)?: return Int64(text)
        case .bool(let flag)?: return flag ? 1 : 0
        default: return nil
        }
    }

    /// Unix seconds of an RFC 3339 text or a number; 0 when absent or unreadable.
    static func seconds(_ value: JSONValue?) -> Int64 {
        switch value {
        case .string(let text)?:
            guard !text.isEmpty, let parsed = try? ISO8601.parse(text) else { return 0 }
            return parsed.instant(in: .utc).secondsSince1970
        case .number(let number)? where number.isFinite && Swift.abs(number) < 9e15: return Int64(number)
        default: return 0
        }
    }

    static func texts(_ value: JSONValue?) -> [String] {
        guard case .array(let items)? = value else { return [] }
        return items.compactMap(\.stringValue)
    }

    static func rfc3339(_ seconds: Int64) -> String {
        ISO8601.formatUTC(Instant(secondsSince1970: seconds))
    }
}

extension String {
    /// Nil for an empty string, so `??` can fall through to another source of the value.
    var nonEmpty: String? { isEmpty ? nil : self }
}
