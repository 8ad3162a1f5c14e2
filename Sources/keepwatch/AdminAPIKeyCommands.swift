import ArgumentParser
import Foundation
import KeepwatchCore
import KeepwatchMonitor
import KeepwatchStore

struct AdminAPIKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikey", abstract: "Keys for the Healthchecks-compatible management API (/api/v3/, header X-Api-Key).",
        discussion: """
        Healthchecks clients (its CLI tools, Terraform providers, scripts) provision heartbeat checks with these keys.
        A read-write key starts with hcw_, a read-only key with hcr_; both are 32 characters.

        Examples:
          keepwatch admin apikey create --name terraform
          keepwatch admin apikey create --read-only --name grafana
          curl -H "X-Api-Key: $KEY" http://127.0.0.1:8090/api/v3/checks/
        """,
        subcommands: [AdminAPIKeyCreate.self, AdminAPIKeyList.self, AdminAPIKeyRevoke.self])
}

struct AdminAPIKeyCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a key and print it once (only its hash is kept).")
    @Flag(help: "A read-only key (hcr_…): lists checks and flips, changes nothing.") var readOnly = false
    @Option(help: "A name that says what uses the key.") var name = "cli"
    @OptionGroup var options: AdminOptions

    func run() async throws {
        try await AdminWorkspace.with(options, reload: false) { workspace in
            let created: (key: MonitorAPIKey, secret: String)
            do {
                created = try await MonitorAPIKeys(store: workspace.store).create(name: name, readOnly: readOnly)
            } catch let refused as MonitorAPIKeys.Refused {
                throw AdminFailure(refused.description)
            }
            let (key, secret) = created
            await workspace.audit("apikey-create", key.name, detail: "\(key.keyID) \(readOnly ? "read-only" : "read-write")")
            print(secret)
            FileHandle.standardError.write(Data("api key \(key.keyID) (\(readOnly ? "read-only" : "read-write")); the key above is not shown again\n".utf8))
        }
    }
}

struct AdminAPIKeyList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the management API keys (never the keys themselves).")
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var options: AdminOptions

    func run() async throws {
        try await AdminWorkspace.with(options, reload: false) { workspace in
            let keys = try await MonitorAPIKeys(store: workspace.store).list()
            if json {
                printJSON(.array(keys.map { key in
                    jsonObject([("key_id", .string(key.keyID)), ("name", .string(key.name)), ("read_only", .bool(key.readOnly)),
                                ("created_at", Timestamp.json(key.createdAt)), ("revoked_at", Timestamp.json(key.revokedAt))])
                }))
                return
            }
            var table = TextTable(["ID", "NAME", "ACCESS", "STATE", "CREATED"])
            for key in keys {
                table.add([key.keyID, key.name, key.readOnly ? "read-only" : "read-write", key.revokedAt == nil ? "active" : "revoked",
                           Timestamp.text(key.createdAt)])
            }
            table.print()
        }
    }
}

struct AdminAPIKeyRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a key by its id or name; it stops working at once.")
    @Argument(help: "The key's id (see `keepwatch admin apikey list`) or its name when only one active key has it.") var key: String
    @OptionGroup var options: AdminOptions

    func run() async throws {
        try await AdminWorkspace.with(options, reload: false) { workspace in
            let revoked: MonitorAPIKey
            do {
                revoked = try await MonitorAPIKeys(store: workspace.store).revoke(key)
            } catch let refused as MonitorAPIKeys.Refused {
                throw AdminFailure(refused.description)
            }
            await workspace.audit("apikey-revoke", revoked.name, detail: revoked.keyID)
            print("api key \(revoked.keyID) (\(revoked.name)) revoked")
        }
    }
}

struct AdminPingKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pingkey", abstract: "Print the node's ping key, for slug ping URLs (/ping/<ping key>/<slug>).",
        discussion: """
        Healthchecks clients that ping by slug (runitor -slug, borgmatic create_slug) use it; add ?create=1 to make a
        check the first time its slug is pinged.

        Example:
          KEY=$(keepwatch admin pingkey)
          curl -fsS "http://127.0.0.1:8090/ping/$KEY/nightly-db?create=1"
        """)
    @OptionGroup var options: AdminOptions

    func run() async throws {
        try await AdminWorkspace.with(options, reload: false) { workspace in
            print(try await HeartbeatService.pingKey(in: workspace.store))
        }
    }
}
