import KeepwatchCore

/// A Keepwatch node's jobs as backup targets: a job is a target, its runs are jobs, its manifests are backups, its
/// schedule is a scheduled backup job, and the node is the one host. Shared by the local node and remote nodes.
enum KeepwatchTargets {
    struct Listed: Sendable {
        var job: Job
        var nextRun: Int64?
    }

    static func reports(jobs: [Listed], runs: [Run], backups: [BackupManifest], node: TargetReport.Host, running: Set<String>) -> [TargetReport] {
        let runsByJob = Dictionary(grouping: runs, by: \.jobID)
        let backupsByJob = Dictionary(grouping: backups, by: \.jobID)
        return jobs.map { listed in
            report(listed, runs: (runsByJob[listed.job.jobID] ?? []).sorted { $0.startedAt > $1.startedAt },
                   backups: backupsByJob[listed.job.jobID] ?? [], node: node, running: running.contains(listed.job.jobID))
        }
    }

    static func report(_ listed: Listed, runs: [Run], backups: [BackupManifest], node: TargetReport.Host, running: Bool) -> TargetReport {
        let job = listed.job
        var report = TargetReport(id: job.jobID, name: job.description.flatMap { $0.isEmpty ? nil : $0 } ?? job.jobID, type: "keepwatch")
        report.hosts = [node]
        report.runs = runs.map { run in
            TargetReport.RunRecord(id: run.runID, outcome: outcome(run.status), title: report.name, created: run.startedAt,
                                   started: run.startedAt, ended: run.endedAt, message: run.message ?? "")
        }
        report.backups = backups.map { manifest in
            TargetReport.BackupRecord(id: manifest.backupID, succeeded: true, method: manifest.mode, created: manifest.startedAt,
                                      finished: manifest.endedAt, size: manifest.size, file: manifest.file, name: manifest.backupName)
        }
        if let schedule = try? job.firingSchedule(), job.schedule.hasRule {
            report.schedule = schedule.summary
            if let next = listed.nextRun, let after = schedule.next(after: Instant(secondsSince1970: next)) {
                report.period = after.secondsSince1970 - next
            }
        }
        let finished = runs.first { $0.status != .running }
        if let finished {
            report.lastOutcome = outcome(finished.status)
            report.lastMessage = finished.message ?? ""
            report.lastFinished = finished.endedAt ?? finished.startedAt
        }
        let newestBackup = backups.map(\.endedAt).max()
        let newestSuccess = runs.first { $0.status == .success }.map { $0.endedAt ?? $0.startedAt }
        report.lastSuccess = [newestBackup, newestSuccess].compactMap { $0 }.max()
        return report
    }

    static func outcome(_ status: Run.Status) -> TargetReport.Outcome {
        switch status {
        case .success: return .success
        case .fail: return .failure
        case .running: return .running
        case .aborted: return .failure
        }
    }

    /// The node's jobs as devices: one device (the node), one service per job.
    static func devices(_ reports: [TargetReport], deviceID: String, name: String) -> [DeviceReport] {
        reports.map { report in
            let newest = report.runs.first
            var progress: [String: JSONValue] = [:]
            switch report.lastOutcome {
            case .success: progress = ["status": "success", "message": .string(report.lastMessage.isEmpty ? "Backup finished" : report.lastMessage)]
            case .failure: progress = ["status": "error", "message": .string(report.lastMessage.isEmpty ? "Backup failed" : report.lastMessage)]
            default: break
            }
            var record: [String: JSONValue] = [
                "name": .string(name), "status": .string(newest?.outcome == .running ? "running" : "stopped"),
                "progress": .object(progress), "processing": .bool(newest?.outcome == .running),
                "count": .number(Double(report.runs.count)),
            ]
            record["started"] = newest?.started.map { .number(Double($0)) }
            record["ended"] = newest?.ended.map { .number(Double($0)) }
            return DeviceReport(deviceID: deviceID, name: name, service: "job:" + report.id, record: record)
        }
    }
}
