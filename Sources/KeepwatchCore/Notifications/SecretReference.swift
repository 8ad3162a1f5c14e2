/// A secret as a channel names it: the value itself, a file that holds it (one line, trimmed), or an environment
/// variable. Only `inline` holds the secret; the other two are read each time it is needed.
public enum SecretReference: Sendable, Equatable {
    case inline(String)
    case file(String)
    case environment(String)

    /// What a reply may show.
    public var shown: String {
        switch self {
        case .inline: return "(secret)"
        case .file(let path): return "(from file \(path))"
        case .environment(let name): return "(from environment \(name))"
        }
    }

    /// `key`, `key_file` or `key_env`, as it was given.
    func write(into object: inout [String: JSONValue], key: String) {
        switch self {
        case .inline(let value): object[key] = .string(value)
        case .file(let path): object[key + "_file"] = .string(path)
        case .environment(let name): object[key + "_env"] = .string(name)
        }
    }
}
