import Foundation
import KeepwatchCore

/// What this node can carry out, checked when a job is submitted so that a missing tool is named at once.
enum NodeCapabilities {
    static let backupModes: Set<String> = ["fs", "mongo"]

    @Sendable
    static func check(_ action: FreezerAction, field: String) throws(DocumentError) {
        switch action.kind {
        case .backup:
            let mode = action.mode ?? "fs"
            guard backupModes.contains(mode) else {
                throw DocumentError(field: "\(field).mode", "backup mode '\(mode)' is not supported by this node yet (supported: fs, mongo)",
                                    kind: .unprocessable)
            }
            if let storage = action.string("storage"), storage != "local" {
                throw DocumentError(field: "\(field).storage", "storage '\(storage)' is not supported by this node yet (supported: local)",
                                    kind: .unprocessable)
            }
            let tools = mode == "mongo" ? ["mongodump"] : ["tar", action.string("compression") ?? "zstd"]
            for tool in tools where ExecutableLookup.find(tool) == nil {
                throw DocumentError(field: "\(field).mode", "\(tool) not found on this node; install it to run \(mode) backups",
                                    kind: .unprocessable)
            }
            if mode == "fs", action.pathToBackup == nil {
                throw DocumentError(field: "\(field).path_to_backup", "an fs backup needs path_to_backup (or src_file)")
            }
        case .restore:
            let mode = action.mode ?? "fs"
            guard mode == "fs" else {
                throw DocumentError(field: "\(field).mode", "restore in mode '\(mode)' is not supported by this node yet (supported: fs)",
                                    kind: .unprocessable)
            }
            for tool in ["tar", "zstd"] where ExecutableLookup.find(tool) == nil {
                throw DocumentError(field: "\(field).mode", "\(tool) not found on this node; install it to restore", kind: .unprocessable)
            }
        case .info:
            throw DocumentError(field: "\(field).action", "'info' actions are not supported by this node yet", kind: .unprocessable)
        case .exec, .admin, .verify:
            break
        }
        for key in ["encrypt_pass_file", "encrypt_key_file"] {
            if let file = action.string(key), !FileManager.default.isReadableFile(atPath: file) {
                throw DocumentError(field: "\(field).\(key)", "\(file) cannot be read by this node", kind: .unprocessable)
            }
        }
        if let container = action.container, !container.hasPrefix("/") {
            throw DocumentError(field: "\(field).container", "must be an absolute directory path, not '\(container)'")
        }
    }
}
