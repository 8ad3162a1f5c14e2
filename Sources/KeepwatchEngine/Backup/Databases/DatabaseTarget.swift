import Foundation
import KeepwatchCore

/// The database a `postgres` or `mysql` restore writes into, checked before anything is written: created when it
/// does not exist, refused when it holds tables unless the restore says `overwrite`.
enum DatabaseTarget {
    enum State: Equatable {
        case missing, empty, populated(tables: Int)
    }

    /// Makes sure the restore may write into the connection's database; says what it found and did.
    static func prepare(_ session: DatabaseSession, overwrite: Bool, say: @Sendable (String) -> Void) async throws {
        guard let connection = session.connection else { return }
        let target = connection.describe(scheme: session.mode)
        switch try await state(session, connection) {
        case .missing:
            try await create(session, connection)
            say("database \(connection.database) did not exist on \(target); created it")
        case .empty:
            say("database \(connection.database) exists and is empty")
        case .populated(let tables):
            guard overwrite else {
                throw ActionFailure("database \(connection.database) on \(target) already holds \(tables) table\(tables == 1 ? "" : "s"); "
                                    + "restore into another database, or replace its contents with --overwrite (overwrite: true in a job)")
            }
            say("replacing the \(tables) table\(tables == 1 ? "" : "s") of database \(connection.database) (overwrite)")
        }
    }

    static func state(_ session: DatabaseSession, _ connection: DatabaseConnection) async throws -> State {
        let name = literal(connection.database)
        switch session.mode {
        case "postgres":
            let exists = try await postgres(session, connection, database: nil, "SELECT count(*) FROM pg_database WHERE datname = \(name)")
            guard exists != "0" else { return .missing }
            let tables = try await postgres(session, connection, database: connection.database, """
                SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
                AND c.relkind IN ('r', 'v', 'm', 'S', 'f', 'p')
                """)
            return (Int(tables) ?? 0) == 0 ? .empty : .populated(tables: Int(tables) ?? 0)
        default:
            let exists = try await mysql(session, connection, "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = \(name)")
            guard exists != "0" else { return .missing }
            let tables = try await mysql(session, connection, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = \(name)")
            return (Int(tables) ?? 0) == 0 ? .empty : .populated(tables: Int(tables) ?? 0)
        }
    }

    static func create(_ session: DatabaseSession, _ connection: DatabaseConnection) async throws {
        if session.mode == "postgres" {
            _ = try await postgres(session, connection, database: nil, "CREATE DATABASE \(identifier(connection.database, quote: "\""))")
        } else {
            _ = try await mysql(session, connection, "CREATE DATABASE \(identifier(connection.database, quote: "`"))")
        }
    }

    /// One statement through psql; `database` nil connects to the maintenance database (`postgres`, else `template1`).
    static func postgres(_ session: DatabaseSession, _ connection: DatabaseConnection, database: String?, _ sql: String) async throws -> String {
        var lastError = ""
        for name in database.map({ [$0] }) ?? ["postgres", "template1"] {
            let arguments = ["--no-password", "--no-psqlrc", "--tuples-only", "--no-align", "--set=ON_ERROR_STOP=1"]
                + connection.options(userFlag: "--username") + ["--dbname=\(name)", "--command=\(sql)"]
            let result = try await ProcessRunner.check(try DatabaseSession.firstTool(["psql"]), arguments, environment: session.environment)
            if result.succeeded { return result.output }
            lastError = result.output
        }
        throw ActionFailure("cannot check the target database on \(connection.describe(scheme: "postgres")): \(lastError.prefix(300))")
    }

    static func mysql(_ session: DatabaseSession, _ connection: DatabaseConnection, _ sql: String) async throws -> String {
        let arguments = ["--defaults-extra-file=\(session.defaultsFile ?? "/dev/null")", "--batch", "--skip-column-names"]
            + connection.options(userFlag: "--user") + ["--execute=\(sql)"]
        let result = try await ProcessRunner.check(try DatabaseSession.firstTool(["mariadb", "mysql"]), arguments, environment: [:])
        guard result.succeeded else {
            throw ActionFailure("cannot check the target database on \(connection.describe(scheme: "mysql")): \(result.output.prefix(300))")
        }
        return result.output
    }

    /// A SQL string literal.
    static func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    /// A quoted identifier (`"name"` for PostgreSQL, `` `name` `` for MariaDB).
    static func identifier(_ text: String, quote: String) -> String { quote + text.replacingOccurrences(of: quote, with: quote + quote) + quote }
}
