/// A check Keepwatch runs itself, on a frequency, through the same runner and into the same files as promises:
/// `backup_freshness`, `job`, `disk_space`, `http` and `verify`. Defined in keepwatch.yaml (`checks:`) or through
/// `POST /api/v1/checks`; every document error names its field.
public struct BuiltInCheck: Sendable, Equatable {
    public enum Probe: Sendable, Equatable {
        /// A successful backup of the job (or with the backup name) whose archive matches its recorded SHA-256,
        /// younger than `maxAge` seconds.
        case backupFreshness(job: String?, backupName: String?, maxAge: Int64)
        /// The job's last finished run succeeded.
        case job(String)
        /// The path's file system keeps at least this much free.
        case diskSpace(path: String, minimum: Minimum)
        /// The URL answers with this status (and, when given, a body containing the text) within the timeout.
        case http(url: String, status: Int, timeout: Int, bodyContains: String?)
        /// The newest backup of the job (or name) reads back whole, as `keepwatch backup verify` reads it.
        case verify(job: String?, backupName: String?)
    }

    public enum Minimum: Sendable, Equatable {
        case percent(Double)
        case bytes(Int64)
    }

    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public let message: String
        public let field: String
        public var description: String { "\(field): \(message)" }
    }

    public var name: String
    public var title: String?
    public var frequency: String
    public var timeout: Int
    public var failureAmount: Int
    public var resultCount: Int
    public var probe: Probe

    public static let kinds = ["backup_freshness", "job", "disk_space", "http", "verify"]

    public var kind: String {
        switch probe {
        case .backupFreshness: return "backup_freshness"
        case .job: return "job"
        case .diskSpace: return "disk_space"
        case .http: return "http"
        case .verify: return "verify"
        }
    }

    static let common: Set<String> = ["name", "kind", "title", "frequency", "timeout", "failure_amount", "result_count"]
    static let keys: [String: Set<String>] = [
        "backup_freshness": ["job", "backup_name", "max_age"], "job": ["job"], "disk_space": ["path", "min_free"],
        "http": ["url", "expect_status", "http_timeout", "body_contains"], "verify": ["job", "backup_name"],
    ]

    public init(json: JSONValue) throws(Invalid) {
        guard case .object(let fields) = json else { throw Invalid(message: "a check is a mapping of keys", field: "check") }
        func text(_ key: String, required: Bool = false) throws(Invalid) -> String? {
            guard let value = fields[key] else {
                if required { throw Invalid(message: "is required", field: key) }
                return nil
            }
            guard case .string(let text) = value, !text.isEmpty else { throw Invalid(message: "must be a text", field: key) }
            guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw Invalid(message: "must not contain control characters", field: key)
            }
            return text
        }
        func whole(_ key: String, _ range: ClosedRange<Int>, default fallback: Int) throws(Invalid) -> Int {
            guard let value = fields[key] else { return fallback }
            guard case .number(let number) = value, number == number.rounded(), number >= Double(range.lowerBound),
                  number <= Double(range.upperBound) else {
                throw Invalid(message: "must be a whole number \(range.lowerBound)-\(range.upperBound)", field: key)
            }
            return Int(number)
        }
        guard let kind = try text("kind", required: true), let allowed = Self.keys[kind] else {
            if fields["kind"] == .string("heartbeat") {
                throw Invalid(message: "heartbeat checks are made through POST /api/v1/checks or the Healthchecks API, not here", field: "kind")
            }
            throw Invalid(message: "must be one of \(Self.kinds.joined(separator: ", "))", field: "kind")
        }
        for key in fields.keys.sorted() where !Self.common.contains(key) && !allowed.contains(key) {
            throw Invalid(message: "is not a key of a \(kind) check (it takes \((Self.common.union(allowed)).sorted().joined(separator: ", ")))", field: key)
        }
        guard fields["name"] != .string("") else { throw Invalid(message: "is required", field: "name") }
        guard let name = try text("name", required: true), Self.isName(name) else {
            throw Invalid(message: "must be 1-100 letters, digits, '.', '-' or '_'", field: "name")
        }
        self.name = name
        title = try text("title")
        frequency = try text("frequency") ?? (kind == "verify" ? "0 4 * * *" : "* * * * *")
        guard let cron = try? CronExpressionParser.parse(frequency) else {
            throw Invalid(message: "'\(frequency)' is not a cron line (5 fields, or 6 with seconds first)", field: "frequency")
        }
        guard cron.nextInstant(after: 946_684_800, in: .utc) != nil else {
            throw Invalid(message: "'\(frequency)' never fires", field: "frequency")
        }
        timeout = try whole("timeout", 1...86_400, default: kind == "verify" ? 3_600 : 20)
        resultCount = try whole("result_count", 1...1_000, default: 1)
        failureAmount = try whole("failure_amount", 1...resultCount, default: 1)
        switch kind {
        case "job":
            probe = .job(try Self.identifier(text("job", required: true), field: "job") ?? "")
        case "disk_space":
            let path = try text("path", required: true) ?? "/"
            guard path.hasPrefix("/") else { throw Invalid(message: "must be an absolute path", field: "path") }
            probe = .diskSpace(path: path, minimum: try Self.minimum(fields["min_free"]))
        case "http":
            let url = try text("url", required: true) ?? ""
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else { throw Invalid(message: "must start with http:// or https://", field: "url") }
            guard Self.hasHost(url) else { throw Invalid(message: "must name a host, as in http://host:port/path", field: "url") }
            probe = .http(url: url, status: try whole("expect_status", 100...599, default: 200), timeout: try whole("http_timeout", 1...3_600, default: 10),
                          bodyContains: try text("body_contains"))
        default:
            let job = try Self.identifier(text("job"), field: "job")
            let backupName = try Self.identifier(text("backup_name"), field: "backup_name")
            guard (job == nil) != (backupName == nil) else {
                throw Invalid(message: "or backup_name: give one of them, naming what to watch", field: "job")
            }
            if kind == "verify" {
                probe = .verify(job: job, backupName: backupName)
            } else {
                guard let age = try text("max_age", required: true) else { throw Invalid(message: "is required", field: "max_age") }
                let seconds: Int64
                do {
                    seconds = try IntervalRule.parsePeriod(age, field: "max_age", example: "26h")
                } catch {
                    throw Invalid(message: error.message, field: "max_age")
                }
                probe = .backupFreshness(job: job, backupName: backupName, maxAge: seconds)
            }
        }
    }

    /// `10%` or a size such as `5GB`, `500MiB`, `1073741824`.
    static func minimum(_ value: JSONValue?) throws(Invalid) -> Minimum {
        let invalid = Invalid(message: "must be a percentage such as 10% or a size such as 5GB", field: "min_free")
        switch value {
        case .number(let number)? where number >= 0 && number == number.rounded(): return .bytes(Int64(number))
        case .string(let text)?:
            let trimmed = text.filter { $0 != " " }
            if trimmed.hasSuffix("%"), let percent = Double(trimmed.dropLast()), percent >= 0, percent <= 100 { return .percent(percent) }
            let units: [(String, Int64)] = [("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10),
                                            ("TB", 1_000_000_000_000), ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000), ("B", 1)]
            for (unit, scale) in units where trimmed.uppercased().hasSuffix(unit.uppercased()) {
                guard let number = Double(trimmed.dropLast(unit.count)), number >= 0, number * Double(scale) < 9e18 else { throw invalid }
                return .bytes(Int64(number * Double(scale)))
            }
            if let bytes = Int64(trimmed), bytes >= 0 { return .bytes(bytes) }
            throw invalid
        default: throw invalid
        }
    }

    /// Job ids and backup names: letters, digits, `_` and `-`.
    static func identifier(_ value: String?, field: String) throws(Invalid) -> String? {
        guard let value else { return nil }
        guard value.count <= 128, value.first != "-", PlainName.isPlain(value, dots: false) else { throw Invalid(message: "must be a job id or backup name: letters, digits, '_' and '-'", field: field) }
        return value
    }

    static func hasHost(_ url: String) -> Bool {
        let rest = url.drop(while: { $0 != ":" }).dropFirst(3)
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.isEmpty, !authority.contains("@") else { return false }
        if authority.hasPrefix("[") { return authority.contains("]") }
        return !authority.hasPrefix(":")
    }

    static func isName(_ name: String) -> Bool {
        name.count <= 100 && name != "." && name != ".." && PlainName.isPlain(name, dots: true)
    }

    /// The document, as it was given (defaults filled in), for the API and the store.
    public var document: JSONValue {
        var fields: [String: JSONValue] = [
            "name": .string(name), "kind": .string(kind), "frequency": .string(frequency), "timeout": .number(Double(timeout)),
            "failure_amount": .number(Double(failureAmount)), "result_count": .number(Double(resultCount)),
        ]
        if let title { fields["title"] = .string(title) }
        switch probe {
        case .backupFreshness(let job, let name, let age):
            fields["max_age"] = .string("\(age)s")
            if let job { fields["job"] = .string(job) }
            if let name { fields["backup_name"] = .string(name) }
        case .job(let job): fields["job"] = .string(job)
        case .diskSpace(let path, let minimum):
            fields["path"] = .string(path)
            switch minimum {
            case .percent(let percent): fields["min_free"] = .string("\(percent == percent.rounded() ? String(Int(percent)) : String(percent))%")
            case .bytes(let bytes): fields["min_free"] = .number(Double(bytes))
            }
        case .http(let url, let status, let timeout, let body):
            fields["url"] = .string(url)
            fields["expect_status"] = .number(Double(status))
            fields["http_timeout"] = .number(Double(timeout))
            if let body { fields["body_contains"] = .string(body) }
        case .verify(let job, let name):
            if let job { fields["job"] = .string(job) }
            if let name { fields["backup_name"] = .string(name) }
        }
        return .object(fields)
    }
}
