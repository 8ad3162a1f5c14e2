import KeepwatchCore

/// Every archive of one backup name re-read on this node, as `keepwatch backup verify NAME` does without a key
/// (size, SHA-256 and manifest; encrypted records are not opened). Archives kept only on a remote are listed,
/// not fetched: the CLI verifies those.
public struct BackupNameVerification: Sendable {
    public let name: String
    public let reports: [BackupVerifier.Report]
    public let remoteOnly: [BackupManifest]

    public var failed: Int { reports.filter { !$0.ok }.count }

    /// The backups named `name` that the node's store knows, verified; a name without backups is not found.
    public static func of(_ name: String, in jobs: JobService) async throws -> BackupNameVerification {
        let backups = try await jobs.backups(name: name)
        guard !backups.isEmpty else { throw ServiceError.notFound("no backup named \(name)") }
        return await run(name, backups: backups)
    }

    public static func run(_ name: String, backups: [BackupManifest]) async -> BackupNameVerification {
        var reports: [BackupVerifier.Report] = []
        var remoteOnly: [BackupManifest] = []
        for backup in backups {
            if BackupLocation.of(backup) == .remote {
                remoteOnly.append(backup)
            } else {
                reports.append(await BackupVerifier.verify(backup, key: nil))
            }
        }
        return BackupNameVerification(name: name, reports: reports, remoteOnly: remoteOnly)
    }

    /// One sentence for the operator.
    public var summary: String {
        var text = "\(reports.count - failed) of \(reports.count) archives of \(name) verified"
        if let problem = reports.first(where: { !$0.ok }) {
            text += "; \(problem.backup.backupID) is \(problem.verdict.rawValue): \(problem.problems.joined(separator: "; "))"
        }
        if !remoteOnly.isEmpty {
            text += "; \(remoteOnly.count) only on the remote (keepwatch backup verify \(name) fetches and checks them)"
        }
        return text
    }

    public var json: JSONValue {
        [
            "backup_name": .string(name), "verified": .number(Double(reports.count - failed)), "failed": .number(Double(failed)),
            "summary": .string(summary),
            "archives": .array(reports.map { report in
                ["backup_id": .string(report.backup.backupID), "file": .string(report.backup.file), "verdict": .string(report.verdict.rawValue),
                 "problems": .array(report.problems.map { .string($0) })]
            }),
            "remote_only": .array(remoteOnly.map { .string($0.backupID) }),
        ]
    }
}
