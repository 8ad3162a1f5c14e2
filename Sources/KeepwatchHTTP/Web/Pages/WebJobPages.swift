import Foundation
import Hummingbird
import KeepwatchCore
import KeepwatchEngine
import KeepwatchHub

/// `/jobs`, `/jobs/{id}`, `/runs/{id}`.
extension WebPages {
    func jobList(_ request: Request, _ context: KeepwatchRequestContext) async throws -> Response {
        let now = Self.now
        var rows: [[String: Any]] = []
        for listed in await jobs.listing() {
            let runs = try await jobs.runs(jobID: listed.job.jobID, limit: 30)
            rows.append(Self.jobFields(listed, runs: runs, now: now))
        }
        let frame = frame("Jobs", section: "Jobs", json: "/api/v1/jobs", request, context)
        return frame.render("jobs", ["hasJobs": !rows.isEmpty, "jobs": rows])
    }

    func jobDetail(_ request: Request, _ context: KeepwatchRequestContext) async throws -> Response {
        let id = try Self.segment(context, "id")
        let frame = frame("Job \(id)", section: "Jobs", json: "/api/v1/jobs/\(Self.pathEscaped(id))", request, context)
        guard let listed = await jobs.listing(of: id) else {
            return frame.problem("No job \(id)", "There is no job named \(id) on this node; the list is on Jobs.", status: .notFound)
        }
        let now = Self.now
        let runs = try await jobs.runs(jobID: id, limit: 30)
        var fields = Self.jobFields(listed, runs: runs, now: now)
        fields["hasRuns"] = !runs.isEmpty
        fields["runs"] = runs.map { Self.runFields($0, zone: listed.zone, now: now) }
        fields["actionSummary"] = listed.job.actions.map { action in
            let kind = action.freezerAction.kind.rawValue
            return action.freezerAction.mode.map { "\(kind) (\($0))" } ?? kind
        }.joined(separator: ", ")
        return frame.render("job", fields)
    }

    func runDetail(_ request: Request, _ context: KeepwatchRequestContext) async throws -> Response {
        let id = try Self.segment(context, "id")
        let frame = frame("Run \(id)", section: "Jobs", json: "/api/v1/runs/\(Self.pathEscaped(id))", request, context)
        guard let run = try? await jobs.run(id) else {
            return frame.problem("No run \(id)", "There is no run \(id) on this node; a job's page lists its runs.", status: .notFound)
        }
        let zone = await jobs.zone(of: run.jobID)
        let total = await jobs.job(run.jobID)?.actions.count ?? run.actions.count
        var fields = Self.runFields(run, zone: zone, now: Self.now)
        let (log, truncated) = Self.tail(run.logPath, limit: 262_144)
        fields.merge([
            "job": run.jobID, "log": log, "truncated": truncated, "hasActions": !run.actions.isEmpty,
            "actionCount": max(total, run.actions.count), "actionsDone": run.actions.count,
            "actions": run.actions.map { outcome -> [String: Any] in
                var row: [String: Any] = ["index": outcome.index, "action": outcome.action, "status": outcome.status.rawValue,
                                          "attempts": outcome.attempts]
                row.put("mode", outcome.mode)
                row.put("message", outcome.message)
                return row
            },
        ]) { _, new in new }
        return frame.render("run", fields)
    }

    static func jobFields(_ listed: JobListing, runs: [Run], now: Int64) -> [String: Any] {
        let job = listed.job
        let last = runs.first
        var fields: [String: Any] = [
            "id": job.jobID, "schedule": scheduleWords(job), "running": listed.running,
            "result": listed.running ? "running" : last.map { $0.status.rawValue } ?? "never run",
            "dot": listed.running ? "running" : dot(last?.status),
            "resultTitle": last.map { "\($0.status.rawValue): run \($0.runID)" } ?? "no run yet",
            "sparkline": Sparkline.svg(runs, now: now),
            "scheduled": job.schedule.hasRule,
            "stopped": JobLifecycle.isStopped(job.state, hasNextFire: Self.hasFireTimes(job, now: now)),
        ]
        fields.put("description", job.description)
        fields.put("next", WebFormat.time(listed.nextRun?.secondsSince1970, now: now, zone: listed.zone))
        fields.put("lastTime", WebFormat.time(last?.startedAt, now: now, zone: listed.zone))
        return fields
    }

    static func runFields(_ run: Run, zone: ZoneRules, now: Int64) -> [String: Any] {
        var fields: [String: Any] = [
            "id": run.runID, "status": run.status.rawValue, "dot": dot(run.status), "trigger": run.trigger.rawValue,
            "running": run.status == .running, "duration": WebFormat.duration(Sparkline.seconds(run, now: now)),
        ]
        fields.put("started", WebFormat.time(run.startedAt, now: now, zone: zone))
        fields.put("ended", WebFormat.time(run.endedAt, now: now, zone: zone))
        fields.put("message", run.message)
        return fields
    }

    /// Ethoscope's colours for a run's result, by the board's rule.
    static func dot(_ status: Run.Status?) -> String { BoardState(run: status).rawValue }

    static func hasFireTimes(_ job: Job, now: Int64) -> Bool {
        guard job.schedule.hasRule, let schedule = try? job.firingSchedule() else { return false }
        return schedule.next(after: Instant(secondsSince1970: now)) != nil
    }

    static func scheduleWords(_ job: Job) -> String {
        guard job.schedule.hasRule else { return "no schedule: runs when started" }
        return (try? job.firingSchedule().summary) ?? "a schedule this node cannot read"
    }

    /// The last `limit` bytes of a log, and whether there was more.
    static func tail(_ path: String, limit: UInt64) -> (String, Bool) {
        guard let handle = FileHandle(forReadingAtPath: path) else { return ("", false) }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        let start = size > limit ? size - limit : 0
        try? handle.seek(toOffset: start)
        let data = (try? handle.readToEnd()) ?? Data()
        return (String(decoding: data, as: UTF8.self), start > 0)
    }

    static func pathEscaped(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? text
    }
}
