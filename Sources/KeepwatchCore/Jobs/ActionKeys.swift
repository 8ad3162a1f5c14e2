/// Every `freezer_action` key Keepwatch knows: what value it takes and which action kinds read it. A key that is
/// not here, or that its action kind never reads, is refused when the job is submitted, so that a typo such as
/// `exlude` cannot silently back up what it meant to leave out.
public enum ActionKeys {
    public enum Shape: Sendable, Equatable {
        case text
        /// A string that starts with `/` and holds no control character.
        case absolutePath
        case flag
        case whole(ClosedRange<Int>)
        /// A number of days, fractions allowed.
        case days(ClosedRange<Double>)
        case date
        case choice([String])
        /// A string, or an array of strings.
        case textOrList
    }

    public struct Key: Sendable {
        public let shape: Shape
        /// The kinds that read the key; nil for every kind.
        public let kinds: Set<FreezerAction.Kind>?
    }

    static let databaseKinds: Set<FreezerAction.Kind> = [.backup, .restore]
    static let archiveKinds: Set<FreezerAction.Kind> = [.backup, .restore, .verify]
    static let storedKinds: Set<FreezerAction.Kind> = [.backup, .restore, .verify, .admin, .info]
    /// A century of days: far beyond any retention or chain age anyone means, and safe to turn into seconds.
    public static let maximumDays = 36_500.0

    public static let known: [String: Key] = [
        "action": Key(shape: .choice(FreezerAction.Kind.allCases.map(\.rawValue)), kinds: nil),
        "mode": Key(shape: .text, kinds: storedKinds),
        "backup_name": Key(shape: .text, kinds: storedKinds),
        "container": Key(shape: .text, kinds: storedKinds),
        "storage": Key(shape: .text, kinds: storedKinds),
        "rclone_config": Key(shape: .absolutePath, kinds: storedKinds),
        "local_copy": Key(shape: .flag, kinds: [.backup]),
        "path_to_backup": Key(shape: .absolutePath, kinds: [.backup]),
        "exclude": Key(shape: .textOrList, kinds: [.backup]),
        "dereference_symlink": Key(shape: .flag, kinds: [.backup]),
        "compression": Key(shape: .choice(["zstd", "gzip"]), kinds: [.backup]),
        "compression_level": Key(shape: .whole(1...22), kinds: [.backup]),
        "incremental": Key(shape: .flag, kinds: [.backup]),
        "max_level": Key(shape: .whole(1...10_000), kinds: [.backup]),
        "always_level": Key(shape: .whole(1...10_000), kinds: [.backup]),
        "restart_always_level": Key(shape: .days(0.000_01...maximumDays), kinds: [.backup]),
        "encrypt_pass_file": Key(shape: .absolutePath, kinds: archiveKinds),
        "encrypt_key_file": Key(shape: .absolutePath, kinds: archiveKinds),
        "host": Key(shape: .text, kinds: databaseKinds),
        "port": Key(shape: .whole(1...65_535), kinds: databaseKinds),
        "user": Key(shape: .text, kinds: databaseKinds),
        "username": Key(shape: .text, kinds: databaseKinds),
        "database": Key(shape: .text, kinds: databaseKinds),
        "password": Key(shape: .text, kinds: databaseKinds),
        "password_file": Key(shape: .absolutePath, kinds: databaseKinds),
        "password_env": Key(shape: .text, kinds: databaseKinds),
        "uri": Key(shape: .text, kinds: databaseKinds),
        "params": Key(shape: .text, kinds: [.backup]),
        "restore_abs_path": Key(shape: .absolutePath, kinds: [.restore]),
        "restore_from_date": Key(shape: .date, kinds: [.restore]),
        "overwrite": Key(shape: .flag, kinds: [.restore]),
        "keep_last": Key(shape: .whole(1...1_000_000), kinds: [.admin]),
        "remove_older_than": Key(shape: .days(0...maximumDays), kinds: [.admin]),
        "remove_before_date": Key(shape: .date, kinds: [.admin]),
        "command": Key(shape: .textOrList, kinds: [.exec]),
        "working_directory": Key(shape: .absolutePath, kinds: [.exec]),
    ]

    /// Freezer agent options (current and older names, as Freezer's own job examples use them) that have no effect
    /// here: accepted and kept, so Freezer job files submit unchanged, but never confused with a typo.
    public static let freezerOnly: Set<String> = [
        "engine", "hostname", "max_segment_size", "snapshot", "dry_run", "log_file", "timeout", "priority",
        "max_cpu_priority", "max_backup_level", "always_backup_level", "restart_always_backup", "no_incremental",
        "restore_from_host", "os_auth_url", "os_username", "os_password", "os_project_name", "os_tenant_name",
        "ssh_key", "ssh_username", "ssh_host", "ssh_port", "ftp_host", "ftp_port", "ftp_username", "ftp_password",
        "access_key", "secret_key", "endpoint", "region_name", "os_auth_ver", "proxy", "consistency_check",
        "cinder_vol_id", "glance_image_id", "nova_inst_id", "sql_server_conf", "lvm_auto_snap", "lvm_srcvol",
        "vssadmin", "upload_limit", "download_limit", "metadata_out", "nova_inst_name", "cindernative_vol_id",
    ]

    /// Checks an action's own keys (known, read by its kind) and every merged value's shape.
    /// Keys that came from `action_defaults` may belong to other kinds: defaults are shared by every action.
    public static func check(own: Set<String>, merged action: FreezerAction, field: String) throws(DocumentError) {
        let kind = action.kind
        for key in own.sorted() where !freezerOnly.contains(key) {
            guard let spec = known[key] else { throw unknownKey(key, field: field) }
            if let kinds = spec.kinds, !kinds.contains(kind) {
                let readers = kinds.map(\.rawValue).sorted().joined(separator: ", ")
                throw DocumentError(field: "\(field).\(key)", "is not read by \(kind.rawValue) actions (only by: \(readers))",
                                    kind: .unprocessable)
            }
        }
        for (key, value) in action.values.sorted(by: { $0.key < $1.key }) {
            guard let spec = known[key] else { continue }
            if let kinds = spec.kinds, !kinds.contains(kind) { continue }
            try checkShape(spec.shape, value, field: "\(field).\(key)")
        }
    }

    /// `action_defaults` may hold keys of any kind, but only known ones.
    public static func checkDefaults(_ keys: Set<String>) throws(DocumentError) {
        for key in keys.sorted() where known[key] == nil && !freezerOnly.contains(key) { throw unknownKey(key, field: "action_defaults") }
    }

    static func unknownKey(_ key: String, field: String) -> DocumentError {
        let hint = NearestName.find(key, among: Array(known.keys)).map { "; did you mean \($0)?" } ?? ""
        return DocumentError(field: "\(field).\(key)", "is not a freezer_action key\(hint)", kind: .unprocessable)
    }

    static func checkShape(_ shape: Shape, _ value: JSONValue, field: String) throws(DocumentError) {
        switch shape {
        case .text:
            guard let text = value.stringValue else { throw DocumentError(field: field, "must be a string, not \(value.typeName)") }
            try refuseControlCharacters(text, field: field)
        case .absolutePath:
            guard let text = value.stringValue else { throw DocumentError(field: field, "must be a string, not \(value.typeName)") }
            try refuseControlCharacters(text, field: field)
            guard text.hasPrefix("/") else { throw DocumentError(field: field, "must be an absolute path (starting with /), not '\(text.clipped)'") }
            if text.split(separator: "/").contains("..") { throw DocumentError(field: field, "must not contain '..'") }
        case .flag:
            // Freezer's agent reads its options as text, so "true"/"false" strings are taken as its INI files give them.
            guard FreezerAction([field: value]).bool(field) != nil else {
                throw DocumentError(field: field, "must be true or false, not \(describe(value))")
            }
        case .whole(let range):
            guard let number = number(value), number.rounded() == number, let whole = Int(exactly: number) else {
                throw DocumentError(field: field, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            guard range.contains(whole) else { throw DocumentError(field: field, "\(whole) is outside \(range.lowerBound)-\(range.upperBound)") }
        case .days(let range):
            guard let number = number(value), range.contains(number) else {
                throw DocumentError(field: field, "must be a number of days from \(range.lowerBound.formatted) to \(range.upperBound.formatted)")
            }
        case .date:
            guard let text = value.stringValue else { throw DocumentError(field: field, "must be an ISO-8601 date, not \(value.typeName)") }
            do { _ = try ISO8601.parse(text) } catch { throw DocumentError(field: field, error.description) }
        case .choice(let choices):
            guard let text = value.stringValue, choices.contains(text) else {
                let given = value.stringValue.map { "'\($0.clipped)'" } ?? value.typeName
                throw DocumentError(field: field, "\(given) is not one of \(choices.joined(separator: ", "))", kind: .unprocessable)
            }
        case .textOrList:
            switch value {
            case .string(let text): try refuseControlCharacters(text, field: field, allowingLineBreaks: true)
            case .array(let items):
                for (index, item) in items.enumerated() {
                    guard let text = item.stringValue else { throw DocumentError(field: "\(field)[\(index)]", "must be a string, not \(item.typeName)") }
                    try refuseControlCharacters(text, field: "\(field)[\(index)]", allowingLineBreaks: true)
                }
            default: throw DocumentError(field: field, "must be a string or an array of strings, not \(value.typeName)")
            }
        }
    }

    /// A number, or a string that holds one (as Freezer's INI-style options may); nil otherwise or when not finite.
    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let number): return number.isFinite ? number : nil
        case .string(let text): return Double(text).flatMap { $0.isFinite ? $0 : nil }
        default: return nil
        }
    }

    static func describe(_ value: JSONValue) -> String { value.stringValue.map { "'\($0.clipped)'" } ?? value.typeName }

    /// NUL would cut a path short in the C APIs below; other control characters have no place in a name or path.
    static func refuseControlCharacters(_ text: String, field: String, allowingLineBreaks: Bool = false) throws(DocumentError) {
        for scalar in text.unicodeScalars where scalar.value < 0x20 || scalar.value == 0x7F {
            if allowingLineBreaks, scalar == "\n" || scalar == "\t" || scalar == "\r" { continue }
            if scalar == "\0" { throw DocumentError(field: field, "must not contain a NUL character") }
            throw DocumentError(field: field, "must not contain control characters (U+\(String(scalar.value, radix: 16, uppercase: true)))")
        }
    }
}

extension String {
    /// At most 80 characters, for echoing a value back in an error.
    var clipped: String { count > 80 ? String(prefix(77)) + "..." : self }
}

extension Double {
    var formatted: String { rounded() == self && Swift.abs(self) < 1e15 ? String(Int64(self)) : String(self) }
}
