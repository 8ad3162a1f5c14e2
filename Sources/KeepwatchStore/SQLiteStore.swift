import Foundation
import KeepwatchCore
import Logging
import NIOPosix
import SQLiteKit

/// Opens the embedded store: one SQLite file (`keepwatch.sqlite` in the data directory), WAL journal.
public enum SQLiteStore {
    /// Opens (or creates, mode 0600: SQLite gives its -wal and -shm files the same mode) the store at `path`.
    public static func open(path: String, sealer: (any SecretSealer)? = nil,
                            logger: Logger = Logger(label: "keepwatch.store")) async throws -> SQLStore {
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path + suffix)
        }
        func connect() async throws -> SQLiteConnection {
            let connection = try await SQLiteConnection.open(
                storage: .file(path: path), threadPool: .singleton, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any()
            ).get()
            for pragma in ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA busy_timeout = 5000"] {
                try await connection.sql().raw(SQLQueryString(pragma)).run()
            }
            return connection
        }
        let connection = try await connect()
        let store = SQLStore(database: connection.sql(), path: path, sealer: sealer) {
            try await connection.close()
        }
        try await store.migrate()
        return store
    }
}
