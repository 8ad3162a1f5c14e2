import Foundation
import KeepwatchCore

/// Turns target reports into the same items a cmon controller yields, so that every view treats every kind alike.
/// A failed last run is an `ALARM_CRITICAL` `BackupFailed` alarm; a stale target an `ALARM_WARNING` `BackupStale`.
enum TargetItems {
    /// A source's snapshot from its target reports, every kind of data stamped with the time of the read.
    static func snapshot(of reports: [TargetReport], source: SourceDefinition, controllerID: String, version: String) -> SourceSnapshot {
        let now = Int64(Date().timeIntervalSince1970)
        var snapshot = SourceSnapshot()
        snapshot.controllerID = controllerID
        snapshot.version = version
        self.snapshot(reports, source: SourceRef(xid: source.xid, controllerID: controllerID, url: source.url, kind: source.kind),
                      now: now, into: &snapshot)
        snapshot.stamp(now)
        return snapshot
    }

    static func snapshot(_ reports: [TargetReport], source: SourceRef, now: Int64, into snapshot: inout SourceSnapshot) {
        for report in reports {
            let clusterID = StableID.of(report.id)
            let context = ClusterContext(source: source, clusterID: clusterID, clusterType: report.type, tags: report.tags)
            let hosts = report.hosts.map { host(for: $0, context: context) }
            let alarms = self.alarms(for: report, context: context, now: now)
            snapshot.alarms += alarms
            snapshot.jobs += report.runs.map { job(for: $0, context: context) }
            snapshot.backups += report.backups.map { backup(for: $0, context: context) }
            if let schedule = report.schedule { snapshot.schedules.append(scheduled(report, words: schedule, context: context)) }
            snapshot.hosts += hosts
            snapshot.clusters.append(cluster(for: report, context: context, hosts: hosts, now: now))
        }
    }

    static func cluster(for report: TargetReport, context: ClusterContext, hosts: [HostItem], now: Int64) -> ClusterItem {
        var object: [String: JSONValue] = [
            "class_name": "KeepwatchTarget", "cluster_id": .number(Double(context.clusterID)), "cluster_name": .string(report.name),
            "cluster_type": .string(report.type), "state": .string(report.state(now: now)),
            "tags": .array(report.tags.map(JSONValue.string)), "target_id": .string(report.id),
            "Key": .string(context.source.key(cluster: context.clusterID)),
        ]
        if !report.lastMessage.isEmpty { object["status_text"] = .string(report.lastMessage) }
        if let success = report.lastSuccess { object["last_success"] = .string(JSONFields.rfc3339(success)) }
        if let schedule = report.schedule { object["schedule"] = .string(schedule) }
        var withHosts = object
        withHosts["hosts"] = .array(report.hosts.map { .object(hostObject($0, clusterID: context.clusterID)) })
        object["hosts"] = .null
        return ClusterItem(source: context.source, clusterID: context.clusterID, name: report.name, state: report.state(now: now),
                           clusterType: report.type, tags: report.tags, hosts: hosts, listedHosts: hosts.count,
                           scheduleCount: report.schedule == nil ? 0 : 1, lastSuccess: report.lastSuccess,
                           statusText: report.lastMessage, reference: report.id,
                           text: JSONWriter.text(.object(context.source.stamped(object))),
                           textWithHosts: JSONWriter.text(.object(context.source.stamped(withHosts))))
    }

    static func hostObject(_ host: TargetReport.Host, clusterID: Int64) -> [String: JSONValue] {
        var object: [String: JSONValue] = [
            "class_name": "KeepwatchHost", "hostId": .number(Double(StableID.of(host.id))), "hostname": .string(host.hostname),
            "hoststatus": .string(host.status), "nodetype": .string(host.nodetype), "role": .string(host.role),
            "clusterid": .number(Double(clusterID)),
        ]
        object["port"] = host.port.map { .number(Double($0)) }
        return object
    }

    static func host(for host: TargetReport.Host, context: ClusterContext) -> HostItem {
        HostItem(context: context, hostID: host.id, hostname: host.hostname, port: host.port, role: host.role, nodetype: host.nodetype,
                 hoststatus: host.status, text: JSONWriter.text(.object(context.source.stamped(hostObject(host, clusterID: context.clusterID)))))
    }

    static func status(of outcome: TargetReport.Outcome) -> String {
        switch outcome {
        case .success: return "FINISHED"
        case .failure: return "FAILED"
        case .running: return "RUNNING"
        case .unknown: return "DEFINED"
        }
    }

    static func job(for run: TargetReport.RunRecord, context: ClusterContext) -> JobItem {
        let jobID = StableID.of(run.id)
        var object: [String: JSONValue] = [
            "class_name": "CmonJobInstance", "job_id": .number(Double(jobID)), "cluster_id": .number(Double(context.clusterID)),
            "status": .string(status(of: run.outcome)), "status_text": .string(run.message), "title": .string(run.title),
            "created": .string(JSONFields.rfc3339(run.created)), "run_id": .string(run.id),
            "job_spec": ["command": "backup", "job_data": .object([:])],
        ]
        object["started"] = run.started.map { .string(JSONFields.rfc3339($0)) }
        object["ended"] = run.ended.map { .string(JSONFields.rfc3339($0)) }
        return JobItem(context: context, jobID: jobID, command: "backup", status: status(of: run.outcome), title: run.title,
                       created: run.created, text: JSONWriter.text(.object(context.source.stamped(object))))
    }

    static func backup(for backup: TargetReport.BackupRecord, context: ClusterContext) -> BackupItem {
        let backupID = StableID.of(backup.id)
        let status = backup.succeeded ? "Completed" : "Failed"
        var metadata: [String: JSONValue] = [
            "class_name": "CmonBackupRecord", "id": .number(Double(backupID)), "cid": .number(Double(context.clusterID)),
            "method": .string(backup.method), "status": .string(status), "created": .string(JSONFields.rfc3339(backup.created)),
            "backup_name": .string(backup.name ?? backup.id),
        ]
        metadata["finished"] = backup.finished.map { .string(JSONFields.rfc3339($0)) }
        metadata["total_datadir_size"] = backup.size.map { .number(Double($0)) }
        metadata["file"] = backup.file.map(JSONValue.string)
        let object: [String: JSONValue] = [
            "metadata": .object(metadata), "host_locations": [], "cloud_locations": [],
            "Key": .string(context.source.key(cluster: context.clusterID)),
        ]
        return BackupItem(context: context, backupID: backupID, status: status, method: backup.method, created: backup.created,
                          text: JSONWriter.text(.object(context.source.stamped(object))))
    }

    static func scheduled(_ report: TargetReport, words: String, context: ClusterContext) -> JobItem {
        let jobID = StableID.of("schedule:" + report.id)
        let object: [String: JSONValue] = [
            "class_name": "CmonJobInstance", "job_id": .number(Double(jobID)), "cluster_id": .number(Double(context.clusterID)),
            "status": "SCHEDULED", "title": .string(report.name), "recurrence": .string(words),
            "job_spec": ["command": "backup", "job_data": .object([:])],
        ]
        return JobItem(context: context, jobID: jobID, command: "backup", status: "SCHEDULED", title: report.name, created: 0,
                       text: JSONWriter.text(.object(context.source.stamped(object))))
    }

    static func alarms(for report: TargetReport, context: ClusterContext, now: Int64) -> [AlarmItem] {
        let host = report.hosts.first?.hostname ?? ""
        if report.lastOutcome == .failure {
            let when = report.lastFinished ?? now
            return [alarm(report, context: context, severity: "ALARM_CRITICAL", type: "BackupFailed", title: "Backup failed",
                          message: report.lastMessage.isEmpty ? "The last backup of \(report.name) failed." : report.lastMessage,
                          recommendation: "Read the run's log and fix the cause; the next run will clear the alarm.",
                          created: when, hostname: host)]
        }
        if report.isStale(now: now), let success = report.lastSuccess {
            return [alarm(report, context: context, severity: "ALARM_WARNING", type: "BackupStale", title: "Backup is stale",
                          message: "The newest successful backup of \(report.name) is from \(JSONFields.rfc3339(success)), older than its schedule allows.",
                          recommendation: "Check that the schedule still fires and that runs succeed.", created: success, hostname: host)]
        }
        return []
    }

    static func alarm(_ report: TargetReport, context: ClusterContext, severity: String, type: String, title: String, message: String,
                      recommendation: String, created: Int64, hostname: String) -> AlarmItem {
        let alarmID = StableID.of("\(type):\(report.id)")
        let object: [String: JSONValue] = [
            "alarm_id": .number(Double(alarmID)), "cluster_id": .number(Double(context.clusterID)), "component_name": "Backup",
            "created": .string(JSONFields.rfc3339(created)), "hostname": .string(hostname), "title": .string(title),
            "message": .string(message), "recommendation": .string(recommendation), "severity_name": .string(severity),
            "type_name": .string(type), "ignored": 0,
        ]
        return AlarmItem(context: context, alarmID: alarmID, severityName: severity, typeName: type, hostname: hostname,
                         componentName: "Backup", ignored: "0", created: created,
                         text: JSONWriter.text(.object(context.source.stamped(object))))
    }

    /// Failing checks as alarms of the node they run on (cluster 0: the node itself): a down heartbeat is
    /// `ALARM_CRITICAL` `HeartbeatDown`, a late one `ALARM_WARNING` `HeartbeatLate`.
    static func checkAlarms(_ checks: [CheckStatus], source: SourceRef, hostname: String) -> [AlarmItem] {
        let context = ClusterContext(source: source, clusterID: 0, clusterType: "", tags: [])
        return checks.map { check in
            let down = check.status == "down"
            let promise = check.kind == "promise"
            let (severity, type) = promise ? ("ALARM_CRITICAL", "PromiseFailed") : down ? ("ALARM_CRITICAL", "HeartbeatDown") : ("ALARM_WARNING", "HeartbeatLate")
            let alarmID = StableID.of("check:\(check.id)")
            let title = promise ? "Promise \(check.name) is failing" : down ? "Heartbeat check \(check.name) is down" : "Heartbeat check \(check.name) is late"
            let message = promise ? check.message : down ? "No ping from \(check.name) arrived within its period and grace time."
                : "\(check.name) has not pinged within its period; it goes down when its grace time ends."
            let advice = promise ? "Read the promise's message and fix what it checks; it clears on its next good run."
                : "See that the job it watches runs and pings; pause the check while the job is off."
            let object: [String: JSONValue] = [
                "alarm_id": .number(Double(alarmID)), "cluster_id": 0, "component_name": "Backup",
                "created": .string(JSONFields.rfc3339(check.since)), "hostname": .string(hostname),
                "title": .string(title), "message": .string(message), "recommendation": .string(advice),
                "severity_name": .string(severity), "type_name": .string(type), "ignored": 0, "check_id": .string(check.id),
            ]
            return AlarmItem(context: context, alarmID: alarmID, severityName: severity, typeName: type, hostname: hostname,
                             componentName: "Backup", ignored: "0", created: check.since,
                             text: JSONWriter.text(.object(context.source.stamped(object))))
        }
    }
}
