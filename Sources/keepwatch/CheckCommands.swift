import ArgumentParser
import Foundation
import KeepwatchCore

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "List, inspect and run a node's checks: heartbeat checks and promises.",
        subcommands: [CheckList.self, CheckShow.self, CheckRun.self, CheckHistory.self]
    )
}

struct CheckList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List checks with their state.",
        discussion: """
        STATE is up, grace (late), down, paused or new (never pinged or never run). LAST is the last ping or run, in UTC.

        Examples:
          keepwatch check list
          keepwatch check list --json | jq -r '.checks[] | select(.status == "down") | .id'
        """)
    @Flag(help: "Print the node's JSON reply instead of a table.") var json = false
    @OptionGroup var node: NodeOptions

    func run() async throws {
        try await clientCall(node) { client in
            let (_, reply) = try await client.request(.GET, "/api/v1/checks")
            if json {
                printJSON(reply)
                return
            }
            var table = TextTable(["CHECK", "KIND", "STATE", "LAST", "NAME", "MESSAGE"])
            for check in reply["checks"]?.arrayValue ?? [] {
                let kind = check["kind"]?.stringValue ?? ""
                let last = check["last_ping"]?.stringValue ?? check["last_run"]?.stringValue ?? "-"
                let name = check["name"]?.stringValue ?? check["title"]?.stringValue ?? ""
                let message = String((check["message"]?.stringValue ?? "").split(separator: "\n").first ?? "").prefix(60)
                table.add([check["id"]?.stringValue ?? "", kind, check["status"]?.stringValue ?? "", last, name, String(message)])
            }
            table.print()
        }
    }
}

struct CheckShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print a check as JSON, with its history and last pings.")
    @Argument(help: "The check's id: a heartbeat check's UUID or a promise's name.") var id: String
    @OptionGroup var node: NodeOptions

    func run() async throws {
        try await clientCall(node) { client in
            printJSON(try await client.request(.GET, "/api/v1/checks/\(id.urlComponent)").1)
        }
    }
}

struct CheckRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a promise now (its schedule stays as it is).",
        discussion: "Heartbeat checks are not run: the job they watch pings them.")
    @Argument(help: "The promise's name.") var id: String
    @OptionGroup var node: NodeOptions

    func run() async throws {
        try await clientCall(node) { client in
            _ = try await client.request(.POST, "/api/v1/checks/\(id.urlComponent)/run")
            print("running \(id); see keepwatch check show \(id)")
        }
    }
}

struct CheckHistory: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Print a check's state changes, newest first for heartbeats, oldest first for promises.")
    @Argument(help: "The check's id: a heartbeat check's UUID or a promise's name.") var id: String
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var node: NodeOptions

    func run() async throws {
        try await clientCall(node) { client in
            let (_, reply) = try await client.request(.GET, "/api/v1/checks/\(id.urlComponent)")
            let history = reply["history"] ?? []
            if json {
                printJSON(history)
                return
            }
            var table = TextTable(["DATE", "STATE", "DETAIL"])
            for entry in history.arrayValue ?? [] {
                if let to = entry["to"]?.stringValue {
                    table.add([entry["date"]?.stringValue ?? "", to, "from \(entry["from"]?.stringValue ?? "") \(entry["reason"]?.stringValue ?? "")"])
                } else {
                    table.add([entry["date"]?.stringValue ?? "", entry["status"]?.stringValue ?? "",
                               String((entry["message"]?.stringValue ?? "").prefix(80))])
                }
            }
            table.print()
        }
    }
}
