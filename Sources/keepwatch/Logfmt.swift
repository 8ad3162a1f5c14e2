/// Reads a logfmt line, `key=value key="quoted value" …`, as the node writes its run logs: a quoted value may
/// hold spaces and the escapes `\"`, `\\` and `\n`. A word without `=` is kept as a key with an empty value.
enum Logfmt {
    struct Field: Equatable {
        let key: String
        let value: String
    }

    static func parse(_ line: String) -> [Field] {
        var fields: [Field] = []
        var rest = Substring(line)
        while true {
            rest = rest.drop(while: { $0 == " " || $0 == "\t" })
            guard !rest.isEmpty else { return fields }
            let key = rest.prefix(while: { $0 != "=" && $0 != " " && $0 != "\t" })
            rest = rest.dropFirst(key.count)
            guard rest.first == "=" else {
                fields.append(Field(key: String(key), value: ""))
                continue
            }
            rest = rest.dropFirst()
            let (value, remainder) = rest.first == "\"" ? quotedValue(rest.dropFirst()) : bareValue(rest)
            fields.append(Field(key: String(key), value: value))
            rest = remainder
        }
    }

    /// The field's value, or nil when the line has no such key.
    static func value(_ key: String, in fields: [Field]) -> String? {
        fields.first { $0.key == key }?.value
    }

    private static func bareValue(_ text: Substring) -> (String, Substring) {
        let value = text.prefix(while: { $0 != " " && $0 != "\t" })
        return (String(value), text.dropFirst(value.count))
    }

    /// Reads up to the closing quote (`text` starts after the opening one); an unclosed quote runs to the end.
    private static func quotedValue(_ text: Substring) -> (String, Substring) {
        var value = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            index = text.index(after: index)
            if character == "\"" { return (value, text[index...]) }
            guard character == "\\", index < text.endIndex else {
                value.append(character)
                continue
            }
            let escaped = text[index]
            index = text.index(after: index)
            switch escaped {
            case "n": value.append("\n")
            case "t": value.append("\t")
            default: value.append(escaped)
            }
        }
        return (value, text[text.endIndex...])
    }
}
