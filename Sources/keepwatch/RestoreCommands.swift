import ArgumentParser
import Foundation
import KeepwatchCore
import KeepwatchEngine
import KeepwatchMonitor
import KeepwatchStore
import Logging
import SystemPackage

/// Options for commands that read a data directory's backups directly (no running node needed).
struct BackupDataOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: "Data directory of the node that made the backups.")
    var dataPath = "./keepwatch-data"
    @Option(help: "Passphrase file (first line) the backups were encrypted with.") var encryptPassFile: String?
    @Option(help: "Key file (32 bytes or 64 hex digits) the backups were encrypted with.") var encryptKeyFile: String?

    func key() throws -> ArchiveKey? { try ArchiveKey.from(passFile: encryptPassFile, keyFile: encryptKeyFile) }

    /// Opens the store read-mostly, runs `body`, and reports failures as one line and exit status 1. A failure of
    /// the work itself (not of the command line) is also queued as a `failure` event for the node's channels.
    func withBackups(_ name: String, failure: NotificationEvent.Kind? = nil, _ body: ([BackupManifest]) async throws -> Void) async throws {
        let data = DataDirectory(path: dataPath)
        do {
            guard FileManager.default.fileExists(atPath: data.databaseFile.path) else {
                throw AdminFailure("no Keepwatch data at \(data.root.path) (no keepwatch.sqlite); pass --data DIR")
            }
            var logger = Logger(label: "keepwatch.restore")
            logger.logLevel = .critical
            let store = try await SQLiteStore.open(path: data.databaseFile.path, logger: logger)
            let backups: [BackupManifest]
            do {
                backups = try await store.backups(name: name)
                try await store.close()
            } catch {
                try? await store.close()
                throw error
            }
            try await body(backups)
        } catch let error as ExitCode {
            throw error
        } catch {
            FileHandle.standardError.write(Data("keepwatch: \(error)\n".utf8))
            if let failure, !(error is AdminFailure) { await tell(failure, name: name, message: "\(error)") }
            throw ExitCode(1)
        }
    }

    /// Queues the event in the node's outbox (the running node sends it); says so, or why not, on standard error.
    func tell(_ kind: NotificationEvent.Kind, name: String, message: String) async {
        let data = DataDirectory(path: dataPath)
        let event = NotificationEvent(kind: kind, targetKind: .backup, target: name, message: String(message.prefix(500)),
                                      at: Int64(Date().timeIntervalSince1970))
        do {
            let config = try NodeConfig.peek(data)
            var logger = Logger(label: "keepwatch.notify")
            logger.logLevel = .critical
            let store = try await SQLiteStore.open(path: data.databaseFile.path, sealer: try NodeKey.loadOrCreate(data), logger: logger)
            let count: Int
            do {
                count = try await OutboxWriter.queue(event, routes: config.routes, configured: config.channels, store: store)
                try? await store.close()
            } catch {
                try? await store.close()
                throw error
            }
            if count > 0 { FileHandle.standardError.write(Data("keepwatch: \(kind.rawValue) queued for \(count) channel\(count == 1 ? "" : "s")\n".utf8)) }
        } catch {
            FileHandle.standardError.write(Data("keepwatch: the \(kind.rawValue) notification was not queued: \(error)\n".utf8))
        }
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Restore a backup: files into a directory, a dump into a database, SQLite into a file.",
        discussion: """
        Picks the newest backup of NAME made at or before --date (default: the newest); for file-system backups applies its chain from level 0 up. Every archive is verified (SHA-256; for encrypted ones every record) before anything is written. Works on the data directory; the node need not run.

        fs: --to DIR (a non-empty DIR needs --overwrite). postgres and mysql: --database DB (default: the database the backup was taken from); --host, --port and --user default to the backup's too, and the restore says which it took. A missing database is created; one that holds tables is replaced only with --overwrite. The password comes from --password-file or --password-env, never the command line. sqlite: --to-file PATH (an existing file needs --overwrite).

        Examples:
          keepwatch restore home --to /srv/restored
          keepwatch restore home --to /home --date 2026-11-20T03:00:00Z --overwrite
          keepwatch restore shop --database shop_copy --password-file /etc/keepwatch/db.pass
          keepwatch restore notes --to-file /var/lib/app/notes.sqlite --overwrite
        """)
    @Argument(help: "The backup name (backup_name of the job).") var name: String
    @Option(help: "fs: directory to restore into (created if missing).") var to: String?
    @Option(help: "sqlite: database file to restore into.") var toFile: String?
    @Option(help: "Restore the state as of this time, ISO-8601 (e.g. 2026-11-20T03:00:00Z).") var date: String?
    @Flag(help: "Restore over a directory that is not empty, or replace an existing SQLite file.") var overwrite = false
    @Option(help: "postgres/mysql: server host (default: the backup's, from its manifest).") var host: String?
    @Option(help: "postgres/mysql: server port (default: the backup's).") var port: Int?
    @Option(help: "postgres/mysql: user name (default: the backup's).") var user: String?
    @Option(help: "postgres/mysql: database to restore into (default: the one the backup was taken from).") var database: String?
    @Option(help: "postgres/mysql: file whose first line is the password.") var passwordFile: String?
    @Option(help: "postgres/mysql: environment variable that holds the password.") var passwordEnv: String?
    @OptionGroup var options: BackupDataOptions

    func run() async throws {
        try await options.withBackups(name, failure: .restoreFailed) { backups in
            let when = try date.map { try ISO8601.parse($0).instant(in: .utc).secondsSince1970 }
            let mode = backups.last?.mode ?? "fs"
            if to != nil && toFile != nil { throw AdminFailure("give --to DIR (file-system backups) or --to-file PATH (SQLite), not both") }
            let say: @Sendable (String) -> Void = { line in FileHandle.standardError.write(Data("keepwatch: \(line)\n".utf8)) }
            if mode == "fs" {
                guard let to else { throw AdminFailure("\(name) holds file-system backups: give --to DIR") }
                let target = URL(fileURLWithPath: to).standardizedFileURL.path
                let request = FileSystemRestore.Request(name: name, target: target, date: when, overwrite: overwrite, key: try options.key())
                let applied = try await FileSystemRestore.run(request, backups: backups, data: DataDirectory(path: options.dataPath),
                                                              toolLog: .standardError, control: RunControl(), say: say)
                print("restored \(name) (\(applied.count) archive\(applied.count == 1 ? "" : "s"), levels 0-\(applied.last?.level ?? 0)) into \(target)")
                return
            }
            if mode == "sqlite", toFile == nil { throw AdminFailure("\(name) holds SQLite backups: give --to-file PATH") }
            if mode != "sqlite", to != nil || toFile != nil {
                throw AdminFailure("\(name) holds \(mode) backups: give --database DB (and --host, --port, --user to restore elsewhere)")
            }
            let request = DatabaseRestore.Request(mode: mode, name: name, date: when, key: try options.key(), action: connectionAction())
            let data = DataDirectory(path: options.dataPath)
            let applied = try await DatabaseRestore.run(request, backups: backups, data: data, toolLog: .standardError, control: RunControl(), say: say)
            print("restored \(name) (\(mode), \((applied.file as NSString).lastPathComponent))")
        }
    }

    /// The options as the keys a restore action would carry.
    func connectionAction() -> FreezerAction {
        var values: [String: JSONValue] = ["overwrite": .bool(overwrite)]
        let texts: [(String, String?)] = [("host", host), ("user", user), ("database", database), ("password_file", passwordFile),
                                          ("password_env", passwordEnv), ("restore_abs_path", toFile.map { URL(fileURLWithPath: $0).standardizedFileURL.path })]
        for (key, value) in texts { if let value { values[key] = .string(value) } }
        if let port { values["port"] = .number(Double(port)) }
        return FreezerAction(values)
    }
}

struct BackupVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Re-read every archive of a backup name and check it against its manifest.",
        discussion: "Checks presence, size, SHA-256 and the .json manifest; with the key, also opens every encrypted record. Each archive is reported ok, MISSING, WRONG KEY (the archive may be fine; the key is not its key) or DAMAGED. Exit status 1 when any fails.\n\nExamples:\n  keepwatch backup verify nightly-files\n  keepwatch backup verify secret --encrypt-pass-file pass.txt")
    @Argument(help: "The backup name.") var name: String
    @OptionGroup var options: BackupDataOptions

    func run() async throws {
        var failed = 0
        try await options.withBackups(name) { backups in
            guard !backups.isEmpty else { throw AdminFailure("no backup named \(name)") }
            let key = try options.key()
            let data = DataDirectory(path: options.dataPath)
            for backup in backups {
                let report = try await BackupFetcher.withLocalCopies([backup], data: data, log: .standardError, control: RunControl()) { copies in
                    await BackupVerifier.verify(copies.first ?? backup, key: key)
                }
                let file = (backup.file as NSString).lastPathComponent
                let fetched = backup.remote != nil && !FileManager.default.fileExists(atPath: backup.file) ? " (fetched from \(backup.remote ?? ""))" : ""
                if report.ok {
                    print("ok         \(file)\(fetched)\(backup.encryption != nil && !report.authenticated ? " (sha256 only: no key given)" : "")")
                } else {
                    failed += 1
                    print("\(report.verdict.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(file)\(fetched): \(report.problems.joined(separator: "; "))")
                }
            }
            print("\(backups.count - failed) of \(backups.count) backups of \(name) verified")
        }
        if failed > 0 {
            await options.tell(.verifyFailed, name: name, message: "\(failed) archive\(failed == 1 ? "" : "s") of \(name) failed verification")
            throw ExitCode(1)
        }
    }
}
