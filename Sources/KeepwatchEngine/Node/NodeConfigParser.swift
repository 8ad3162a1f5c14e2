import Foundation
import KeepwatchCore

/// Reads keepwatch.yaml into a `NodeConfig`; every error names the file, the line and what to write instead.
struct NodeConfigParser {
    let text: String
    let path: String
    let lines: [String: Int]

    static let knownKeys: Set<String> = ["port", "bind", "log_level", "tls", "tls_cert", "tls_key", "session_ttl",
                                         "public_status", "users", "fetch_jobs_hours", "fetch_backups_days", "hub_concurrency", "monitor", "checks",
                                         "channels", "routes"]
    static let monitorKeys: Set<String> = ["ping_body_limit", "ping_burst", "pings_per_second", "public", "promise_dir", "title", "base_url",
                                           "promise_concurrency"]

    init(text: String, path: String) {
        self.text = text
        self.path = path
        self.lines = YAMLValue.lines(in: text)
    }

    func failure(_ key: String, _ message: String) -> NodeConfig.Failure {
        let line = lines[key].map { ", line \($0)" } ?? ""
        // An item of a list reads as `checks[0].name …`.
        let joined = message.hasPrefix("[") ? "\(key)\(message)" : "\(key) \(message)"
        return NodeConfig.Failure(description: "\(path)\(line): \(joined)")
    }

    func parse() throws -> NodeConfig {
        let value: JSONValue
        do {
            value = try YAMLValue.json(from: text)
        } catch {
            throw NodeConfig.Failure(description: "\(path) is \(error)")
        }
        guard let object = value.objectValue else { throw NodeConfig.Failure(description: "\(path): expected key: value lines") }
        for key in object.keys.sorted() where !Self.knownKeys.contains(key) {
            throw failure(key, "is not a known key (known: \(Self.knownKeys.sorted().joined(separator: ", ")))")
        }
        var config = NodeConfig()
        if let port = object["port"] { config.port = try integer(port, key: "port", in: 0...65_535) }
        if let bind = object["bind"] { config.bind = try string(bind, key: "bind") }
        if let level = object["log_level"] {
            guard let text = level.stringValue, NodeConfig.logLevels.contains(text) else {
                throw failure("log_level", "must be one of \(NodeConfig.logLevels.joined(separator: ", "))")
            }
            config.logLevel = text
        }
        try parseSecurity(object, into: &config)
        // cmon-proxy reads a value below 1 as its default.
        if let hours = object["fetch_jobs_hours"] { config.fetchJobsHours = max(try integer(hours, key: "fetch_jobs_hours", in: -1_000_000...87_600), 0) }
        if let days = object["fetch_backups_days"] { config.fetchBackupsDays = max(try integer(days, key: "fetch_backups_days", in: -1_000_000...36_500), 0) }
        if config.fetchJobsHours < 1 { config.fetchJobsHours = 12 }
        if config.fetchBackupsDays < 1 { config.fetchBackupsDays = 7 }
        if let limit = object["hub_concurrency"] { config.hubConcurrency = try integer(limit, key: "hub_concurrency", in: 1...1024) }
        if let monitor = object["monitor"] { try parseMonitor(monitor, into: &config) }
        if let checks = object["checks"] { try parseChecks(checks, into: &config) }
        if let channels = object["channels"] { try parseChannels(channels, into: &config) }
        if let routes = object["routes"] { try parseRoutes(routes, into: &config) }
        return config
    }

    /// `checks:` — built-in checks and heartbeat checks, each a mapping with a `name` and a `kind`.
    func parseChecks(_ value: JSONValue, into config: inout NodeConfig) throws {
        guard case .array(let items) = value else { throw failure("checks", "must be a list (checks:, then - name: … lines)") }
        var seen: Set<String> = []
        var uuids: Set<String> = []
        for (index, item) in items.enumerated() {
            let name: String
            if item.objectValue?["kind"] == .string("heartbeat") {
                let heartbeat = try heartbeatCheck(item, index: index)
                if let uuid = heartbeat.uuid, !uuids.insert(uuid).inserted {
                    throw failure("checks", "[\(index)].uuid \(uuid) is given twice")
                }
                config.heartbeats.append(heartbeat)
                name = heartbeat.name
            } else {
                let check = try builtInCheck(item, index: index)
                config.checks.append(check)
                name = check.name
            }
            guard seen.insert(name).inserted else { throw failure("checks", "[\(index)].name \(name) is given twice") }
        }
    }

    func builtInCheck(_ item: JSONValue, index: Int) throws -> BuiltInCheck {
        do throws(BuiltInCheck.Invalid) {
            return try BuiltInCheck(json: item)
        } catch {
            throw failure("checks", "[\(index)].\(error.field) \(error.message)")
        }
    }

    func heartbeatCheck(_ item: JSONValue, index: Int) throws -> ConfiguredHeartbeat {
        do throws(HeartbeatSpec.Invalid) {
            return try ConfiguredHeartbeat(json: item, now: Int64(Date().timeIntervalSince1970))
        } catch {
            let words = error.field.map { field in error.message.hasPrefix(field + " ") ? error.message : "\(field) \(error.message)" }
            throw failure("checks", "[\(index)].\(words ?? error.message)")
        }
    }

    /// `monitor:` — how heartbeat pings are taken.
    func parseMonitor(_ value: JSONValue, into config: inout NodeConfig) throws {
        guard let monitor = value.objectValue else { throw failure("monitor", "must be a mapping (monitor:, then indented keys)") }
        for key in monitor.keys.sorted() where !Self.monitorKeys.contains(key) {
            throw failure("monitor", "has no key \(key) (known: \(Self.monitorKeys.sorted().joined(separator: ", ")))")
        }
        func number(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
            guard let value = monitor[key] else { return nil }
            guard case .number(let number) = value, number.rounded() == number, number >= Double(range.lowerBound),
                  number <= Double(range.upperBound) else {
                throw failure("monitor", "\(key) must be a number \(range.lowerBound)-\(range.upperBound)")
            }
            return Int(number)
        }
        if let limit = try number("ping_body_limit", in: 0...10_000_000) { config.pingBodyLimit = limit }
        if let burst = try number("ping_burst", in: 1...1_000_000) { config.pingBurst = burst }
        if let rate = try number("pings_per_second", in: 1...1_000_000) { config.pingsPerSecond = rate }
        if let runs = try number("promise_concurrency", in: 1...256) { config.promiseConcurrency = runs }
        if let open = monitor["public"] {
            guard case .bool(let flag) = open else { throw failure("monitor", "public must be true or false") }
            config.monitorPublic = flag
        }
        for (key, path) in [("promise_dir", \NodeConfig.promiseDirectory), ("title", \NodeConfig.monitorTitle), ("base_url", \NodeConfig.monitorBaseURL)] {
            guard let value = monitor[key] else { continue }
            guard let text = value.stringValue, !text.isEmpty else { throw failure("monitor", "\(key) must be a text") }
            config[keyPath: path] = text
        }
    }

    func parseSecurity(_ object: [String: JSONValue], into config: inout NodeConfig) throws {
        if let tls = object["tls"] {
            let text: String? = if case .bool(let flag) = tls { flag ? "on" : "off" } else { tls.stringValue }
            guard let text, let mode = NodeConfig.TLSMode(rawValue: text) else { throw failure("tls", "must be off, on or auto") }
            config.tls = mode
        }
        if let file = object["tls_cert"] { config.tlsCertificate = try string(file, key: "tls_cert") }
        if let file = object["tls_key"] { config.tlsKey = try string(file, key: "tls_key") }
        if let ttl = object["session_ttl"] { config.sessionTTL = try sessionTTL(ttl) }
        if let open = object["public_status"] {
            guard case .bool(let flag) = open else { throw failure("public_status", "must be true or false") }
            config.publicStatus = flag
        }
        if let users = object["users"] { config.users = try configuredUsers(users) }
    }

    /// cmon-proxy writes nanoseconds (`3600000000000`); a period such as `30m` or `12h` is read too.
    func sessionTTL(_ value: JSONValue) throws -> Int64 {
        let seconds: Int64
        switch value {
        case .number(let nanoseconds) where nanoseconds.rounded() == nanoseconds && nanoseconds >= 0:
            seconds = Int64(nanoseconds / 1_000_000_000)
        case .string(let text):
            do {
                seconds = try IntervalRule.parsePeriod(text, field: "session_ttl", example: "30m")
            } catch {
                throw failure("session_ttl", "must be nanoseconds (cmon-proxy) or a period like 30m or 12h: \(error.message)")
            }
        default:
            throw failure("session_ttl", "must be nanoseconds (cmon-proxy) or a period like 30m or 12h")
        }
        guard seconds >= 1 else { throw failure("session_ttl", "must be at least one second") }
        return seconds
    }

    func configuredUsers(_ value: JSONValue) throws -> [ConfiguredUser] {
        if case .null = value { return [] }
        guard case .array(let items) = value else { throw failure("users", "must be a list of users") }
        var seen: Set<String> = []
        return try items.enumerated().map { index, item in
            let user = try configuredUser(item, key: "users[\(index)]")
            guard seen.insert(user.username).inserted else { throw failure("users[\(index)]", "lists \(user.username) twice") }
            return user
        }
    }

    func configuredUser(_ value: JSONValue, key: String) throws -> ConfiguredUser {
        guard let object = value.objectValue else { throw failure(key, "must be a mapping with username and passwordhash") }
        for field in object.keys.sorted() where !ConfiguredUser.knownKeys.contains(field) {
            throw failure("\(key).\(field)", "is not a user key (known: \(ConfiguredUser.knownKeys.sorted().joined(separator: ", ")))")
        }
        let username = try string(object["username"] ?? .null, key: "\(key).username")
        do { try UserAccount.checkUsername(username) } catch { throw failure("\(key).username", "'\(username)': \(error)") }
        let hash = try string(object["passwordhash"] ?? .null, key: "\(key).passwordhash")
        guard PasswordHashText(hash) != nil else {
            throw failure("\(key).passwordhash", "is not a hex(salt):iterations:hex(key) hash; set passwords with keepwatch admin setpassword")
        }
        var user = ConfiguredUser(username: username, passwordHash: hash)
        user.email = object["email"]?.stringValue
        do { try UserAccount.checkEmail(user.email) } catch { throw failure("\(key).email", "\(error)") }
        user.firstName = object["firstname"]?.stringValue
        user.lastName = object["lastname"]?.stringValue
        if let role = object["role"] {
            guard let text = role.stringValue, let parsed = Role(rawValue: text) else { throw failure("\(key).role", "must be one of \(Role.names)") }
            user.role = parsed
        }
        if case .bool(let suspended) = object["suspended"] { user.suspended = suspended }
        return user
    }

    func integer(_ value: JSONValue, key: String, in range: ClosedRange<Int>) throws -> Int {
        guard case .number(let number) = value, number.rounded() == number, number >= Double(range.lowerBound),
              number <= Double(range.upperBound) else {
            throw failure(key, "must be a number \(range.lowerBound)-\(range.upperBound)")
        }
        return Int(number)
    }

    func string(_ value: JSONValue, key: String) throws -> String {
        guard let text = value.stringValue, !text.isEmpty else { throw failure(key, "must be a non-empty text") }
        return text
    }
}
