import ArgumentParser
import Foundation
import KeepwatchCore

/// Sends an event to a job and prints the node's sentence about what happened.
func sendJobEvent(_ event: String, to id: String, node: NodeOptions) async throws {
    try await clientCall(node) { client in try await postJobEvent(event, to: id, client: client) }
}

func postJobEvent(_ event: String, to id: String, client: NodeClient) async throws {
    let (_, reply) = try await client.request(.POST, "/api/v1/jobs/\(id.urlComponent)/event", body: ["event": .string(event)])
    print(reply["message"]?.stringValue ?? reply["result"]?.stringValue ?? "")
}

struct JobEventCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "event", abstract: "Send start, stop, abort or remove to a job.",
        discussion: "The same as the shortcuts keepwatch job start|stop|abort|remove ID.")
    @Argument(help: "start, stop, abort or remove.") var event: String
    @Argument(help: "Job id.") var id: String
    @OptionGroup var node: NodeOptions

    func run() async throws {
        try await sendJobEvent(event, to: id, node: node)
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
        try await sendJobEvent(Self.event, to: id, node: node)
    }
}

struct JobStart: JobEventShortcut {
    static let configuration = CommandConfiguration(
        commandName: "start", abstract: "Put a job (back) on its schedule. To run it now, use `keepwatch job run`.")
    static let event = "start"
    @Argument(help: "Job id.") var id: String
    @OptionGroup var node: NodeOptions
}

struct JobStop: JobEventShortcut {
    static let configuration = CommandConfiguration(
        commandName: "stop", abstract: "Take a job off its schedule (a run in progress finishes first).")
    static let event = "stop"
    @Argument(help: "Job id.") var id: String
    @OptionGroup var node: NodeOptions
}

struct JobAbort: JobEventShortcut {
    static let configuration = CommandConfiguration(
        commandName: "abort", abstract: "Kill a job's running run (its whole process tree) now; with nothing running, nothing changes.")
    static let event = "abort"
    @Argument(help: "Job id.") var id: String
    @OptionGroup var node: NodeOptions

    /// Freezer's API takes an abort on an idle job as a stop; the command checks first, so that nothing changes.
    func run() async throws {
        try await clientCall(node) { client in
            let (_, job) = try await client.request(.GET, "/api/v1/jobs/\(id.urlComponent)")
            let status = job["job_schedule"]?["status"]?.stringValue ?? ""
            guard status == "running" || status == "aborting" else {
                throw NodeClient.Failure(description: "\(id) has no run to abort; nothing changed (to take it off its schedule: keepwatch job stop \(id))")
            }
            try await postJobEvent("abort", to: id, client: client)
        }
    }
}

struct JobRemove: JobEventShortcut {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Mark a job removed: it stays in the list but never fires again (`keepwatch job delete` deletes it).")
    static let event = "remove"
    @Argument(help: "Job id.") var id: String
    @OptionGroup var node: NodeOptions
}
