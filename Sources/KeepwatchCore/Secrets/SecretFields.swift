/// The places in a job document that hold secrets: `password` in a `freezer_action` or in `action_defaults`, and
/// the password part of a `uri` (`mongodb://user:password@host/db`). Replies show them redacted; the store keeps
/// them sealed with the node key.
public enum SecretFields {
    public static let redaction = "<redacted>"

    /// The document with every secret replaced by `<redacted>`.
    public static func redacted(_ document: JSONValue) -> JSONValue {
        transform(document) { key, value in
            key == "password" ? redaction : URIPassword.replacing(in: value, with: redaction)
        }
    }

    /// The document with every secret sealed.
    public static func sealed(_ document: JSONValue, with sealer: any SecretSealer) -> JSONValue {
        transform(document) { _, value in SealedText.isSealed(value) ? value : sealer.seal(value) }
    }

    /// The document with every sealed secret opened.
    public static func opened(_ document: JSONValue, with sealer: any SecretSealer) throws -> JSONValue {
        var failure: (any Error)?
        let result = transform(document) { _, value in
            guard SealedText.isSealed(value) else { return value }
            do { return try sealer.open(value) } catch {
                failure = error
                return value
            }
        }
        if let failure { throw failure }
        return result
    }

    /// A flat document (a source's) with its `password` and `token` sealed.
    public static func sealedFlat(_ document: JSONValue, with sealer: any SecretSealer) -> JSONValue {
        guard var object = document.objectValue else { return document }
        for key in ["password", "token"] {
            if let text = object[key]?.stringValue, !SealedText.isSealed(text) { object[key] = .string(sealer.seal(text)) }
        }
        return .object(object)
    }

    /// A flat document with its sealed `password` and `token` opened.
    public static func openedFlat(_ document: JSONValue, with sealer: any SecretSealer) throws -> JSONValue {
        guard var object = document.objectValue else { return document }
        for key in ["password", "token"] {
            if let text = object[key]?.stringValue, SealedText.isSealed(text) { object[key] = .string(try sealer.open(text)) }
        }
        return .object(object)
    }

    /// Whether a `uri` value carries a password.
    public static func hasCredentials(_ uri: String) -> Bool { URIPassword.range(in: uri) != nil }

    /// Applies `change` to each secret string (`password` values, and `uri` values that hold a password).
    static func transform(_ document: JSONValue, _ change: (String, String) -> String) -> JSONValue {
        guard var object = document.objectValue else { return document }
        if let defaults = object["action_defaults"]?.objectValue {
            object["action_defaults"] = .object(transformAction(defaults, change))
        }
        if case .array(let actions)? = object["job_actions"] {
            object["job_actions"] = .array(actions.map { item in
                guard var entry = item.objectValue, let action = entry["freezer_action"]?.objectValue else { return item }
                entry["freezer_action"] = .object(transformAction(action, change))
                return .object(entry)
            })
        }
        return .object(object)
    }

    static func transformAction(_ action: [String: JSONValue], _ change: (String, String) -> String) -> [String: JSONValue] {
        var result = action
        for (key, value) in action {
            guard let text = value.stringValue else { continue }
            if key == "password" || (key == "uri" && (hasCredentials(text) || SealedText.isSealed(text))) {
                result[key] = .string(change(key, text))
            }
        }
        return result
    }
}

/// The password in `scheme://user:password@host…`.
enum URIPassword {
    static func range(in uri: String) -> Range<String.Index>? {
        let characters = Array(uri.indices)
        var authorityStart: String.Index?
        for (offset, index) in characters.enumerated() where offset + 2 < characters.count {
            if uri[index] == ":" && uri[characters[offset + 1]] == "/" && uri[characters[offset + 2]] == "/" {
                authorityStart = uri.index(index, offsetBy: 3)
                break
            }
        }
        guard let start = authorityStart else { return nil }
        let rest = uri[start...]
        let end: String.Index = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<end]
        guard let at = authority.lastIndex(of: "@") else { return nil }
        let userInfo = authority[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return nil }
        return uri.index(after: colon)..<at
    }

    static func replacing(in uri: String, with replacement: String) -> String {
        guard let range = range(in: uri) else { return uri }
        var copy = uri
        copy.replaceSubrange(range, with: replacement)
        return copy
    }
}
