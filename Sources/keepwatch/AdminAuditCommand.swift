import ArgumentParser
import Foundation
import KeepwatchCore

struct AdminAudit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Show the audit trail, newest first.",
        discussion: """
        Examples:
          keepwatch admin audit --limit 20
          keepwatch admin audit --json
        """)
    @Option(help: "How many entries (1 or more).") var limit = 50
    @Flag(help: "Print JSON (times as ISO-8601 strings).") var json = false
    @OptionGroup var options: AdminOptions

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be 1 or more") }
    }

    func run() async throws {
        try await AdminWorkspace.with(options, reload: false) { workspace in
            let entries = try await workspace.store.auditEntries(limit: limit)
            if json {
                printJSON(.array(entries.map(Self.jsonValue)))
                return
            }
            var table = TextTable(["TIME", "ACTION", "USER", "SOURCE", "RESULT", "DETAIL"])
            for entry in entries {
                table.add([Timestamp.text(entry.at), entry.action, entry.username, entry.source, entry.result, entry.detail ?? ""])
            }
            table.print()
        }
    }

    static func jsonValue(_ entry: AuditEntry) -> JSONValue {
        let pairs: [(String, JSONValue?)] = [
            ("at", Timestamp.json(entry.at)), ("action", JSONValue.string(entry.action)), ("username", JSONValue.string(entry.username)),
            ("source", JSONValue.string(entry.source)), ("result", JSONValue.string(entry.result)),
            ("detail", entry.detail.map(JSONValue.string)),
        ]
        return jsonObject(pairs)
    }
}
