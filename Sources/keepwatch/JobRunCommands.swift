import ArgumentParser
import Foundation
import KeepwatchCore

struct JobRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a job now, whatever its schedule, and print the run's id.",
        discussion: """
        The schedule is left as it is. A job that is already running is refused. With --follow, the run's log follows the id (with a live progress line on a terminal) and the exit status is 1 unless the run succeeds.

        Examples:
          keepwatch job run nightly
          keepwatch job run nightly --follow
        """)
    @Argument(help: "Job id.") var id: String
    @Flag(help: "Print the run's log until it ends; exit with status 1 unless it succeeded.") var follow = false
    @OptionGroup var node: NodeOptions

    func run() async throws {
        try await clientCall(node) { client in
            let (_, reply) = try await client.request(.POST, "/api/v1/jobs/\(id.urlComponent)/run")
            guard let runID = reply["run_id"]?.stringValue else {
                throw NodeClient.Failure("the node's reply names no run (no run_id in it)")
            }
            writeLine(runID)
            guard follow else { return }
            let runs = RunLogs(client: client)
            try await runs.show(runID: runID, follow: true)
            try await runs.requireSuccess(of: runID)
        }
    }
}

struct JobLog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Print a run's log; --follow keeps printing while it runs.",
        discussion: """
        Give a run id (see `keepwatch job runs JOB`) or a job id, which means that job's newest run; --last always reads it as a job id.

        Examples:
          keepwatch job log nightly --last --follow
          keepwatch job log 1796148078-99191a
        """)
    @Argument(help: "A run id, or a job id for its newest run.") var runOrJob: String
    @Flag(help: "Read the argument as a job id and show its newest run.") var last = false
    @Flag(help: "Keep the log open until the run ends, with a live progress line on a terminal.") var follow = false
    @OptionGroup var node: NodeOptions

    func run() async throws {
        try await clientCall(node) { client in
            let runs = RunLogs(client: client)
            let runID = try await runs.resolve(runOrJob, asJob: last)
            try await runs.show(runID: runID, follow: follow)
        }
    }
}

struct JobRuns: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "List a job's runs, newest first, with how each action went.",
        discussion: """
        ACTIONS lists each action with its outcome (success, fail, skipped or aborted); MESSAGE says why a run failed.

        Examples:
          keepwatch job runs nightly --limit 5
          keepwatch job runs nightly --json
        """)
    @Argument(help: "Job id.") var id: String
    @Option(help: "How many runs (1-1000).") var limit = 20
    @Flag(help: "Print the node's JSON reply instead of a table.") var json = false
    @OptionGroup var node: NodeOptions

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be 1 or more") }
        guard limit <= 1000 else { throw ValidationError("--limit must be 1000 or less") }
    }

    func run() async throws {
        try await clientCall(node) { client in
            let (_, reply) = try await client.request(.GET, "/api/v1/runs?job_id=\(id.urlComponent)&limit=\(limit)")
            if json {
                printJSON(reply)
                return
            }
            guard case .array(let runs)? = reply["runs"] else { return }
            var table = TextTable(["RUN", "TRIGGER", "STATUS", "STARTED", "SECONDS", "ACTIONS", "MESSAGE"])
            for run in runs { table.add(Self.row(run)) }
            table.print()
        }
    }

    static func row(_ run: JSONValue) -> [String] {
        let started = run["started_at"]?.int64Value
        let ended = run["ended_at"]?.int64Value
        let seconds = started.flatMap { start in ended.map { "\(max($0 - start, 0))" } } ?? "-"
        return [run["run_id"]?.stringValue ?? "", run["trigger"]?.stringValue ?? "", run["status"]?.stringValue ?? "",
                Timestamp.text(started), seconds, actionsText(run), run["message"]?.stringValue ?? ""]
    }

    /// `backup fs: success, admin: skipped`; an action that needed more than one attempt says how many.
    static func actionsText(_ run: JSONValue) -> String {
        guard case .array(let actions)? = run["actions"], !actions.isEmpty else { return "-" }
        return actions.map { (action: JSONValue) -> String in
            let name = [action["action"]?.stringValue, action["mode"]?.stringValue].compactMap { $0 }.joined(separator: " ")
            let attempts = action["attempts"]?.int64Value ?? 1
            let retried = attempts > 1 ? " (\(attempts) attempts)" : ""
            return "\(name.isEmpty ? "action" : name): \(action["status"]?.stringValue ?? "?")\(retried)"
        }.joined(separator: ", ")
    }
}

/// Finds runs and prints their logs, for `job log` and `job run --follow`.
struct RunLogs {
    let client: NodeClient

    /// The run `name` stands for: a run id, or a job id meaning that job's newest run (always a job id with `asJob`).
    func resolve(_ name: String, asJob: Bool) async throws -> String {
        if !asJob {
            let (status, reply) = try await client.send(.GET, "/api/v1/runs/\(name.urlComponent)")
            if status < 400 { return reply["run_id"]?.stringValue ?? name }
            if status != 404 { throw client.failure(status, reply) }
        }
        if let newest = try await newestRun(ofJob: name) { return newest }
        guard try await jobExists(name) else {
            throw NodeClient.Failure(asJob ? "no job named \(name)" : "no run or job named \(name)")
        }
        throw NodeClient.Failure("job \(name) has not run yet; run it now with: keepwatch job run \(name) --follow")
    }

    /// Prints the run's log; with `follow`, until the run ends.
    func show(runID: String, follow: Bool) async throws {
        var progress = LiveProgress.forTerminal(following: follow)
        var lines = LineSplitter()
        do {
            try await client.stream("/api/v1/runs/\(runID.urlComponent)/log?follow=\(follow)") { bytes in
                for line in lines.append(bytes) { progress.show(line) }
            }
        } catch {
            progress.finish()
            throw error
        }
        if let rest = lines.finish() { progress.show(rest) }
        progress.finish()
    }

    /// Exits with status 1, saying how the run ended, unless it succeeded.
    func requireSuccess(of runID: String) async throws {
        let (_, run) = try await client.request(.GET, "/api/v1/runs/\(runID.urlComponent)")
        let status = run["status"]?.stringValue ?? "unknown"
        if status == "success" { return }
        if status == "running" {
            reportFailure("run \(runID) is still running; follow it with: keepwatch job log \(runID) --follow")
        } else {
            reportFailure("run \(runID) ended \(status)\(run["message"]?.stringValue.map { ": \($0)" } ?? "")")
        }
        throw ExitCode(1)
    }

    private func newestRun(ofJob job: String) async throws -> String? {
        let (status, reply) = try await client.send(.GET, "/api/v1/runs?job_id=\(job.urlComponent)&limit=1")
        if status == 404 { return nil }
        if status >= 400 { throw client.failure(status, reply) }
        guard case .array(let runs)? = reply["runs"] else { return nil }
        return runs.first?["run_id"]?.stringValue
    }

    private func jobExists(_ job: String) async throws -> Bool {
        let (status, reply) = try await client.send(.GET, "/api/v1/jobs/\(job.urlComponent)")
        if status == 404 { return false }
        if status >= 400 { throw client.failure(status, reply) }
        return true
    }
}
