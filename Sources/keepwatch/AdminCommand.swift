import ArgumentParser
import Foundation
import KeepwatchCore
import KeepwatchEngine
import KeepwatchStore
import Logging

/// `keepwatch admin`: users, tokens and the config file, worked on the data directory directly (the node need not
/// run); a running node is told to reload.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Manage users, API tokens, the hub's sources and keepwatch.yaml in a data directory (no running node needed).",
        discussion: """
        Each subcommand opens <data>/keepwatch.sqlite directly and, when a node is running on that data directory (<data>/keepwatch.pid), sends it SIGHUP so it reloads.

        Roles: admin (everything), operator (run, stop and abort jobs; read), viewer (read only).

        Examples:
          keepwatch admin adduser alice --role operator
          keepwatch admin token create --role viewer --expires 30d
          keepwatch admin addcontroller -u admin -p secret -n lab cc1.example.com:9501
        """,
        subcommands: [AdminAddUser.self, AdminSetPassword.self, AdminDropUser.self, AdminListUsers.self, AdminSetRole.self,
                      AdminSuspend.self, AdminToken.self, AdminAPIKey.self, AdminPingKey.self, AdminInit.self, AdminAudit.self,
                      AdminAddController.self, AdminUpdateController.self, AdminDropController.self, AdminListControllers.self]
    )
}

struct AdminOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: "Data directory of the node.")
    var dataPath = "./keepwatch-data"
}

/// An open data directory for one admin command.
struct AdminWorkspace {
    let data: DataDirectory
    let store: SQLStore
    let accounts: AccountService

    /// Runs `body` on the data directory, reports failures as one line and exit status 1, then reloads a running node.
    /// `create` lets a command start a fresh data directory (adding the first user or token before the first start);
    /// the others refuse a directory without a store, which is most often a mistyped `--data`.
    static func with(_ options: AdminOptions, reload: Bool = true, create: Bool = false,
                     _ body: (AdminWorkspace) async throws -> Void) async throws {
        let data = DataDirectory(path: options.dataPath)
        do {
            if !create && !FileManager.default.fileExists(atPath: data.databaseFile.path) {
                throw AdminFailure("no Keepwatch data at \(data.root.path) (no keepwatch.sqlite); pass --data DIR")
            }
            try data.prepare()
            var logger = Logger(label: "keepwatch.admin")
            logger.logLevel = .critical
            // The node key seals source passwords and tokens; it is made here when the directory has none yet.
            let key = try NodeKey.loadOrCreate(data)
            let store = try await SQLiteStore.open(path: data.databaseFile.path, sealer: key, logger: logger)
            let ttl = (try? NodeConfig.loadOrCreate(data).sessionTTL) ?? NodeConfig().sessionTTL
            let workspace = AdminWorkspace(data: data, store: store, accounts: AccountService(store: store, sessionTTL: ttl, logger: logger))
            do {
                try await body(workspace)
            } catch {
                try? await store.close()
                throw error
            }
            try await store.close()
        } catch let error as ExitCode {
            throw error
        } catch {
            reportFailure("\(error)")
            throw ExitCode(1)
        }
        if reload, let pid = NodePidFile(data: data).signalReload() {
            print("told the running node (pid \(pid)) to reload")
        }
    }

    func audit(_ action: String, _ username: String, detail: String? = nil) async {
        await accounts.audit(action, username: username, source: "cli:\(NSUserName())", result: "ok", detail: detail)
    }
}

struct AdminFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Role: ExpressibleByArgument {}
