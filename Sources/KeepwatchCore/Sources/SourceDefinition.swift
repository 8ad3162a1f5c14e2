/// A remote system the node watches, as `/proxy/controllers/*` and `keepwatch admin addcontroller` define it:
/// cmon-proxy's controller keys (`url`, `name`, `username`, `password`, `frontend_url`) plus Keepwatch's (`kind`,
/// `token`, `mysql_url`, `rsync_url`, `timeout`, `refresh_interval`, `tls_ca_file`, `tls_insecure`).
/// Secrets (`password`, `token`) are never part of what it shows.
public struct SourceDefinition: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case cmon, mgob, ethoscope, keepwatch, slapos, local
    }

    public var xid: String
    public var kind: Kind
    public var name: String
    /// As given (trimmed, without a trailing slash): replies and `by_controller` maps key on it, as cmon-proxy's do.
    public var url: String
    public var username: String?
    public var password: String?
    public var token: String?
    public var frontendURL: String?
    public var mysqlURL: String?
    public var rsyncURL: String?
    /// Seconds a request to the source may take.
    public var timeout: Int
    /// Seconds between refreshes.
    public var refreshInterval: Int
    public var tlsCAFile: String?
    public var tlsInsecure: Bool

    public static let defaultTimeout = 10
    public static let defaultRefreshInterval = 60
    static let keys: Set<String> = ["xid", "kind", "name", "url", "username", "password", "token", "frontend_url", "mysql_url",
                                    "rsync_url", "timeout", "refresh_interval", "tls_ca_file", "tls_insecure",
                                    "controller_id", "controller_name", "pool_id", "keyfile", "controllers", "preferences"]

    /// Reads a `controller` object; `xid` is used when the object has none.
    public init(json: JSONValue, xid fallback: String) throws(DocumentError) {
        guard let object = json.objectValue else {
            throw DocumentError(field: "controller", "must be an object, not \(json.typeName)")
        }
        for key in object.keys.sorted() where !Self.keys.contains(key) {
            let hint = NearestName.find(key, among: Array(Self.keys)).map { "; did you mean \($0)?" } ?? ""
            throw DocumentError(field: "controller.\(key)", "is not a controller key\(hint)")
        }
        let kindText = try Self.text(object, "kind") ?? Kind.cmon.rawValue
        guard let kind = Kind(rawValue: kindText) else {
            let choices = Kind.allCases.filter { $0 != .local }.map(\.rawValue).joined(separator: ", ")
            throw DocumentError(field: "controller.kind", "'\(kindText.clipped)' is not one of \(choices)")
        }
        guard let given = try Self.text(object, "url") else { throw DocumentError(field: "controller.url", "is required") }
        let url = try Self.checkedURL(given, field: "controller.url")
        xid = try Self.text(object, "xid") ?? fallback
        guard XID.isValid(xid) else { throw DocumentError(field: "controller.xid", "'\(xid.clipped)' is not an xid (20 characters 0-9a-v)") }
        self.kind = kind
        self.url = url
        let alias = try Self.text(object, "controller_name")
        name = try Self.text(object, "name") ?? alias ?? Self.host(of: Self.withScheme(url))
        username = try Self.text(object, "username")
        password = try Self.text(object, "password")
        token = try Self.text(object, "token")
        frontendURL = try Self.text(object, "frontend_url")
        mysqlURL = try Self.text(object, "mysql_url").map { text throws(DocumentError) in try Self.checkedURL(text, field: "controller.mysql_url") }
        rsyncURL = try Self.text(object, "rsync_url").map { text throws(DocumentError) in try Self.checkedURL(text, field: "controller.rsync_url") }
        timeout = try Self.seconds(object, "timeout", range: 1...600) ?? Self.defaultTimeout
        refreshInterval = try Self.seconds(object, "refresh_interval", range: 5...86_400) ?? Self.defaultRefreshInterval
        tlsCAFile = try Self.text(object, "tls_ca_file")
        if let file = tlsCAFile, !file.hasPrefix("/") { throw DocumentError(field: "controller.tls_ca_file", "must be an absolute path") }
        switch object["tls_insecure"] {
        case nil, .null?: tlsInsecure = false
        case .bool(let flag)?: tlsInsecure = flag
        case let other?: throw DocumentError(field: "controller.tls_insecure", "must be true or false, not \(other.typeName)")
        }
        if name.count > 60 { throw DocumentError(field: "controller.name", "must be at most 60 characters") }
        try Self.checkKeys(of: kind, object)
    }

    /// Where requests go: the URL with its scheme (`host:port` means `https://host:port`).
    public var baseURL: String { Self.withScheme(url) }

    /// Keys that only some kinds read: giving one to another kind is a mistake worth naming.
    static let kindKeys: [String: Set<Kind>] = [
        "username": [.cmon, .slapos], "password": [.cmon, .slapos], "token": [.keepwatch, .mgob, .slapos],
        "mysql_url": [.ethoscope], "rsync_url": [.ethoscope],
    ]

    static func checkKeys(of kind: Kind, _ object: [String: JSONValue]) throws(DocumentError) {
        guard kind != .local else { return }
        for key in object.keys.sorted() {
            guard let kinds = kindKeys[key], !kinds.contains(kind), let value = object[key], !value.isNull else { continue }
            if case .string(let text) = value, text.isEmpty { continue }
            let readers = kinds.map(\.rawValue).sorted().joined(separator: " and ")
            throw DocumentError(field: "controller.\(key)", "is read only by \(readers) sources, not by \(kind.rawValue) ones")
        }
    }

    /// The rule every face applies before saving a source: the local node is made by the node itself, once; a source
    /// can neither be added as `local` nor become it, and the local one cannot be changed or removed.
    public static func checkManaged(_ new: SourceDefinition?, replacing current: SourceDefinition?) throws(DocumentError) {
        if current?.kind == .local { throw DocumentError(field: "controller.kind", "the local node's source cannot be changed or removed") }
        if new?.kind == .local { throw DocumentError(field: "controller.kind", "local is this node itself, always a source; choose cmon, mgob, ethoscope, keepwatch or slapos") }
    }

    /// An Ethoscope node's MySQL backup daemon: `mysql_url`, or port 8090 of the node's host.
    public var mysqlStatusURL: String { mysqlURL.map(Self.statusURL) ?? Self.daemonURL(baseURL, port: 8090) }
    /// An Ethoscope node's rsync backup daemon: `rsync_url`, or port 8093 of the node's host.
    public var rsyncStatusURL: String { rsyncURL.map(Self.statusURL) ?? Self.daemonURL(baseURL, port: 8093) }

    /// A daemon URL as given, with `/status` added when it names no path (`http://node:8090`).
    static func statusURL(_ url: String) -> String {
        let full = withScheme(url)
        let parts = full.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        return parts.count <= 3 ? full + "/status" : full
    }

    /// `scheme://host:<port>/status` for the host of `url`.
    static func daemonURL(_ url: String, port: Int) -> String {
        let scheme = url.lowercased().hasPrefix("https://") ? "https" : "http"
        return "\(scheme)://\(host(of: url)):\(port)/status"
    }

    /// The URL requests go to for a URL given with or without a scheme.
    public static func withScheme(_ url: String) -> String {
        let lower = url.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://") ? url : "https://" + url
    }

    /// The URL as given, trimmed and without a trailing slash, once it is known to be `host:port[/path]`,
    /// `http://…` or `https://…`.
    public static func checkedURL(_ text: String, field: String) throws(DocumentError) -> String {
        let normalized = try normalizedURL(text, field: field)
        let trimmed = String(text.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
        let given = trimmed.hasSuffix("/") ? String(trimmed.dropLast()) : trimmed
        return withScheme(given) == normalized ? given : normalized
    }

    /// `host:port` → `https://host:port`; `http://` and `https://` are kept; anything else is refused.
    public static func normalizedURL(_ text: String, field: String) throws(DocumentError) -> String {
        let trimmed = String(text.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
        guard trimmed.count >= 3, !trimmed.contains(" "), !trimmed.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
            throw DocumentError(field: field, "'\(text.clipped)' is not a URL (host:port, or http:// or https:// followed by one)")
        }
        let lower = trimmed.lowercased()
        let withScheme = lower.hasPrefix("http://") || lower.hasPrefix("https://") ? trimmed : "https://" + trimmed
        guard withScheme.hasPrefix("http://") || withScheme.hasPrefix("https://"), !host(of: withScheme).isEmpty,
              !withScheme.dropFirst(withScheme.hasPrefix("https://") ? 8 : 7).contains("://") else {
            throw DocumentError(field: field, "'\(text.clipped)' must be host:port, http://… or https://…")
        }
        let authority = withScheme.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false).dropFirst(2).first ?? ""
        if authority.contains("@") {
            throw DocumentError(field: field, "must not carry credentials (user:password@); set username and password, or token, instead")
        }
        if withScheme.contains("?") || withScheme.contains("#") {
            throw DocumentError(field: field, "'\(text.clipped)' must not have a query or a fragment (? or #)")
        }
        let hostEnd = authority.hasPrefix("[") ? authority.firstIndex(of: "]").map(authority.index(after:)) : authority.firstIndex(of: ":")
        if let hostEnd, hostEnd < authority.endIndex, authority[hostEnd] == ":" {
            let port = authority[authority.index(after: hostEnd)...]
            guard !port.isEmpty, port.count <= 5, port.allSatisfy(\.isASCIIDigit), let number = Int(port), (1...65_535).contains(number) else {
                throw DocumentError(field: field, "'\(text.clipped)' has port \(String(port).clipped); a port is a number from 1 to 65535")
            }
        }
        return withScheme.hasSuffix("/") ? String(withScheme.dropLast()) : withScheme
    }

    /// The host part of a URL with a scheme (`https://db1:9501/x` → `db1`).
    public static func host(of url: String) -> String {
        let rest = url.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        guard rest.count >= 3 else { return "" }
        let authority = rest[2]
        if authority.hasPrefix("["), let end = authority.firstIndex(of: "]") { return String(authority[...end]) }
        return String(authority.split(separator: ":", maxSplits: 1).first ?? "")
    }

    /// What replies and logs may show: no password, no token (their presence only).
    public var shown: [String: JSONValue] {
        var object: [String: JSONValue] = ["xid": .string(xid), "kind": .string(kind.rawValue), "controller_name": .string(name),
                                           "url": .string(url), "timeout": .number(Double(timeout)),
                                           "refresh_interval": .number(Double(refreshInterval)), "tls_insecure": .bool(tlsInsecure)]
        object["username"] = username.map(JSONValue.string)
        object["frontend_url"] = frontendURL.map(JSONValue.string)
        object["mysql_url"] = mysqlURL.map(JSONValue.string)
        object["rsync_url"] = rsyncURL.map(JSONValue.string)
        object["tls_ca_file"] = tlsCAFile.map(JSONValue.string)
        object["has_password"] = .bool(password != nil)
        object["has_token"] = .bool(token != nil)
        return object
    }

    /// Every key, secrets included, as the store keeps it (sealed there) and `init(json:xid:)` reads it back.
    public var document: JSONValue {
        var object = shown.filter { $0.key != "has_password" && $0.key != "has_token" && $0.key != "controller_name" }
        object["name"] = .string(name)
        object["password"] = password.map(JSONValue.string)
        object["token"] = token.map(JSONValue.string)
        return .object(object)
    }

    static func text(_ object: [String: JSONValue], _ key: String) throws(DocumentError) -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text.isEmpty ? nil : text
        case let other?: throw DocumentError(field: "controller.\(key)", "must be a string, not \(other.typeName)")
        }
    }

    static func seconds(_ object: [String: JSONValue], _ key: String, range: ClosedRange<Int>) throws(DocumentError) -> Int? {
        switch object[key] {
        case nil, .null?: return nil
        case .number(let number)?:
            guard number.rounded() == number, let whole = Int(exactly: number), range.contains(whole) else {
                throw DocumentError(field: "controller.\(key)", "must be a whole number of seconds from \(range.lowerBound) to \(range.upperBound)")
            }
            return whole
        case let other?: throw DocumentError(field: "controller.\(key)", "must be a number of seconds, not \(other.typeName)")
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
