/// Compact JSON text with keys in order: how job documents are kept in memory (a few hundred bytes each instead of a
/// tree of dictionaries) and compared.
public enum JSONWriter {
    public static func text(_ value: JSONValue) -> String {
        var output = ""
        write(value, to: &output)
        return output
    }

    static func write(_ value: JSONValue, to output: inout String) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .number(let number):
            if number.rounded() == number, Swift.abs(number) < 1e15 { output += String(Int64(number)) } else { output += "\(number)" }
        case .string(let text): writeString(text, to: &output)
        case .array(let items):
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += "," }
                write(item, to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { output += "," }
                writeString(key, to: &output)
                output += ":"
                if let member = members[key] { write(member, to: &output) }
            }
            output += "}"
        }
    }

    /// A JSON string: `DoubleQuoted`'s escapes (`\\`, `\"`, `\n`, `\r`, `\t`, `\uXXXX` for controls) are JSON's own.
    static func writeString(_ text: String, to output: inout String) {
        output += DoubleQuoted.quote(text)
    }
}
