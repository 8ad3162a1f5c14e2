/// Checks one `freezer_action` against what its kind needs, with Freezer's enums.
public enum ActionValidator {
    public static let freezerModes: Set<String> = ["fs", "mongo", "mysql", "sqlserver", "cinder", "glance", "cindernative", "nova"]
    public static let keepwatchModes: Set<String> = ["postgres", "sqlite"]
    public static let storages: Set<String> = ["local", "swift", "ssh", "s3", "ftp", "ftps", "rclone"]

    /// Modes and storages this node's code carries out; Freezer's others are named as unsupported.
    public static let supportedModes: Set<String> = ["fs", "mongo", "mysql", "postgres", "sqlite"]
    public static let supportedStorages: Set<String> = ["local", "rclone"]

    /// Validates an action. `own` holds the keys the action itself gave (not those from `action_defaults`);
    /// nil skips the key checks (documents read back from the store were checked when they were submitted).
    public static func validate(_ action: FreezerAction, own: Set<String>?, field: String) throws(DocumentError) {
        if let value = action["action"] {
            guard let text = value.stringValue, FreezerAction.Kind(rawValue: text) != nil else {
                throw DocumentError(field: "\(field).action",
                                    "\(describe(value)) is not one of \(FreezerAction.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        if let own { try ActionKeys.check(own: own, merged: action, field: field) }
        try validateChoice(action["mode"], supported: supportedModes, freezer: freezerModes, what: "mode", field: "\(field).mode")
        try validateChoice(action["storage"], supported: supportedStorages, freezer: storages, what: "storage", field: "\(field).storage")
        if let name = action["backup_name"] {
            guard let text = name.stringValue, isSafeName(text) else {
                throw DocumentError(field: "\(field).backup_name",
                                    "\(describe(name)) must be a name of letters, digits, '.', '_' and '-' (it names a directory)")
            }
        }
        for key in ["container", "path_to_backup", "restore_abs_path"] {
            if let value = action[key], value.stringValue == nil {
                throw DocumentError(field: "\(field).\(key)", "must be a string, not \(value.typeName)")
            }
        }
        switch action.kind {
        case .exec:
            guard let command = action.strings("command"), !command.isEmpty, !(command.first ?? "").isEmpty else {
                throw DocumentError(field: "\(field).command", "an exec action needs a command: a string for /bin/sh -c, or an array of arguments")
            }
        case .admin:
            try validateRetention(action, field: field)
        case .restore:
            try validateRestore(action, field: field)
        case .verify:
            guard action.backupName != nil else { throw DocumentError(field: "\(field).backup_name", "a verify action needs backup_name") }
        case .backup:
            try validateLevels(action, field: field)
            if action.string("compression") == "gzip", let level = action.int("compression_level"), !(1...9).contains(level) {
                throw DocumentError(field: "\(field).compression_level", "gzip takes levels 1-9, not \(level)")
            }
        case .info:
            break
        }
        if action["encrypt_pass_file"] != nil && action["encrypt_key_file"] != nil {
            throw DocumentError(field: "\(field).encrypt_key_file", "give encrypt_pass_file or encrypt_key_file, not both")
        }
    }

    /// A value Keepwatch carries out passes; one of Freezer's others is 422 (valid there, not here); anything else 400.
    static func validateChoice(_ value: JSONValue?, supported: Set<String>, freezer: Set<String>, what: String,
                               field: String) throws(DocumentError) {
        guard let value else { return }
        let list = supported.sorted().joined(separator: ", ")
        guard let text = value.stringValue else { throw DocumentError(field: field, "must be a string, one of \(list)") }
        if supported.contains(text) { return }
        if freezer.contains(text) {
            throw DocumentError(field: field, "Freezer's \(what) '\(text)' is not supported by Keepwatch (supported: \(list))", kind: .unprocessable)
        }
        throw DocumentError(field: field, "'\(text.clipped)' is not one of \(list)")
    }

    static func validateRestore(_ action: FreezerAction, field: String) throws(DocumentError) {
        guard action.backupName != nil else { throw DocumentError(field: "\(field).backup_name", "a restore action needs backup_name") }
        let mode = action.mode ?? "fs"
        if mode == "fs" || mode == "sqlite" {
            guard let target = action.string("restore_abs_path"), target.hasPrefix("/") else {
                let what = mode == "fs" ? "an absolute directory" : "the absolute path of the database file"
                throw DocumentError(field: "\(field).restore_abs_path", "a \(mode) restore needs restore_abs_path, \(what)")
            }
        }
        if let date = action.string("restore_from_date") {
            do { _ = try ISO8601.parse(date) } catch {
                throw DocumentError(field: "\(field).restore_from_date", error.description)
            }
        }
    }

    /// Freezer refuses `max_level` and `always_level` without `incremental`, and so does Keepwatch.
    static func validateLevels(_ action: FreezerAction, field: String) throws(DocumentError) {
        for key in ["max_level", "always_level", "restart_always_level"] where action[key] != nil {
            guard (action.double(key) ?? -1) > 0 else { throw DocumentError(field: "\(field).\(key)", "must be a number above 0") }
            guard action.bool("incremental") == true || key == "restart_always_level" else {
                throw DocumentError(field: "\(field).\(key)", "needs incremental: true")
            }
        }
    }

    static func validateRetention(_ action: FreezerAction, field: String) throws(DocumentError) {
        let keepLast = action["keep_last"]
        let olderThan = action["remove_older_than"]
        if keepLast == nil && olderThan == nil && action["remove_before_date"] == nil {
            throw DocumentError(field: field, "an admin action needs keep_last, remove_older_than or remove_before_date")
        }
        if keepLast != nil, (action.int("keep_last") ?? 0) < 1 {
            throw DocumentError(field: "\(field).keep_last", "must be a whole number of at least 1")
        }
        if olderThan != nil, (action.double("remove_older_than") ?? -1) < 0 {
            throw DocumentError(field: "\(field).remove_older_than", "must be a number of days, 0 or more")
        }
        if let date = action.string("remove_before_date") {
            do { _ = try ISO8601.parse(date) } catch {
                throw DocumentError(field: "\(field).remove_before_date", error.description)
            }
        }
        if action.backupName == nil {
            throw DocumentError(field: "\(field).backup_name", "an admin action needs the backup_name whose backups it prunes")
        }
    }

    /// Letters, digits, `.`, `_`, `-`; not `.` or `..`; at most 128 bytes.
    public static func isSafeName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 128 && name != "." && name != ".."
            && name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)) }
    }

    static func describe(_ value: JSONValue) -> String {
        if let text = value.stringValue { return "'\(text)'" }
        return value.typeName
    }
}
