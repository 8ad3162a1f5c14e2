import Foundation
import KeepwatchCore

/// `backup` in `postgres`, `mysql` or `sqlite` mode: the dump streamed through zstd (and sealed when a key is
/// given) into `<container>/<name>/<name>-<unix>.<pgdump|sql|sqlite>.zst`, with `.log` and `.json` beside it.
/// PostgreSQL: `pg_dump --format=custom`; MariaDB/MySQL: `mariadb-dump --single-transaction`; SQLite: the online
/// backup API (`sqlite3 db ".backup copy"`), then the copy is compressed.
enum DatabaseBackup {
    static func run(_ context: ActionContext) async throws -> BackupManifest {
        let action = context.action
        let mode = action.mode ?? ""
        let session = try DatabaseSession(mode: mode, action: action, data: context.data, fileKey: "path_to_backup")
        defer { session.close() }
        let name = action.backupName ?? context.job.jobID
        let key = try ArchiveKey.from(passFile: action.string("encrypt_pass_file"), keyFile: action.string("encrypt_key_file"))
        let directory = context.backupDirectory(name: name)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let started = context.now()
        let target = BackupPaths(directory: directory, name: name, startedAt: started,
                                 fileExtension: key == nil ? session.fileExtension : session.fileExtension + ".kwenc")
        context.log.line("Backup started", fields: [("action", "\(context.index)"), ("archive", target.archive), ("source", session.source)])
        let copy = context.data.temporary.appendingPathComponent(".\(name)-\(started)-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let tool = try DatabaseSession.firstTool(DatabaseSession.tools(mode: mode, restore: false).first ?? [])
        let producer = try await dumpStage(session, tool: tool, copy: copy, context: context)
        let archive = StreamedArchive(producer: producer, compressor: "zstd", compressorArguments: ["-q", "-c"], encryption: key)
        let result = try await target.writeArchive(context: context) { output, toolLog, progress in
            try await archive.write(to: output, path: target.partial, log: toolLog, control: context.control, progress: progress)
        }
        var manifest = BackupManifest(
            backupID: UUID().uuidString.lowercased(), backupName: name, jobID: context.job.jobID, runID: context.runID,
            file: target.archive, size: result.size, sha256: result.sha256, compression: "zstd", mode: mode, source: session.source,
            startedAt: started, endedAt: context.now(),
            tools: [tool: await ToolVersions.version(of: tool), "zstd": await ToolVersions.version(of: "zstd")],
            encryption: key == nil ? nil : "aes-256-gcm")
        manifest.dumpFormat = mode == "mysql" ? "single-database" : nil
        try target.writeManifest(manifest)
        return manifest
    }

    /// What writes the dump to standard output. For SQLite the online backup is taken first, into `copy`.
    static func dumpStage(_ session: DatabaseSession, tool: String, copy: String, context: ActionContext) async throws -> StreamedArchive.Stage {
        switch session.mode {
        case "postgres":
            guard let connection = session.connection else { throw ActionFailure("postgres needs database") }
            return .init(tool: tool, arguments: DatabaseCommands.postgresDump(connection), environment: session.environment)
        case "mysql":
            guard let connection = session.connection, let defaults = session.defaultsFile else { throw ActionFailure("mysql needs database") }
            return .init(tool: tool, arguments: DatabaseCommands.mysqlDump(connection, defaultsFile: defaults))
        default:
            guard let file = session.sqliteFile, FileManager.default.fileExists(atPath: file) else {
                throw ActionFailure("the sqlite database \(session.sqliteFile ?? "") does not exist")
            }
            let quoted = "'" + copy.replacingOccurrences(of: "'", with: "''") + "'"
            let termination = try await ProcessLauncher.run(tool, [file, ".backup \(quoted)"], output: context.log.descriptor,
                                                            error: context.log.descriptor, control: context.control)
            guard termination.succeeded else { throw ActionFailure("sqlite3 .backup of \(file) failed: \(termination)") }
            return .init(tool: "cat", arguments: [copy])
        }
    }
}
