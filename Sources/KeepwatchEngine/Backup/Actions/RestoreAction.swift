import Foundation
import KeepwatchCore

/// `restore` (Freezer's keys): `backup_name`, `restore_abs_path`, `restore_from_date`, `overwrite`,
/// `encrypt_pass_file` or `encrypt_key_file`; database modes also take the connection keys.
enum RestoreAction {
    static func run(_ context: ActionContext) async throws {
        let mode = context.action.mode ?? "fs"
        if DatabaseSession.modes.contains(mode) {
            try await runDatabase(context, mode: mode)
        } else if mode == "mongo" {
            try await MongoRestore.run(context)
        } else {
            try await runFileSystem(context)
        }
    }

    static func runDatabase(_ context: ActionContext, mode: String) async throws {
        let action = context.action
        guard let name = action.backupName else { throw ActionFailure("a restore needs backup_name") }
        let date = try action.string("restore_from_date").map { try ISO8601.parse($0).instant(in: .utc).secondsSince1970 }
        let key = try ArchiveKey.from(passFile: action.string("encrypt_pass_file"), keyFile: action.string("encrypt_key_file"))
        let log = context.log
        let index = context.index
        log.line("Restore started", fields: [("action", "\(index)"), ("backup_name", name), ("mode", mode)])
        try await DatabaseRestore.run(.init(mode: mode, name: name, date: date, key: key, action: action),
                                      backups: try await context.store.backups(name: name), data: context.data, toolLog: log.descriptor,
                                      control: context.control) { line in log.line(line, fields: [("action", "\(index)")]) }
        log.line("Restore finished", fields: [("action", "\(index)"), ("backup_name", name)])
    }

    static func runFileSystem(_ context: ActionContext) async throws {
        let action = context.action
        guard let name = action.backupName, let target = action.string("restore_abs_path") else {
            throw ActionFailure("a restore needs backup_name and restore_abs_path")
        }
        let date = try action.string("restore_from_date").map { try ISO8601.parse($0).instant(in: .utc).secondsSince1970 }
        let request = FileSystemRestore.Request(
            name: name, target: target, date: date, overwrite: action.bool("overwrite") ?? false,
            key: try ArchiveKey.from(passFile: action.string("encrypt_pass_file"), keyFile: action.string("encrypt_key_file")))
        let log = context.log
        let index = context.index
        context.log.line("Restore started", fields: [("action", "\(index)"), ("backup_name", name), ("target", target)])
        try await FileSystemRestore.run(request, backups: try await context.store.backups(name: name), data: context.data, toolLog: log.descriptor,
                                        control: context.control) { line in
            log.line(line, fields: [("action", "\(index)")])
        }
        context.log.line("Restore finished", fields: [("action", "\(index)"), ("target", target)])
    }
}

/// `verify`: re-reads every archive of `backup_name` and fails when any does not match its manifest.
enum VerifyAction {
    static func run(_ context: ActionContext) async throws {
        guard let name = context.action.backupName else { throw ActionFailure("a verify action needs backup_name") }
        let key = try ArchiveKey.from(passFile: context.action.string("encrypt_pass_file"), keyFile: context.action.string("encrypt_key_file"))
        let stored = try await context.store.backups(name: name)
        var failed = 0
        for original in stored {
            let report = try await BackupFetcher.withLocalCopies([original], data: context.data, log: context.log.descriptor,
                                                                 control: context.control) { copies in
                await BackupVerifier.verify(copies.first ?? original, key: key)
            }
            let backup = original
            let file = (backup.file as NSString).lastPathComponent
            if report.ok {
                context.log.line("Backup verified", fields: [("action", "\(context.index)"), ("archive", file),
                                                             ("authenticated", "\(report.authenticated)")])
            } else {
                failed += 1
                context.log.line("Backup damaged: \(report.problems.joined(separator: "; "))", fields: [("action", "\(context.index)"), ("archive", file)])
            }
        }
        guard failed == 0 else { throw ActionFailure("\(failed) of \(stored.count) backups of \(name) failed verification") }
        context.log.line("Verified \(stored.count) backups", fields: [("action", "\(context.index)"), ("backup_name", name)])
    }
}
