import ArgumentParser
import Foundation
import KeepwatchCore

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "List backups (on a node) and verify them (on the data directory).",
        subcommands: [BackupList.self, BackupVerify.self])
}

struct BackupList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List backups, oldest first.",
        discussion: """
        LEVEL is 0 for a full archive and 1 or more for an incremental one; CHAIN is the start of the id of the level-0 backup an incremental one builds on. CREATED is in UTC. WHERE says where the archive is now: local, remote (only on remote storage: restore and verify fetch it), local+remote, or missing.

        Examples:
          keepwatch backup list --name nightly-files
          keepwatch backup list --json
        """)
    @Option(help: "Only the backups of this backup name.") var name: String?
    @Flag(help: "Print the node's JSON reply instead of a table.") var json = false
    @OptionGroup var node: NodeOptions

    func run() async throws {
        try await clientCall(node) { client in
            let query = name.map { "?backup_name=\($0.urlComponent)" } ?? ""
            let (_, reply) = try await client.request(.GET, "/api/v1/backups\(query)")
            if json {
                printJSON(reply)
                return
            }
            guard case .array(let backups)? = reply["backups"] else { return }
            var table = TextTable(["NAME", "FILE", "SIZE", "CREATED", "LEVEL", "CHAIN", "WHERE", "SHA256"])
            for backup in backups { table.add(Self.row(backup)) }
            table.print()
        }
    }

    static func row(_ backup: JSONValue) -> [String] {
        let size = backup["size"]?.int64Value ?? 0
        let chain = backup["chain_id"]?.stringValue ?? backup["backup_id"]?.stringValue ?? ""
        let encrypted = backup["encryption"]?.stringValue == nil ? "" : " (encrypted)"
        return [backup["backup_name"]?.stringValue ?? "", backup["file"]?.stringValue ?? "", GoFormat.bytes(size),
                Timestamp.text(backup["started_at"]?.int64Value), "\(backup["level"]?.int64Value ?? 0)",
                String(chain.prefix(8)), backup["location"]?.stringValue ?? "-", String((backup["sha256"]?.stringValue ?? "").prefix(12)) + encrypted]
    }
}
