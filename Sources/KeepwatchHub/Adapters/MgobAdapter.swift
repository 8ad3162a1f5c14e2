import Foundation
import KeepwatchCore

/// An mgob: `GET /status` (one entry per plan) and `/version`. Each plan is a target whose last run is a job and,
/// when it succeeded (`last_run_status` "200"), a backup; a plan whose last run did not is an alarm.
final class MgobAdapter: SourceAdapter {
    let http: SourceHTTPClient

    init(http: SourceHTTPClient) {
        self.http = http
    }

    func refresh(_ source: SourceDefinition, settings: HubSettings) async throws -> SourceSnapshot {
        let headers = source.token.map { [("Authorization", "Bearer \($0)")] } ?? []
        let statusURL = source.baseURL + "/status"
        let reply = try await http.send(.GET, statusURL, headers: headers, source: source, settings: settings)
        if reply.status == 401 || reply.status == 403 { throw SourceFailure.authentication("AccessDenied: \(statusURL) answered HTTP \(reply.status)") }
        guard reply.status == 200 else { throw SourceFailure.failed("Get \"\(statusURL)\": HTTP \(reply.status)") }
        guard let plans = try reply.json(from: statusURL).arrayValue else {
            throw SourceFailure.failed("\(statusURL): the reply is not a JSON array of plans")
        }
        let versionReply = try? await http.send(.GET, source.baseURL + "/version", headers: headers, source: source, settings: settings)
        let version = versionReply.flatMap { try? $0.json(from: "/version").objectValue?["mgob_version"]?.stringValue } ?? ""
        let host = TargetReport.Host(id: source.xid, hostname: SourceDefinition.host(of: source.baseURL),
                                     port: KeepwatchNodeAdapter.port(of: source.baseURL), status: "CmonHostOnline", nodetype: "mgob", role: "scheduler")
        let reports = plans.compactMap { $0.objectValue.flatMap { Self.report($0, host: host) } }
        var snapshot = TargetItems.snapshot(of: reports, source: source, controllerID: source.name, version: version)
        snapshot.devices = KeepwatchTargets.devices(reports, deviceID: source.xid, name: source.name).map { device in
            var renamed = device
            renamed.service = "plan:" + device.service.dropFirst(4)
            return renamed
        }
        return snapshot
    }

    static func report(_ plan: [String: JSONValue], host: TargetReport.Host) -> TargetReport? {
        guard let name = plan["plan"]?.stringValue, !name.isEmpty else { return nil }
        var report = TargetReport(id: name, name: name, type: "mgob")
        report.hosts = [host]
        let lastRun = JSONFields.seconds(plan["last_run"])
        let nextRun = JSONFields.seconds(plan["next_run"])
        let status = plan["last_run_status"]?.stringValue
        let log = plan["last_run_log"]?.stringValue ?? ""
        if nextRun > 0 { report.schedule = "next run " + JSONFields.rfc3339(nextRun) }
        if nextRun > lastRun && lastRun > 0 { report.period = nextRun - lastRun }
        guard lastRun > 0, let status else { return report }
        let succeeded = status == "200"
        report.runs = [TargetReport.RunRecord(id: "\(name)@\(lastRun)", outcome: succeeded ? .success : .failure, title: name,
                                              created: lastRun, started: lastRun, ended: lastRun, message: log)]
        if succeeded {
            report.backups = [TargetReport.BackupRecord(id: "\(name)@\(lastRun)", succeeded: true, method: "mongodump", created: lastRun,
                                                        finished: lastRun, size: nil, file: nil)]
            report.lastSuccess = lastRun
        }
        report.lastOutcome = succeeded ? .success : .failure
        report.lastMessage = log
        report.lastFinished = lastRun
        return report
    }
}
