import Foundation
import KeepwatchCore
import Logging
import NIOPosix
import SQLiteKit

/// Opens the embedded store: one SQLite file (`keepwatch.sqlite` in the data directory), WAL journal.
public enum SQLiteStore {
    public static func open(path: String, logger: Logger = Logger(label: "keepwatch.store")) async throws -> SQLStore {
        let connection = try await SQLiteConnection.open(
            storage: .file(path: path), threadPool: .singleton, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any()
        ).get()
        let database = connection.sql()
        for pragma in ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA busy_timeout = 5000"] {
            try await database.raw(SQLQueryString(pragma)).run()
        }
        let store = SQLStore(database: database) { try await connection.close() }
        try await store.migrate()
        return store
    }
}
