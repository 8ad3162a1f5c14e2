import Foundation
import KeepwatchCore

/// What this node can carry out, checked when a job is submitted so that a missing tool is named at once.
enum NodeCapabilities {
    static let backupModes: Set<String> = ["fs", "mongo", "postgres", "mysql", "sqlite"]

    /// The tools a mode needs; each inner list is alternatives (the first found is used).
    static func tools(backup: Bool, mode: String, action: FreezerAction) -> [[String]] {
        switch mode {
        case "fs": return [["tar"], [action.string("compression") ?? "zstd"]]
        case "mongo": return [[backup ? "mongodump" : "mongorestore"]]
        default: return DatabaseSession.tools(mode: mode, restore: !backup) + [["zstd"]] + (mode == "postgres" && !backup ? [["psql"]] : [])
        }
    }

    static func checkTools(_ alternatives: [[String]], mode: String, field: String) throws(DocumentError) {
        for names in alternatives where !names.contains(where: { ExecutableLookup.find($0) != nil }) {
            throw DocumentError(field: "\(field).mode", "\(names.joined(separator: " or ")) not found on this node; install it to use mode \(mode)",
                                kind: .unprocessable)
        }
    }

    @Sendable
    static func check(_ action: FreezerAction, field: String) throws(DocumentError) {
        switch action.kind {
        case .backup:
            let mode = action.mode ?? "fs"
            guard backupModes.contains(mode) else {
                throw DocumentError(field: "\(field).mode",
                                    "backup mode '\(mode)' is not supported by this node yet (supported: \(backupModes.sorted().joined(separator: ", ")))",
                                    kind: .unprocessable)
            }
            try checkStorage(action, field: field)
            try checkTools(tools(backup: true, mode: mode, action: action), mode: mode, field: field)
            if mode == "fs" || mode == "sqlite", action.pathToBackup == nil {
                throw DocumentError(field: "\(field).path_to_backup", "an \(mode) backup needs path_to_backup (or src_file)")
            }
            try checkDatabase(action, mode: mode, field: field)
        case .restore:
            let mode = action.mode ?? "fs"
            guard backupModes.contains(mode) else {
                throw DocumentError(field: "\(field).mode", "restore in mode '\(mode)' is not supported by this node yet", kind: .unprocessable)
            }
            try checkTools(tools(backup: false, mode: mode, action: action), mode: mode, field: field)
            try checkDatabase(action, mode: mode, field: field)
        case .info:
            throw DocumentError(field: "\(field).action", "'info' actions are not supported by this node yet", kind: .unprocessable)
        case .exec, .admin, .verify:
            break
        }
        for key in ["encrypt_pass_file", "encrypt_key_file", "password_file", "rclone_config"] {
            if let file = action.string(key), !FileManager.default.isReadableFile(atPath: file) {
                throw DocumentError(field: "\(field).\(key)", "\(file) cannot be read by this node", kind: .unprocessable)
            }
        }
        if let container = action.container, !container.hasPrefix("/"), action.string("storage") != "rclone" {
            throw DocumentError(field: "\(field).container", "must be an absolute directory path, not '\(container)'")
        }
    }

    /// postgres and mysql backups need a database; a password comes from a file or the environment, never from the
    /// document (job documents are readable by every viewer), and the same holds for a password inside a mongo `uri`.
    static func checkDatabase(_ action: FreezerAction, mode: String, field: String) throws(DocumentError) {
        guard ["postgres", "mysql", "mongo"].contains(mode) else { return }
        if mode != "mongo", action.kind == .backup, action.string("database") == nil {
            throw DocumentError(field: "\(field).database", "mode \(mode) needs database")
        }
        if action["password"] != nil {
            throw DocumentError(field: "\(field).password", "put the password in a file (password_file) or the node's environment (password_env)")
        }
        if let uri = action.string("uri"), SecretFields.hasCredentials(uri) {
            throw DocumentError(field: "\(field).uri", "must not hold a password; put it in password_file or password_env and the user in username")
        }
    }

    /// `local`, or `rclone` with `container: "remote:bucket/prefix"` and `rclone_config`.
    static func checkStorage(_ action: FreezerAction, field: String) throws(DocumentError) {
        guard let storage = action.string("storage"), storage != "local" else { return }
        guard storage == "rclone" else {
            throw DocumentError(field: "\(field).storage", "storage '\(storage)' is not supported by this node yet (supported: local, rclone)",
                                kind: .unprocessable)
        }
        guard let container = action.container, container.contains(":") else {
            throw DocumentError(field: "\(field).container", "storage rclone needs container: \"remote:bucket/prefix\"")
        }
        if action.string("rclone_config") == nil {
            throw DocumentError(field: "\(field).rclone_config", "storage rclone needs rclone_config, the path of an rclone config file")
        }
        try checkTools([["rclone"]], mode: "rclone storage", field: field)
    }
}
