import KeepwatchCore

/// One entry of mgob's `GET /status`: `last_run*` are absent until the plan has run.
public struct MgobStatus: Sendable, Equatable {
    public var plan: String
    public var nextRun: String?
    public var lastRun: String?
    public var lastRunStatus: String?
    public var lastRunLog: String?

    public var json: JSONValue {
        var object: [String: JSONValue] = ["plan": .string(plan)]
        object["next_run"] = nextRun.map(JSONValue.string)
        object["last_run"] = lastRun.map(JSONValue.string)
        object["last_run_status"] = lastRunStatus.map(JSONValue.string)
        object["last_run_log"] = lastRunLog.map(JSONValue.string)
        return .object(object)
    }

    /// mgob's `last_run_log` wording for a finished run.
    static func logLine(for run: Run, backups: [BackupManifest]) -> String {
        let seconds = max(0, (run.endedAt ?? run.startedAt) - run.startedAt)
        let duration = GoFormat.duration(nanoseconds: run.elapsedNanoseconds ?? seconds * 1_000_000_000)
        guard run.status == .success else { return "Backup failed \(run.message ?? run.status.rawValue)" }
        guard let archive = backups.last else { return "Backup finished in \(duration)" }
        let file = archive.file.split(separator: "/").last.map(String.init) ?? archive.file
        return "Backup finished in \(duration) archive \(file) size \(GoFormat.bytes(archive.size))"
    }
}
