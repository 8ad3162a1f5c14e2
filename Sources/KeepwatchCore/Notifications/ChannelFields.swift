/// Reads a channel document's fields strictly: each error names its field and says what it takes.
struct ChannelFields {
    let object: [String: JSONValue]

    init(_ json: JSONValue) throws(DocumentError) {
        guard case .object(let object) = json else { throw DocumentError(field: "channel", "must be an object, not \(json.typeName)") }
        self.object = object
    }

    func refuseUnknown(_ known: Set<String>) throws(DocumentError) {
        for key in object.keys.sorted() where !known.contains(key) {
            let hint = NearestName.find(key, among: Array(known)).map { "; did you mean \($0)?" } ?? ""
            throw DocumentError(field: key, "is not a key of this kind of channel\(hint)")
        }
    }

    func name() throws(DocumentError) -> String {
        guard let name = try text("name") else { throw DocumentError(field: "name", "is required") }
        guard name.count <= 64, name.utf8.allSatisfy({ Self.nameBytes.contains($0) }), name.first != "-" else {
            throw DocumentError(field: "name", "'\(name.clipped)' must be 1-64 letters, digits, '-', '_' or '.'")
        }
        return name
    }

    static let nameBytes = Set(Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.".utf8))

    func text(_ key: String) throws(DocumentError) -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let text)?:
            guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" }) else {
                throw DocumentError(field: key, "must not contain control characters")
            }
            return text.isEmpty ? nil : text
        case let other?: throw DocumentError(field: key, "must be a string, not \(other.typeName)")
        }
    }

    func line(_ key: String) throws(DocumentError) -> String? {
        let value = try text(key)
        if let value, value.contains("\n") || value.contains("\r") { throw DocumentError(field: key, "must be one line") }
        return value
    }

    func whole(_ key: String, _ range: ClosedRange<Int>) throws(DocumentError) -> Int? {
        guard let value = object[key], value != .null else { return nil }
        guard case .number(let number) = value, let whole = Int(exactly: number), range.contains(whole) else {
            throw DocumentError(field: key, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return whole
    }

    func flag(_ key: String) throws(DocumentError) -> Bool? {
        switch object[key] {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        case let other?: throw DocumentError(field: key, "must be true or false, not \(other.typeName)")
        }
    }

    /// Seconds, or a period such as `4h` or `1h30m`.
    func period(_ key: String, minimum: Int64) throws(DocumentError) -> Int64? {
        let seconds: Int64
        switch object[key] {
        case nil, .null?: return nil
        case .number(let number)?:
            guard let whole = Int64(exactly: number) else { throw DocumentError(field: key, "must be whole seconds or a period such as 4h") }
            seconds = whole
        case .string(let text)?:
            do {
                seconds = try IntervalRule.parsePeriod(text, field: key, example: "4h")
            } catch {
                throw DocumentError(field: key, error.message)
            }
        case let other?: throw DocumentError(field: key, "must be seconds or a period such as 4h, not \(other.typeName)")
        }
        guard seconds >= minimum, seconds <= 31_536_000 else { throw DocumentError(field: key, "must be from \(minimum) seconds to a year") }
        return seconds
    }

    func strings(_ key: String) throws(DocumentError) -> [String]? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let text)?: return [text]
        case .array(let items)?:
            var result: [String] = []
            for item in items {
                guard case .string(let text) = item, !text.isEmpty else { throw DocumentError(field: key, "must be a list of non-empty strings") }
                result.append(text)
            }
            return result
        case let other?: throw DocumentError(field: key, "must be a list of strings, not \(other.typeName)")
        }
    }

    /// `key`, `key_file` (an absolute path) or `key_env` (a variable name): exactly one when required.
    func secret(_ key: String, required: Bool, url: Bool = false) throws(DocumentError) -> SecretReference? {
        let inline = try line(key), file = try line(key + "_file"), environment = try line(key + "_env")
        let given = [inline, file, environment].compactMap { $0 }.count
        if given > 1 { throw DocumentError(field: key, "give one of \(key), \(key)_file or \(key)_env") }
        if let inline {
            if url { try Self.checkURL(inline, field: key) }
            return .inline(inline)
        }
        if let file {
            guard file.hasPrefix("/") else { throw DocumentError(field: key + "_file", "must be an absolute path") }
            return .file(file)
        }
        if let environment {
            guard environment.utf8.allSatisfy({ Self.variableBytes.contains($0) }), environment.first?.isNumber == false else {
                throw DocumentError(field: key + "_env", "'\(environment.clipped)' is not an environment variable name")
            }
            return .environment(environment)
        }
        if required { throw DocumentError(field: key, "is required (or \(key)_file, or \(key)_env)") }
        return nil
    }

    static let variableBytes = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_".utf8))

    static func checkURL(_ text: String, field: String) throws(DocumentError) {
        let lower = text.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), !text.contains(where: { $0 == " " || $0.isNewline }) else {
            throw DocumentError(field: field, "must be an http:// or https:// URL")
        }
        let rest = text.drop { $0 != "/" }.dropFirst(2)
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.split(separator: "@").last.map(String.init) ?? ""
        let bracketed = host.hasPrefix("[")
        let valid = !host.isEmpty && (bracketed ? host.contains("]") : !host.contains("[") && !host.contains("]"))
            && !host.hasPrefix(":") && host.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._:[]%$".contains($0)) }
        guard valid else { throw DocumentError(field: field, "'\(text.clipped)' has no valid host: write http://host[:port]/path") }
    }

    func quietHours() throws(DocumentError) -> QuietHours? {
        guard let value = object["quiet_hours"], value != .null else { return nil }
        guard case .object(let fields) = value else { throw DocumentError(field: "quiet_hours", "must be {from: \"22:00\", to: \"07:00\", tz: …}") }
        for key in fields.keys.sorted() where !["from", "to", "tz"].contains(key) {
            throw DocumentError(field: "quiet_hours.\(key)", "is not a key (from, to, tz)")
        }
        guard let from = fields["from"]?.stringValue.flatMap(QuietHours.minutes) else {
            throw DocumentError(field: "quiet_hours.from", "must be a time such as \"22:00\"")
        }
        guard let to = fields["to"]?.stringValue.flatMap(QuietHours.minutes) else {
            throw DocumentError(field: "quiet_hours.to", "must be a time such as \"07:00\"")
        }
        let zone = fields["tz"]?.stringValue ?? "UTC"
        guard (try? ZoneDatabase.rules(for: zone)) != nil else { throw DocumentError(field: "quiet_hours.tz", "'\(zone.clipped)' is not a time zone") }
        return QuietHours(from: from, to: to, zone: zone)
    }

    func smtp() throws(DocumentError) -> ChannelDefinition.SMTP {
        guard let host = try line("host") else { throw DocumentError(field: "host", "is required (the SMTP server)") }
        let tlsText = try text("tls") ?? "starttls"
        guard let tls = ChannelDefinition.TLSMode(rawValue: tlsText) else {
            throw DocumentError(field: "tls", "'\(tlsText.clipped)' is not one of starttls, implicit, none")
        }
        let port = try whole("port", 1...65_535) ?? (tls == .implicit ? 465 : 587)
        guard let from = try line("from") else { throw DocumentError(field: "from", "is required (the sender's address)") }
        guard let to = try strings("to"), !to.isEmpty else { throw DocumentError(field: "to", "is required (a list of addresses)") }
        for address in [from] + to where !Self.isAddress(address) {
            throw DocumentError(field: address == from ? "from" : "to", "'\(address.clipped)' is not a mail address")
        }
        let username = try line("username")
        let password = try secret("password", required: false)
        if password != nil && username == nil { throw DocumentError(field: "username", "is required with a password") }
        if username != nil, tls == .none, !["127.0.0.1", "::1", "localhost"].contains(host.lowercased()) {
            throw DocumentError(field: "tls", "none would send the password in clear to \(host.clipped): use starttls or implicit")
        }
        let caFile = try line("ca_file")
        if let caFile, !caFile.hasPrefix("/") { throw DocumentError(field: "ca_file", "must be an absolute path") }
        return .init(host: host, port: port, tls: tls, username: username, password: password, from: from, to: to,
                     tlsInsecure: try flag("tls_insecure") ?? false, caFile: caFile)
    }

    /// `name@host`, or `Name <name@host>`, on one line.
    static func isAddress(_ text: String) -> Bool {
        var address = Substring(text)
        if let open = text.lastIndex(of: "<"), text.hasSuffix(">") { address = text[text.index(after: open)..<text.index(before: text.endIndex)] }
        guard !address.contains(where: { " \r\n\t,<>".contains($0) }) else { return false }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty
    }

    func webhook() throws(DocumentError) -> ChannelDefinition.Webhook {
        let presetText = try text("preset")
        let preset = try presetText.map { text throws(DocumentError) -> ChannelDefinition.Preset in
            guard let preset = ChannelDefinition.Preset(rawValue: text) else {
                throw DocumentError(field: "preset", "'\(text.clipped)' is not one of \(ChannelDefinition.Preset.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return preset
        }
        let fallback: SecretReference? = preset == .pagerduty ? .inline("https://events.pagerduty.com/v2/enqueue") : nil
        guard let url = try secret("url", required: fallback == nil, url: true) ?? fallback else {
            throw DocumentError(field: "url", "is required")
        }
        let method = (try text("method") ?? "POST").uppercased()
        guard ["GET", "POST", "PUT", "PATCH"].contains(method) else { throw DocumentError(field: "method", "must be GET, POST, PUT or PATCH") }
        var headers: [String: String] = [:]
        if let value = object["headers"], value != .null {
            guard case .object(let fields) = value else { throw DocumentError(field: "headers", "must be a mapping of header names to values") }
            for (name, value) in fields {
                guard !name.isEmpty, name.utf8.allSatisfy({ Self.tokenBytes.contains($0) }), case .string(let text) = value,
                      !text.contains("\r"), !text.contains("\n") else {
                    throw DocumentError(field: "headers.\(name.clipped)", "must be a header name with a one-line value")
                }
                headers[name] = text
            }
        }
        let body = try text("body")
        if let body, body.utf8.count > 10_000 { throw DocumentError(field: "body", "must be at most 10,000 bytes") }
        let routingKey = try secret("routing_key", required: preset == .pagerduty)
        if routingKey != nil && preset != .pagerduty { throw DocumentError(field: "routing_key", "is for preset: pagerduty") }
        return .init(url: url, method: method, headers: headers, body: body, preset: preset, routingKey: routingKey)
    }

    static let tokenBytes = Set(Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~".utf8))

    func command() throws(DocumentError) -> [String] {
        if case .string? = object["command"] {
            throw DocumentError(field: "command", "must be a list: the program, then each argument (no shell reads it), e.g. [apprise, -b, \"$MESSAGE\", URL]")
        }
        guard let arguments = try strings("command"), let program = arguments.first else {
            throw DocumentError(field: "command", "is required: the program and its arguments, as a list")
        }
        guard program.hasPrefix("/") || !program.contains("/") else {
            throw DocumentError(field: "command", "the program must be an absolute path or a name on PATH")
        }
        return arguments
    }
}
