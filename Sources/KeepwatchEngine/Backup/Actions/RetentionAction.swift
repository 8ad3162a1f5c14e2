import Foundation
import KeepwatchCore

/// `admin`: removes the backups of one name that a `RetentionRule` expires, files and records alike. Incremental
/// chains are kept or removed whole (a level without its parents cannot be restored); a chain counts as made
/// when its newest level was, so the chain in use is never removed by age alone.
enum RetentionAction {
    static func run(_ context: ActionContext) async throws {
        guard let name = context.action.backupName else { throw ActionFailure("an admin action needs backup_name") }
        let rule = RetentionRule(action: context.action)
        let backups = try await context.store.backups(name: name)
        let chains = Dictionary(grouping: backups, by: \.chain).values.map { $0.sorted { $0.startedAt < $1.startedAt } }
        let expired = rule.expired(created: chains.map { Instant(secondsSince1970: $0.last?.startedAt ?? 0) },
                                   now: Instant(secondsSince1970: context.now()))
        var removed = 0
        for backup in expired.flatMap({ chains[$0] }) {
            for path in [backup.file, backup.file + ".json", logPath(of: backup)] + (backup.snapshotFile.map { [$0] } ?? []) {
                try? FileManager.default.removeItem(atPath: path)
            }
            try await RemoteCopy.removeRemote(backup)
            try await context.store.deleteBackup(backup.backupID)
            removed += 1
            context.log.line("Backup removed by retention", fields: [("action", "\(context.index)"), ("archive", backup.file)])
        }
        context.log.line("Retention kept \(backups.count - removed) of \(backups.count) backups",
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
