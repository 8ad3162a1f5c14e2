import Foundation
import KeepwatchCore

/// An Ethoscope node's two backup daemons (MySQL on 8090, rsync on 8093), read at the same time. A daemon that
/// cannot be read is replaced by Ethoscope's error envelope; each device (by exact id) becomes a target and a host,
/// with `overall_status` as Ethoscope merges it. Only when both daemons fail is the source failed.
final class EthoscopeAdapter: SourceAdapter {
    let http: SourceHTTPClient
    static let unavailable: [String: JSONValue] = [
        "mysql": ["error": "MySQL backup service unavailable", "service": "mysql_backup"],
        "rsync": ["error": "Rsync backup service unavailable", "service": "rsync_backup"],
    ]

    init(http: SourceHTTPClient) {
        self.http = http
    }

    func refresh(_ source: SourceDefinition, settings: HubSettings) async throws -> SourceSnapshot {
        async let mysqlRead = read(source.mysqlStatusURL, envelope: "mysql", source: source, settings: settings)
        async let rsyncRead = read(source.rsyncStatusURL, envelope: "rsync", source: source, settings: settings)
        let (mysql, rsync) = await (mysqlRead, rsyncRead)
        let now = Int64(Date().timeIntervalSince1970)
        var snapshot = SourceSnapshot()
        snapshot.controllerID = source.name
        snapshot.daemonBodies = .init(mysql: mysql.body, rsync: rsync.body)
        let problems = [mysql.problem, rsync.problem].compactMap { $0 }
        if problems.count == 2 { throw EthoscopeDown(snapshot: snapshot, message: problems.joined(separator: "; ")) }
        snapshot.warning = problems.first
        let ref = SourceRef(xid: source.xid, controllerID: source.name, url: source.url, kind: .ethoscope)
        let unified = BackupServiceMerge.unifiedDevices(mysql: mysql.body, rsync: rsync.body)
        let mysqlDevices = BackupServiceMerge.devices(of: mysql.body)
        let rsyncDevices = BackupServiceMerge.devices(of: rsync.body)
        let reports = unified.keys.sorted().compactMap { id in
            Self.report(id: id, unified: unified[id]?.objectValue ?? [:], mysql: mysqlDevices[id]?.objectValue,
                        rsync: rsyncDevices[id]?.objectValue)
        }
        TargetItems.snapshot(reports, source: ref, now: now, into: &snapshot)
        for id in unified.keys.sorted() {
            let name = unified[id]?.objectValue?["name"]?.stringValue ?? id
            if let record = mysqlDevices[id]?.objectValue { snapshot.devices.append(DeviceReport(deviceID: id, name: name, service: "mysql_backup", record: record)) }
            if let record = rsyncDevices[id]?.objectValue { snapshot.devices.append(DeviceReport(deviceID: id, name: name, service: "rsync_backup", record: record)) }
        }
        snapshot.stamp(now)
        return snapshot
    }

    /// Both daemons down: the source failed, but `/backup/status` still shows the two envelopes.
    struct EthoscopeDown: Error {
        var snapshot: SourceSnapshot
        var message: String
    }

    func read(_ url: String, envelope: String, source: SourceDefinition, settings: HubSettings) async -> (body: JSONValue, problem: String?) {
        let fallback = JSONValue.object(Self.unavailable[envelope]?.objectValue ?? [:])
        do {
            let reply = try await http.send(.GET, url, source: source, settings: settings)
            guard reply.status == 200 else { return (fallback, "Get \"\(url)\": HTTP \(reply.status)") }
            let body = try reply.json(from: url)
            guard let object = body.objectValue else { return (fallback, "\(url): the reply is not a JSON object") }
            if let error = object["error"] { return (body, "\(url): \(JSONFields.text(error))") }
            return (body, nil)
        } catch {
            return (fallback, "\(error)")
        }
    }

    static func report(id: String, unified: [String: JSONValue], mysql: [String: JSONValue]?, rsync: [String: JSONValue]?) -> TargetReport {
        let name = unified["name"]?.stringValue ?? id
        var report = TargetReport(id: id, name: name, type: "ethoscope")
        let overall = unified["overall_status"]?.stringValue ?? "unknown"
        report.stateOverride = ["success": "STARTED", "partial": "DEGRADED", "error": "FAILURE"][overall] ?? "UNKNOWN"
        report.hosts = [TargetReport.Host(id: id, hostname: name, port: nil, status: hostStatus(unified["status"]?.stringValue),
                                          nodetype: "ethoscope", role: "device")]
        for (service, record) in [("MySQL backup", mysql), ("Rsync backup", rsync)] {
            guard let record, !record.isEmpty, (JSONFields.int(record["started"]) ?? 0) > 0 || record["processing"] == .bool(true) else { continue }
            let progress = record["progress"]?.objectValue ?? [:]
            let status = progress["status"]?.stringValue ?? ""
            let processing = record["processing"] == .bool(true)
            let ended = JSONFields.int(record["ended"]) ?? 0
            let started = JSONFields.int(record["started"]) ?? 0
            let outcome: TargetReport.Outcome = processing ? .running : (status == "success" ? .success : (status == "error" || ended == -1 ? .failure : .unknown))
            let message = progress["message"].map { JSONFields.text($0) } ?? ""
            let count = JSONFields.int(record["count"]) ?? 0
            report.runs.append(TargetReport.RunRecord(id: "\(id):\(service):\(count)", outcome: outcome, title: service, created: started,
                                                      started: started > 0 ? started : nil, ended: ended > 0 ? ended : nil, message: message))
            if outcome == .success && ended > 0 {
                let size = record["synced"]?.objectValue?["results"]?.objectValue?["disk_usage_bytes"].flatMap(JSONFields.int)
                report.backups.append(TargetReport.BackupRecord(id: "\(id):\(service):\(ended)", succeeded: true,
                                                                method: service == "MySQL backup" ? "mysql" : "rsync", created: ended,
                                                                finished: ended, size: size, file: nil))
                report.lastSuccess = max(report.lastSuccess ?? 0, ended)
            }
            if outcome == .failure {
                report.lastOutcome = .failure
                report.lastMessage = "\(service): \(message.isEmpty ? "failed" : message)"
                report.lastFinished = ended > 0 ? ended : started
            } else if outcome == .success && report.lastOutcome != .failure {
                report.lastOutcome = .success
            }
        }
        report.runs.sort { $0.created > $1.created }
        return report
    }

    static func hostStatus(_ deviceState: String?) -> String {
        switch deviceState {
        case "running", "stopped", "recording", "streaming", "busy": return "CmonHostOnline"
        case "offline": return "CmonHostOffLine"
        default: return "CmonHostUnknown"
        }
    }
}
