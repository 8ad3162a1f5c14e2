/// Where a `postgres` or `mysql` action connects: `host` (or a socket directory), `port`, `user` (or `username`),
/// `database`, and the password from `password_file` (first line) or the node's environment variable `password_env`.
/// The password never goes on a command line.
public struct DatabaseConnection: Equatable, Sendable {
    public var host: String?
    public var port: Int?
    public var user: String?
    public var database: String
    public var passwordFile: String?
    public var passwordEnvironment: String?

    public init(host: String? = nil, port: Int? = nil, user: String? = nil, database: String, passwordFile: String? = nil,
                passwordEnvironment: String? = nil) {
        self.host = host
        self.port = port
        self.user = user
        self.database = database
        self.passwordFile = passwordFile
        self.passwordEnvironment = passwordEnvironment
    }

    public init?(action: FreezerAction) {
        guard let database = action.string("database"), !database.isEmpty else { return nil }
        self.init(host: action.string("host"), port: action.int("port"), user: action.string("user") ?? action.string("username"),
                  database: database, passwordFile: action.string("password_file"), passwordEnvironment: action.string("password_env"))
    }

    /// The connection a backup's manifest recorded (`postgres://user@host:port/database`), for restore defaults.
    public init?(source: String) {
        guard let schemeEnd = source.firstRange(of: "://") else { return nil }
        var rest = Substring(source[schemeEnd.upperBound...])
        var user: String?
        if let at = rest.firstIndex(of: "@") {
            user = String(rest[..<at])
            rest = rest[rest.index(after: at)...]
        }
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        let database = String(rest[rest.index(after: slash)...])
        var hostPort = rest[..<slash]
        var port: Int?
        if let colon = hostPort.lastIndex(of: ":"), let number = Int(hostPort[hostPort.index(after: colon)...]) {
            port = number
            hostPort = hostPort[..<colon]
        }
        guard !database.isEmpty else { return nil }
        self.init(host: hostPort.isEmpty ? nil : String(hostPort), port: port, user: user, database: database)
    }

    /// `postgres://user@host:port/database`, without the password.
    public func describe(scheme: String) -> String {
        let user = self.user.map { "\($0)@" } ?? ""
        return "\(scheme)://\(user)\(host ?? "localhost")\(port.map { ":\($0)" } ?? "")/\(database)"
    }

    /// `--host H --port P --user U` in the spelling of the tools (`--username` for PostgreSQL's).
    public func options(userFlag: String) -> [String] {
        var options: [String] = []
        if let host, !host.isEmpty { options += ["--host=\(host)"] }
        if let port { options += ["--port=\(port)"] }
        if let user, !user.isEmpty { options += ["\(userFlag)=\(user)"] }
        return options
    }
}

/// The dump and restore commands of the database modes. Credentials travel in files readable only by Keepwatch:
/// a pgpass file named by `PGPASSFILE` for PostgreSQL, a `--defaults-extra-file` for MariaDB and MySQL.
public enum DatabaseCommands {
    /// `pg_dump` in custom format, uncompressed (zstd compresses the stream), to standard output.
    public static func postgresDump(_ connection: DatabaseConnection) -> [String] {
        ["--format=custom", "--compress=0", "--no-password"] + connection.options(userFlag: "--username") + ["--dbname=\(connection.database)"]
    }

    /// `pg_restore` from standard input into the database: objects are dropped and recreated, in one transaction.
    public static func postgresRestore(_ connection: DatabaseConnection) -> [String] {
        ["--no-password", "--clean", "--if-exists", "--no-owner", "--exit-on-error", "--single-transaction"]
            + connection.options(userFlag: "--username") + ["--dbname=\(connection.database)"]
    }

    /// One pgpass line that matches any server: `*:*:*:*:password`, with `\\` and `:` escaped.
    public static func pgpass(password: String) -> String {
        "*:*:*:*:" + escaped(password, ["\\", ":"]) + "\n"
    }

    /// `mariadb-dump` (or `mysqldump`): a consistent snapshot in one transaction, with routines, triggers and events.
    /// The database is named without `--databases`, so the dump holds no `CREATE DATABASE` or `USE` and restores into
    /// whichever database the restore names.
    public static func mysqlDump(_ connection: DatabaseConnection, defaultsFile: String) -> [String] {
        ["--defaults-extra-file=\(defaultsFile)", "--single-transaction", "--quick", "--routines", "--triggers", "--events",
         "--hex-blob"] + connection.options(userFlag: "--user") + ["--", connection.database]
    }

    /// `mariadb` (or `mysql`) reading the dump from standard input into the named database.
    public static func mysqlRestore(_ connection: DatabaseConnection, defaultsFile: String) -> [String] {
        ["--defaults-extra-file=\(defaultsFile)", "--batch"] + connection.options(userFlag: "--user") + ["--database=\(connection.database)"]
    }

    /// `text` with a backslash before each of `characters`.
    static func escaped(_ text: String, _ characters: Set<Character>) -> String {
        var out = ""
        for character in text {
            if characters.contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// A `[client]` option file; values are double-quoted with `\\` and `"` escaped.
    public static func mysqlDefaults(password: String?) -> String {
        guard let password else { return "[client]\n" }
        return "[client]\npassword=\"\(escaped(password, ["\\", "\""]))\"\n"
    }
}
