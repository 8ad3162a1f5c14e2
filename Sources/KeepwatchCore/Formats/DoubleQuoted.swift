/// Text as a double-quoted log value: `\` and `"` escaped, and every control character (C0, DEL, C1, U+2028 and
/// U+2029) written as `\uXXXX`, scalar by scalar, so that no input can start a line of its own or move a cursor.
public enum DoubleQuoted {
    public static func escape(_ text: String) -> String {
        // Most text needs nothing: printable ASCII without `\` or `"` is returned as it is.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") && $0 != UInt8(ascii: "\"") }) { return text }
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where isControl(scalar):
                let hex = String(scalar.value, radix: 16)
                escaped += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    public static func quote(_ text: String) -> String { "\"" + escape(text) + "\"" }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    /// Text fit for the audit trail and the log: control characters escaped and at most `limit` characters kept.
    public static func bounded(_ text: String, limit: Int = 128) -> String {
        let cut = text.count > limit ? String(text.prefix(limit)) + "…(\(text.utf8.count) bytes)" : text
        return cut.unicodeScalars.contains(where: isControl) ? escape(cut) : cut
    }
}
