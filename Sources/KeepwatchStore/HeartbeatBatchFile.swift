import Foundation
import KeepwatchCore
import VaporCSQLite

/// The heartbeat writer's own connection to the store's SQLite file: synchronous, with its statements prepared
/// once. A burst of pings is one transaction of a few bound statements, written on the writer's thread without a
/// hop through a thread pool per statement (half of a ping's cost went there: BENCHMARKS.md).
///
/// `@unchecked Sendable`: it is handed to the writer's thread when that starts and used by that thread alone.
public final class HeartbeatBatchFile: HeartbeatBatchSink, @unchecked Sendable {
    private var handle: OpaquePointer?
    private var statements: [Statement: OpaquePointer] = [:]

    enum Statement: String, CaseIterable {
        case begin = "BEGIN IMMEDIATE"
        case commit = "COMMIT"
        case rollback = "ROLLBACK"
        case deleteCheck = "DELETE FROM heartbeat_checks WHERE uuid = ?1"
        case deletePings = "DELETE FROM heartbeat_pings WHERE uuid = ?1"
        case deleteFlips = "DELETE FROM heartbeat_flips WHERE uuid = ?1"
        case saveCheck = """
            INSERT INTO heartbeat_checks (uuid, slug, document, updated_at) VALUES (?1, ?2, ?3, ?4) \
            ON CONFLICT (uuid) DO UPDATE SET slug = excluded.slug, document = excluded.document, updated_at = excluded.updated_at
            """
        case savePing = """
            INSERT INTO heartbeat_pings (uuid, n, created, document) VALUES (?1, ?2, ?3, ?4) \
            ON CONFLICT (uuid, n) DO UPDATE SET created = excluded.created, document = excluded.document
            """
        case saveFlip = "INSERT INTO heartbeat_flips (uuid, created, old, new, reason) VALUES (?1, ?2, ?3, ?4, ?5)"
        case prune = "DELETE FROM heartbeat_pings WHERE uuid = ?1 AND n <= ?2"
    }

    /// Opens the file (it must exist and be migrated) with the store's settings.
    public init(path: String) throws {
        guard sqlite_nio_sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK else {
            let message = failure("opening \(path)")
            sqlite_nio_sqlite3_close_v2(handle)
            throw message
        }
        sqlite_nio_sqlite3_busy_timeout(handle, 5000)
        for pragma in ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL"] {
            guard sqlite_nio_sqlite3_exec(handle, pragma, nil, nil, nil) == SQLITE_OK else { throw failure(pragma) }
        }
        for statement in Statement.allCases {
            var prepared: OpaquePointer?
            guard sqlite_nio_sqlite3_prepare_v2(handle, statement.rawValue, -1, &prepared, nil) == SQLITE_OK, let prepared else {
                throw failure("preparing \(statement)")
            }
            statements[statement] = prepared
        }
    }

    deinit { close() }

    public func close() {
        for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
        statements = [:]
        if let handle { sqlite_nio_sqlite3_close_v2(handle) }
        handle = nil
    }

    /// Everything in `batch`, in one transaction: all of it is stored, or none of it.
    public func save(_ batch: HeartbeatBatch) throws {
        guard !batch.isEmpty else { return }
        try run(.begin, [])
        do {
            try write(batch, now: Int64(Date().timeIntervalSince1970))
            try run(.commit, [])
        } catch {
            try? run(.rollback, [])
            throw error
        }
    }

    private func write(_ batch: HeartbeatBatch, now: Int64) throws {
        for uuid in batch.deleted {
            for statement in [Statement.deleteCheck, .deletePings, .deleteFlips] { try run(statement, [.text(uuid)]) }
        }
        // The newest state of each check, when a batch holds several; nothing of a check the batch removes.
        let gone = Set(batch.deleted)
        var latest: [String: (check: HeartbeatCheck, badgeKey: String)] = [:]
        for entry in batch.checks where !gone.contains(entry.check.uuid) { latest[entry.check.uuid] = entry }
        for entry in latest.values {
            let document = JSONWriter.text(HeartbeatDocuments.stored(entry.check, badgeKey: entry.badgeKey))
            try run(.saveCheck, [.text(entry.check.uuid), .text(entry.check.slug), .text(document), .integer(now)])
        }
        for entry in batch.pings where !gone.contains(entry.uuid) {
            try run(.savePing, [.text(entry.uuid), .integer(entry.ping.number), .integer(entry.ping.created),
                                .text(SQLStore.pingText(entry.ping))])
        }
        for entry in batch.flips where !gone.contains(entry.uuid) {
            try run(.saveFlip, [.text(entry.uuid), .integer(entry.flip.created), .text(entry.flip.old), .text(entry.flip.new),
                                .text(entry.flip.reason)])
        }
        // One bound per check (the highest): a burst of pings on one check costs one DELETE, not one per ping.
        var prune: [String: Int64] = [:]
        for entry in batch.prune where !gone.contains(entry.uuid) { prune[entry.uuid] = max(prune[entry.uuid] ?? entry.upTo, entry.upTo) }
        for (uuid, upTo) in prune { try run(.prune, [.text(uuid), .integer(upTo)]) }
    }

    enum Value {
        case text(String)
        case integer(Int64)
    }

    private func run(_ statement: Statement, _ values: [Value]) throws {
        guard let prepared = statements[statement] else { throw StoreError.failed("the heartbeat file is closed") }
        defer {
            sqlite_nio_sqlite3_reset(prepared)
            sqlite_nio_sqlite3_clear_bindings(prepared)
        }
        for (index, value) in values.enumerated() {
            let position = Int32(index + 1)
            let status: Int32
            switch value {
            case .text(let text): status = sqlite_nio_sqlite3_bind_text(prepared, position, text, -1, Self.transient)
            case .integer(let number): status = sqlite_nio_sqlite3_bind_int64(prepared, position, number)
            }
            guard status == SQLITE_OK else { throw failure("binding \(statement)") }
        }
        guard sqlite_nio_sqlite3_step(prepared) == SQLITE_DONE else { throw failure("running \(statement)") }
    }

    /// SQLite copies a bound text before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private func failure(_ doing: String) -> StoreError {
        let message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "out of memory"
        return StoreError.failed("SQLite, \(doing): \(message)")
    }
}
