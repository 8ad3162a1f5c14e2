import Foundation
import KeepwatchCore
import SystemPackage

/// Restores a `postgres`, `mysql` or `sqlite` backup: the newest dump at or before a date, verified first, then
/// fed through `zstd -d` into `pg_restore` (objects dropped and recreated in one transaction), `mariadb`, or a new
/// SQLite file that is checked (`PRAGMA integrity_check`) before it replaces the target.
public enum DatabaseRestore {
    public struct Request: Sendable {
        public var mode: String
        public var name: String
        public var date: Int64?
        public var key: ArchiveKey?
        /// The connection keys (`database`, `host`, `port`, `user`, `password_file`, `password_env`) or, for sqlite,
        /// `restore_abs_path` and `overwrite`.
        public var action: FreezerAction

        public init(mode: String, name: String, date: Int64?, key: ArchiveKey?, action: FreezerAction) {
            self.mode = mode
            self.name = name
            self.date = date
            self.key = key
            self.action = action
        }
    }

    @discardableResult
    public static func run(_ request: Request, backups: [BackupManifest], data: DataDirectory, toolLog: FileDescriptor, control: RunControl,
                           say: @Sendable (String) -> Void) async throws -> BackupManifest {
        let chosen = try choose(request, backups: backups)
        var request = request
        request.action = withManifestDefaults(request.action, mode: request.mode, source: chosen.source, say: say)
        let session = try DatabaseSession(mode: request.mode, action: request.action, data: data, fileKey: "restore_abs_path")
        defer { session.close() }
        if let connection = session.connection {
            try refuseOldDumpIntoOtherDatabase(chosen, connection: connection)
            say("restoring \((chosen.file as NSString).lastPathComponent) into \(connection.describe(scheme: request.mode))")
        }
        return try await BackupFetcher.withLocalCopies([chosen], data: data, log: toolLog, control: control) { copies in
            try await apply(copies.first ?? chosen, request: request, session: session, toolLog: toolLog, control: control, say: say)
            return chosen
        }
    }

    static func choose(_ request: Request, backups: [BackupManifest]) throws -> BackupManifest {
        do {
            guard let newest = try RestorePlan.chain(backups.filter { $0.mode == request.mode }, name: request.name, at: request.date).last else {
                throw ActionFailure("no \(request.mode) backup named \(request.name)")
            }
            return newest
        } catch let error as RestorePlan.Failure {
            throw ActionFailure("\(error.description) (mode \(request.mode))")
        }
    }

    /// Host, port, user and database the restore does not name come from where the backup was taken, and are said.
    static func withManifestDefaults(_ action: FreezerAction, mode: String, source: String, say: @Sendable (String) -> Void) -> FreezerAction {
        guard mode == "postgres" || mode == "mysql", let recorded = DatabaseConnection(source: source) else { return action }
        var values = action.values
        var taken: [String] = []
        let defaults: [(String, JSONValue?)] = [("database", recorded.database.isEmpty ? nil : .string(recorded.database)),
                                                ("host", recorded.host.map(JSONValue.string)), ("port", recorded.port.map { .number(Double($0)) }),
                                                ("user", recorded.user.map(JSONValue.string))]
        for (key, value) in defaults {
            guard let value, action[key] == nil, !(key == "user" && action["username"] != nil) else { continue }
            values[key] = value
            taken.append(key)
        }
        if !taken.isEmpty { say("\(taken.joined(separator: ", ")) taken from the backup's manifest (\(source))") }
        return FreezerAction(values)
    }

    /// MariaDB dumps made before 0.3 say `USE <database>` inside: restored elsewhere, they would write the original.
    static func refuseOldDumpIntoOtherDatabase(_ backup: BackupManifest, connection: DatabaseConnection) throws {
        guard backup.mode == "mysql", backup.dumpFormat == nil, let recorded = DatabaseConnection(source: backup.source),
              recorded.database != connection.database else { return }
        throw ActionFailure("\((backup.file as NSString).lastPathComponent) was made by an older Keepwatch and names database "
                            + "\(recorded.database) inside; it can only be restored into \(recorded.database), not \(connection.database)")
    }

    static func apply(_ backup: BackupManifest, request: Request, session: DatabaseSession, toolLog: FileDescriptor,
                      control: RunControl, say: @Sendable (String) -> Void) async throws {
        try await BackupVerifier.requireIntact(backup, key: request.key)
        say("verified \((backup.file as NSString).lastPathComponent) sha256 \(backup.sha256)")
        let tool = try DatabaseSession.firstTool(DatabaseSession.tools(mode: request.mode, restore: true).first ?? [])
        switch request.mode {
        case "postgres", "mysql":
            guard let connection = session.connection else { throw ActionFailure("\(request.mode) needs database") }
            try await DatabaseTarget.prepare(session, overwrite: request.action.bool("overwrite") == true, say: say)
            let arguments = request.mode == "postgres" ? DatabaseCommands.postgresRestore(connection)
                : DatabaseCommands.mysqlRestore(connection, defaultsFile: session.defaultsFile ?? "/dev/null")
            let consumer = StreamedArchive.Stage(tool: tool, arguments: arguments, environment: session.environment)
            try await ArchiveExtraction.feed(backup, key: request.key, to: consumer, output: toolLog, log: toolLog, control: control)
            say("restored \((backup.file as NSString).lastPathComponent) into \(connection.describe(scheme: request.mode))")
        default:
            try await restoreFile(backup, request: request, session: session, toolLog: toolLog, control: control)
            say("restored \((backup.file as NSString).lastPathComponent) into \(session.sqliteFile ?? "")")
        }
    }

    /// SQLite: write the copy beside the target, check it, then swap it in (stale -wal and -shm files go too).
    static func restoreFile(_ backup: BackupManifest, request: Request, session: DatabaseSession, toolLog: FileDescriptor,
                            control: RunControl) async throws {
        guard let target = session.sqliteFile else { throw ActionFailure("sqlite needs restore_abs_path") }
        if FileManager.default.fileExists(atPath: target) && request.action.bool("overwrite") != true {
            throw ActionFailure("\(target) exists; replace it with --overwrite (overwrite: true in a job)")
        }
        let directory = (target as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let staged = (directory as NSString).appendingPathComponent(".\((target as NSString).lastPathComponent).restoring")
        defer { try? FileManager.default.removeItem(atPath: staged) }
        try? FileManager.default.removeItem(atPath: staged)
        let writer = StreamedArchive.Stage(tool: "dd", arguments: ["of=\(staged)", "bs=1M", "status=none"])
        try await ArchiveExtraction.feed(backup, key: request.key, to: writer, output: toolLog, log: toolLog, control: control)
        let check = try await ProcessRunner.output("sqlite3", [staged, "PRAGMA integrity_check;"])
        guard check.trimmingCharacters(in: .whitespacesAndNewlines) == "ok" else {
            throw ActionFailure("the restored database fails PRAGMA integrity_check: \(check.prefix(200))")
        }
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: target + suffix) }
        try AtomicFiles.rename(staged, to: target)
    }
}
