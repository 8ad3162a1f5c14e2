import Foundation
import KeepwatchCore

/// `admin`: removes the backups of one name that a `RetentionRule` expires, files and records alike.
enum RetentionAction {
    static func run(_ context: ActionContext) async throws {
        guard let name = context.action.backupName else { throw ActionFailure("an admin action needs backup_name") }
        let rule = RetentionRule(action: context.action)
        let backups = try await context.store.backups(name: name)
        let expired = rule.expired(created: backups.map { Instant(secondsSince1970: $0.startedAt) },
                                   now: Instant(secondsSince1970: context.now()))
        for index in expired {
            let backup = backups[index]
            for path in [backup.file, backup.file + ".json", logPath(of: backup)] {
                try? FileManager.default.removeItem(atPath: path)
            }
            try await context.store.deleteBackup(backup.backupID)
            context.log.line("Backup removed by retention", fields: [("action", "\(context.index)"), ("archive", backup.file)])
        }
        context.log.line("Retention kept \(backups.count - expired.count) of \(backups.count) backups",
                         fields: [("action", "\(context.index)"), ("backup_name", name)])
    }

    /// `<dir>/<name>-<unix>.log` beside `<dir>/<name>-<unix>.<ext>`.
    static func logPath(of backup: BackupManifest) -> String {
        let directory = (backup.file as NSString).deletingLastPathComponent
        let file = (backup.file as NSString).lastPathComponent
        let stamp = file.dropFirst(backup.backupName.count + 1).prefix { $0.isNumber }
        return (directory as NSString).appendingPathComponent("\(backup.backupName)-\(stamp).log")
    }
}
