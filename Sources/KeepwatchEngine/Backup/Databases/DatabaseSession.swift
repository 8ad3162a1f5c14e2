import Foundation
import KeepwatchCore

/// One backup or restore of a `postgres`, `mysql` or `sqlite` action: the tools, and the credential files
/// (mode 0600, in `<data>/tmp`) that exist only while it runs.
struct DatabaseSession {
    static let modes: Set<String> = ["postgres", "mysql", "sqlite"]

    let mode: String
    let connection: DatabaseConnection?
    /// The database file of the `sqlite` mode (`path_to_backup` for a backup, `restore_abs_path` for a restore).
    let sqliteFile: String?
    let environment: [String: String]
    let defaultsFile: String?
    private let temporary: [String]

    /// Reads the password (file or environment) and writes what the tools need; `close()` removes it.
    init(mode: String, action: FreezerAction, data: DataDirectory, fileKey: String) throws {
        self.mode = mode
        guard Self.modes.contains(mode) else { throw ActionFailure("mode \(mode) is not a database mode (postgres, mysql, sqlite)") }
        if mode == "sqlite" {
            guard let file = action.string(fileKey), file.hasPrefix("/") else {
                throw ActionFailure("mode sqlite needs \(fileKey), the absolute path of the database file"
                                    + (fileKey == "restore_abs_path" ? " (keepwatch restore: --to-file PATH)" : ""))
            }
            sqliteFile = file
            connection = nil
            environment = [:]
            defaultsFile = nil
            temporary = []
            return
        }
        guard let connection = DatabaseConnection(action: action) else {
            throw ActionFailure("mode \(mode) needs database (keepwatch restore: --database)")
        }
        self.connection = connection
        sqliteFile = nil
        let password = try Self.password(connection)
        try FileManager.default.createDirectory(at: data.temporary, withIntermediateDirectories: true)
        let file = data.temporary.appendingPathComponent("credentials-\(UUID().uuidString)").path
        if mode == "postgres" {
            if let password { try AtomicFiles.write(Data(DatabaseCommands.pgpass(password: password).utf8), to: file, permissions: [.ownerReadWrite]) }
            environment = password == nil ? [:] : ["PGPASSFILE": file]
            defaultsFile = nil
        } else {
            try AtomicFiles.write(Data(DatabaseCommands.mysqlDefaults(password: password).utf8), to: file, permissions: [.ownerReadWrite])
            environment = [:]
            defaultsFile = file
        }
        temporary = [file]
    }

    func close() {
        for file in temporary { try? FileManager.default.removeItem(atPath: file) }
    }

    static func password(_ connection: DatabaseConnection) throws -> String? {
        try password(file: connection.passwordFile, environment: connection.passwordEnvironment)
    }

    /// The password from `password_file` (first line) or the variable `password_env` names; nil when neither is set.
    static func password(file: String?, environment: String?) throws -> String? {
        if let file {
            guard let password = SecretFile.firstLine(file) else { throw ActionFailure("cannot read password_file \(file)") }
            return password
        }
        if let name = environment {
            guard let value = ProcessInfo.processInfo.environment[name] else {
                throw ActionFailure("password_env (--password-env) names \(name), which is not set in the environment")
            }
            return value
        }
        return nil
    }

    var source: String {
        if let sqliteFile { return "sqlite://\(sqliteFile)" }
        return connection?.describe(scheme: mode) ?? mode
    }

    var fileExtension: String {
        switch mode {
        case "postgres": return "pgdump.zst"
        case "mysql": return "sql.zst"
        default: return "sqlite.zst"
        }
    }

    static func firstTool(_ names: [String]) throws -> String {
        guard let tool = names.first(where: { ExecutableLookup.find($0) != nil }) else {
            throw ActionFailure("\(names.joined(separator: " or ")) not found on this node; install it")
        }
        return tool
    }

    static func tools(mode: String, restore: Bool) -> [[String]] {
        switch (mode, restore) {
        case ("postgres", false): return [["pg_dump"]]
        case ("postgres", true): return [["pg_restore"]]
        case ("mysql", false): return [["mariadb-dump", "mysqldump"]]
        case ("mysql", true): return [["mariadb", "mysql"]]
        default: return [["sqlite3"]]
        }
    }
}
