/// The archives a restore applies, oldest level first: the newest backup made at or before the date, then its
/// parent, back to its level 0. A missing parent is an error, never a silent partial restore.
public enum RestorePlan {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    public static func chain(_ backups: [BackupManifest], name: String, at date: Int64?) throws(Failure) -> [BackupManifest] {
        let candidates = date.map { limit in backups.filter { $0.startedAt <= limit } } ?? backups
        guard let newest = candidates.max(by: { ($0.startedAt, $0.level) < ($1.startedAt, $1.level) }) else {
            if backups.isEmpty { throw Failure(description: "no backup named \(name)") }
            let oldest = backups.map(\.startedAt).min().map { ISO8601.format(Instant(secondsSince1970: $0), in: .utc) } ?? "?"
            let asked = date.map { ISO8601.format(Instant(secondsSince1970: $0), in: .utc) } ?? "?"
            throw Failure(description: "no backup of \(name) was made at or before \(asked); the oldest is from \(oldest)")
        }
        let byID = Dictionary(backups.map { ($0.backupID, $0) }, uniquingKeysWith: { first, _ in first })
        var path = [newest]
        var current = newest
        while let parentID = current.parentID {
            guard let parent = byID[parentID] else {
                throw Failure(description: "the chain of \(newest.backupID) is broken: its level \(current.level - 1) parent \(parentID) is gone")
            }
            guard path.count <= backups.count else { throw Failure(description: "the chain of \(newest.backupID) loops") }
            path.append(parent)
            current = parent
        }
        return path.reversed()
    }
}
