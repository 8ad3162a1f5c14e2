import ArgumentParser
import Foundation
import KeepwatchCore
import KeepwatchEngine

/// Options every command that talks to a node shares.
struct NodeOptions: ParsableArguments {
    @Option(help: "URL of the node (default: $KEEPWATCH_URL or http://127.0.0.1:8090).")
    var url: String?
    @Option(help: "API token (default: $KEEPWATCH_TOKEN); create one with `keepwatch admin token create`.")
    var token: String?

    var client: NodeClient { NodeClient(url: url, token: token) }
}

/// Runs a client command body, turning failures into one line on stderr and exit status 1.
func clientCall(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as NodeClient.Failure {
        FileHandle.standardError.write(Data("keepwatch: \(error)\n".utf8))
        throw ExitCode(1)
    }
}

func printJSON(_ value: JSONValue) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    if let data = try? encoder.encode(value) { print(String(decoding: data, as: UTF8.self)) }
}

struct JobCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "job",
        abstract: "Create, inspect and control jobs on a running node.",
        subcommands: [JobCreate.self, JobList.self, JobShow.self, JobStart.self, JobStop.self, JobAbort.self, JobRemove.self,
                      JobEventCommand.self, JobRuns.self, JobLog.self]
    )
}

struct JobCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Submit a job document (JSON or YAML).",
                                                    discussion: "Prints the new job's id. Errors name the field: job_actions[0].freezer_action.mode: …")
    @Option(name: .shortAndLong, help: "The job document; - reads standard input.")
    var file: String
    @OptionGroup var node: NodeOptions

    func run() async throws {
        try await clientCall {
            let text: String
            if file == "-" {
                text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            } else {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw NodeClient.Failure(description: "cannot read \(file)")
                }
                text = String(decoding: data, as: UTF8.self)
            }
            let document: JSONValue
            if let json = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) {
                document = json
            } else {
                do { document = try YAMLValue.json(from: text) } catch {
                    throw NodeClient.Failure(description: "\(file) is neither JSON nor YAML: \(error)")
                }
            }
            let (_, reply) = try await node.client.request(.POST, "/api/v1/jobs", body: document)
            print(reply["job_id"]?.stringValue ?? "")
        }
    }
}

struct JobList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List jobs with their status and next run.")
    @OptionGroup var node: NodeOptions

    func run() async throws {
        try await clientCall {
            let (_, reply) = try await node.client.request(.GET, "/api/v1/jobs")
            guard case .array(let jobs)? = reply["jobs"] else { return }
            var rows = [["JOB", "STATUS", "RESULT", "NEXT RUN", "DESCRIPTION"]]
            for job in jobs {
                rows.append([job["job_id"]?.stringValue ?? "", job["job_schedule"]?["status"]?.stringValue ?? "",
                             job["job_schedule"]?["result"]?.stringValue ?? "", job["next_run"]?.stringValue ?? "-",
                             job["description"]?.stringValue ?? ""])
            }
            print(Table.render(rows))
        }
    }
}

struct JobShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print a job document.")
    @Argument(help: "Job id.") var id: String
    @OptionGroup var node: NodeOptions

    func run() async throws {
        try await clientCall { printJSON(try await node.client.request(.GET, "/api/v1/jobs/\(id)").1) }
    }
}

struct JobEventCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "event", abstract: "Send start, stop, abort or remove to a job.",
        discussion: "Shortcuts: keepwatch job start|stop|abort|remove ID.", aliases: [])
    @Argument(help: "start, stop, abort or remove.") var event: String
    @Argument(help: "Job id.") var id: String
    @OptionGroup var node: NodeOptions

    func run() async throws {
        try await clientCall {
            let (_, reply) = try await node.client.request(.POST, "/api/v1/jobs/\(id)/event", body: ["event": .string(event)])
            print(reply["result"]?.stringValue ?? "")
        }
    }
}

struct JobRuns: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runs", abstract: "List a job's runs, newest first.")
    @Argument(help: "Job id.") var id: String
    @Option(help: "How many runs.") var limit = 20
    @OptionGroup var node: NodeOptions

    func run() async throws {
        try await clientCall {
            let (_, reply) = try await node.client.request(.GET, "/api/v1/runs?job_id=\(id)&limit=\(limit)")
            guard case .array(let runs)? = reply["runs"] else { return }
            var rows = [["RUN", "TRIGGER", "STATUS", "STARTED", "SECONDS", "MESSAGE"]]
            for run in runs {
                let started = run["started_at"]?.int64Value
                let ended = run["ended_at"]?.int64Value
                rows.append([run["run_id"]?.stringValue ?? "", run["trigger"]?.stringValue ?? "", run["status"]?.stringValue ?? "",
                             started.map { ISO8601.format(Instant(secondsSince1970: $0), in: .utc) } ?? "",
                             started.flatMap { s in ended.map { "\($0 - s)" } } ?? "-", run["message"]?.stringValue ?? ""])
            }
            print(Table.render(rows))
        }
    }
}

struct JobLog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "log", abstract: "Print a run's log; --follow keeps printing while it runs.")
    @Argument(help: "Run id (see `keepwatch job runs JOB`).") var runID: String
    @Flag(help: "Keep the log open until the run ends, with a live progress line.") var follow = false
    @OptionGroup var node: NodeOptions

    func run() async throws {
        try await clientCall {
            var progress = LiveProgress(enabled: follow && isatty(STDOUT_FILENO) == 1)
            var pending = ""
            try await node.client.stream("/api/v1/runs/\(runID)/log?follow=\(follow)") { text in
                pending += text
                while let newline = pending.firstIndex(of: "\n") {
                    progress.show(String(pending[..<newline]))
                    pending = String(pending[pending.index(after: newline)...])
                }
            }
            if !pending.isEmpty { progress.show(pending) }
            progress.finish()
        }
    }
}

/// Renders `msg="progress"` log lines as one line that updates in place on a terminal.
struct LiveProgress {
    let enabled: Bool
    var showing = false

    mutating func show(_ line: String) {
        if enabled, line.contains("msg=\"progress\"") {
            let fields = line.split(separator: " ").filter { $0.hasPrefix("written=") || $0.hasPrefix("rate=") }
            let text = "\r\u{1B}[2K" + fields.joined(separator: "  ").replacingOccurrences(of: "\"", with: "")
            FileHandle.standardOutput.write(Data(text.utf8))
            showing = true
            return
        }
        if showing { FileHandle.standardOutput.write(Data("\n".utf8)) }
        showing = false
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    mutating func finish() {
        if showing { FileHandle.standardOutput.write(Data("\n".utf8)) }
    }
}

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "backup", abstract: "List backups (on a node) and verify them (on the data directory).",
                                                    subcommands: [BackupList.self, BackupVerify.self])
}

struct BackupList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List backups, oldest first.")
    @Option(help: "Only this backup name.") var name: String?
    @OptionGroup var node: NodeOptions

    func run() async throws {
        try await clientCall {
            let query = name.map { "?backup_name=\($0.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? $0)" } ?? ""
            let (_, reply) = try await node.client.request(.GET, "/api/v1/backups\(query)")
            guard case .array(let backups)? = reply["backups"] else { return }
            var rows = [["NAME", "FILE", "SIZE", "CREATED", "LEVEL", "CHAIN", "SHA256"]]
            for backup in backups {
                let size = backup["size"]?.int64Value ?? 0
                let started = backup["started_at"]?.int64Value ?? 0
                let chain = backup["chain_id"]?.stringValue ?? backup["backup_id"]?.stringValue ?? ""
                let encrypted = backup["encryption"]?.stringValue == nil ? "" : " (encrypted)"
                rows.append([backup["backup_name"]?.stringValue ?? "", backup["file"]?.stringValue ?? "", GoFormat.bytes(size),
                             ISO8601.format(Instant(secondsSince1970: started), in: .utc), "\(backup["level"]?.int64Value ?? 0)",
                             String(chain.prefix(8)), String((backup["sha256"]?.stringValue ?? "").prefix(12)) + encrypted])
            }
            print(Table.render(rows))
        }
    }
}

enum Table {
    static func render(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

/// `keepwatch job start|stop|abort|remove ID`.
protocol JobEventShortcut: AsyncParsableCommand {
    static var event: String { get }
    var id: String { get }
    var node: NodeOptions { get }
}

extension JobEventShortcut {
    func run() async throws {
        try await clientCall {
            let (_, reply) = try await node.client.request(.POST, "/api/v1/jobs/\(id)/event", body: ["event": .string(Self.event)])
            print(reply["result"]?.stringValue ?? "")
        }
    }
}

struct JobStart: JobEventShortcut {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Put a job (back) on its schedule; an unscheduled job runs once.")
    static let event = "start"
    @Argument(help: "Job id.") var id: String
    @OptionGroup var node: NodeOptions
}

struct JobStop: JobEventShortcut {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Take a job off its schedule (a running run finishes first).")
    static let event = "stop"
    @Argument(help: "Job id.") var id: String
    @OptionGroup var node: NodeOptions
}

struct JobAbort: JobEventShortcut {
    static let configuration = CommandConfiguration(commandName: "abort", abstract: "Kill a running job's process tree now and stop the job.")
    static let event = "abort"
    @Argument(help: "Job id.") var id: String
    @OptionGroup var node: NodeOptions
}

struct JobRemove: JobEventShortcut {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Mark a job removed: it never fires again (DELETE deletes it).")
    static let event = "remove"
    @Argument(help: "Job id.") var id: String
    @OptionGroup var node: NodeOptions
}
