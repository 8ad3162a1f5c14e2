/// Text inside double quotes with `\`, `"` and newlines escaped, as logfmt lines and YAML both read it.
public enum DoubleQuoted {
    public static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    public static func quote(_ text: String) -> String { "\"" + escape(text) + "\"" }
}
