import ArgumentParser
import Foundation
import KeepwatchCore

struct NotifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "Test a node's notification channels and look at its outbox.",
        subcommands: [NotifyTest.self, NotifyList.self]
    )
}

struct NotifyTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test", abstract: "Send a test message through a channel now and say how it went.",
        discussion: """
        The message goes out at once (not through the outbox). The command fails with what the channel said when it
        is not delivered: the SMTP server's reply, the webhook's status, the command's exit status.

        Example:
          keepwatch notify test ops-mail
        """)
    @Argument(help: "The channel's name.") var channel: String
    @OptionGroup var node: NodeOptions

    func run() async throws {
        try await clientCall(node) { client in
            let (status, reply) = try await client.send(.POST, "/api/v1/channels/\(channel.urlComponent)/test", body: nil)
            if status == 200 {
                print("delivered through \(channel)")
                return
            }
            let why = reply["error"]?.stringValue ?? "the node answered \(status)"
            FileHandle.standardError.write(Data("keepwatch: not delivered through \(channel): \(why)\n".utf8))
            throw ExitCode(1)
        }
    }
}

struct NotifyList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the channels with their last delivery, and the newest messages of the outbox.")
    @Flag(help: "Print the node's JSON reply.") var json = false
    @OptionGroup var node: NodeOptions

    func run() async throws {
        try await clientCall(node) { client in
            let (_, reply) = try await client.request(.GET, "/api/v1/notifications?limit=20")
            if json {
                printJSON(reply)
                return
            }
            var channels = TextTable(["CHANNEL", "KIND", "FROM", "LAST DELIVERY (UTC)", "SENT", "FAILED", "LAST ERROR"])
            for channel in reply["channels"]?.arrayValue ?? [] {
                channels.add([channel["name"]?.stringValue ?? "", channel["kind"]?.stringValue ?? "", channel["defined_in"]?.stringValue ?? "",
                              Self.time(channel["last_delivery"]), Self.count(channel["sent"]), Self.count(channel["failed"]),
                              String((channel["last_error"]?.stringValue ?? "").prefix(60))])
            }
            channels.print()
            print("")
            var outbox = TextTable(["ID", "CHANNEL", "STATE", "EVENTS", "ATTEMPTS", "NOTE"])
            for entry in reply["outbox"]?.arrayValue ?? [] {
                let ended = entry["state"]?.stringValue == "sent"
                let note = entry["held"]?.stringValue ?? (ended ? "" : entry["last_error"]?.stringValue ?? "")
                outbox.add([Self.count(entry["id"]), entry["channel"]?.stringValue ?? "", entry["state"]?.stringValue ?? "",
                            String(entry["events"]?.arrayValue?.count ?? 0), Self.count(entry["attempts"]), String(note.prefix(60))])
            }
            outbox.print()
        }
    }

    static func time(_ value: JSONValue?) -> String {
        guard case .number(let number)? = value, let seconds = Int64(exactly: number) else { return "never" }
        return ISO8601.formatUTC(Instant(secondsSince1970: seconds))
    }

    static func count(_ value: JSONValue?) -> String {
        if case .number(let number)? = value, let whole = Int(exactly: number) { return String(whole) }
        return "-"
    }
}

struct SilenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "silence",
        abstract: "Hold back notifications about a target, a tag or a source for a while.",
        discussion: "What a silence holds is sent when it ends or is removed: nothing is lost, only delayed.",
        subcommands: [SilenceAdd.self, SilenceList.self, SilenceRemove.self]
    )
}

struct SilenceAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Silence a target (a job, check or source name), a tag or a source.",
        discussion: """
        Examples:
          keepwatch silence add --target nightly-db --for 2h --reason "disk swap"
          keepwatch silence add --tag lab --until 2026-12-24T08:00:00Z
        """)
    @Option(help: "A job id, check name or source name.") var target: String?
    @Option(help: "A tag.") var tag: String?
    @Option(help: "A source's name.") var source: String?
    @Option(name: .customLong("for"), help: "How long: 30m, 2h, 1d.") var duration: String?
    @Option(help: "Until when, in UTC: 2026-12-24T08:00:00Z.") var until: String?
    @Option(help: "Why, for whoever reads the list.") var reason: String?
    @OptionGroup var node: NodeOptions

    func run() async throws {
        var body: [String: JSONValue] = [:]
        if let target { body["target"] = .string(target) }
        if let tag { body["tag"] = .string(tag) }
        if let source { body["source"] = .string(source) }
        if let duration { body["for"] = .string(duration) }
        if let until { body["until"] = .string(until) }
        if let reason { body["reason"] = .string(reason) }
        try await clientCall(node) { client in
            let (_, reply) = try await client.request(.POST, "/api/v1/silences", body: .object(body))
            print("silence \(reply["id"]?.stringValue ?? "") until \(reply["until_text"]?.stringValue ?? "")")
        }
    }
}

struct SilenceList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the silences in force.")
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var node: NodeOptions

    func run() async throws {
        try await clientCall(node) { client in
            let (_, reply) = try await client.request(.GET, "/api/v1/silences")
            if json {
                printJSON(reply)
                return
            }
            var table = TextTable(["ID", "SCOPE", "VALUE", "UNTIL (UTC)", "BY", "REASON"])
            for silence in reply["silences"]?.arrayValue ?? [] {
                table.add([silence["id"]?.stringValue ?? "", silence["scope"]?.stringValue ?? "", silence["value"]?.stringValue ?? "",
                           silence["until_text"]?.stringValue ?? "", silence["created_by"]?.stringValue ?? "", silence["reason"]?.stringValue ?? ""])
            }
            table.print()
        }
    }
}

struct SilenceRemove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "End a silence now; what it held is sent.")
    @Argument(help: "The silence's id (see keepwatch silence list).") var id: String
    @OptionGroup var node: NodeOptions

    func run() async throws {
        try await clientCall(node) { client in
            _ = try await client.request(.DELETE, "/api/v1/silences/\(id.urlComponent)")
            print("silence \(id) removed")
        }
    }
}
