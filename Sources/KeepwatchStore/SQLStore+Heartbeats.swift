import Foundation
import KeepwatchCore
import SQLKit

extension SQLStore: HeartbeatStore {
    public func heartbeatChecks() async throws -> [(check: HeartbeatCheck, badgeKey: String)] {
        try await database.raw("SELECT uuid, document FROM heartbeat_checks ORDER BY uuid").all().map { row in
            let text = try row.decode(column: "document", as: String.self)
            do {
                return try HeartbeatDocuments.check(stored: try JSONParser.parse(bytes: Array(text.utf8)))
            } catch {
                throw StoreError.corrupt("heartbeat check \(try row.decode(column: "uuid", as: String.self)): \(error)")
            }
        }
    }

    /// One transaction on the batch connection; callers send one batch at a time.
    public func saveHeartbeats(_ batch: HeartbeatBatch) async throws {
        guard !batch.isEmpty else { return }
        let db = batchDatabase
        try await db.raw("BEGIN IMMEDIATE").run()
        do {
            try await write(batch, on: db)
            try await db.raw("COMMIT").run()
        } catch {
            try? await db.raw("ROLLBACK").run()
            throw error
        }
    }

    private func write(_ batch: HeartbeatBatch, on db: any SQLDatabase) async throws {
        let now = Self.now()
        for uuid in batch.deleted {
            for table in ["heartbeat_checks", "heartbeat_pings", "heartbeat_flips"] {
                try await db.delete(from: table).where("uuid", .equal, uuid).run()
            }
        }
        // The newest state of each check, when a batch holds several; nothing of a check the batch removes.
        let gone = Set(batch.deleted)
        var latest: [String: (check: HeartbeatCheck, badgeKey: String)] = [:]
        for entry in batch.checks where !gone.contains(entry.check.uuid) { latest[entry.check.uuid] = entry }
        // Plain statements with binds: a burst of pings is written often, and SQLKit's builders cost more than the rows.
        for chunk in Array(latest.values).chunked(200) {
            let rows = chunk.map { entry -> SQLQueryString in
                let document = JSONWriter.text(HeartbeatDocuments.stored(entry.check, badgeKey: entry.badgeKey))
                return "(\(binds: [entry.check.uuid, entry.check.slug, document, now]))"
            }
            try await db.raw("INSERT INTO heartbeat_checks (uuid, slug, document, updated_at) VALUES \(rows.joined(separator: ", ")) "
                + "ON CONFLICT (uuid) DO UPDATE SET slug = excluded.slug, document = excluded.document, updated_at = excluded.updated_at").run()
        }
        for chunk in batch.pings.filter({ !gone.contains($0.uuid) }).chunked(200) {
            let rows = chunk.map { entry -> SQLQueryString in
                "(\(binds: [entry.uuid, entry.ping.number, entry.ping.created, Self.pingText(entry.ping)]))"
            }
            try await db.raw("INSERT INTO heartbeat_pings (uuid, n, created, document) VALUES \(rows.joined(separator: ", ")) "
                + "ON CONFLICT (uuid, n) DO UPDATE SET created = excluded.created, document = excluded.document").run()
        }
        for chunk in batch.flips.filter({ !gone.contains($0.uuid) }).chunked(200) {
            let insert = db.insert(into: "heartbeat_flips").columns("uuid", "created", "old", "new", "reason")
            for entry in chunk {
                insert.values(SQLBind(entry.uuid), SQLBind(entry.flip.created), SQLBind(entry.flip.old), SQLBind(entry.flip.new),
                              SQLBind(entry.flip.reason))
            }
            try await insert.run()
        }
        // One bound per check (the highest), and one statement per 100 checks: a burst of pings on one check
        // costs one DELETE, not one per ping.
        var prune: [String: Int64] = [:]
        for entry in batch.prune where !gone.contains(entry.uuid) { prune[entry.uuid] = max(prune[entry.uuid] ?? entry.upTo, entry.upTo) }
        for chunk in prune.sorted(by: { $0.key < $1.key }).chunked(100) {
            let conditions = SQLList(chunk.map { SQLQueryString("(uuid = \(bind: $0.key) AND n <= \(bind: $0.value))") }, separator: SQLRaw(" OR "))
            try await db.raw("DELETE FROM heartbeat_pings WHERE \(conditions)").run()
        }
    }

    public func heartbeatPings(uuid: String, limit: Int) async throws -> [HeartbeatPing] {
        try await database.raw("SELECT n, created, document FROM heartbeat_pings WHERE uuid = \(bind: uuid) ORDER BY n DESC LIMIT \(bind: limit)")
            .all().map(Self.ping)
    }

    public func heartbeatPing(uuid: String, number: Int64) async throws -> HeartbeatPing? {
        try await database.raw("SELECT n, created, document FROM heartbeat_pings WHERE uuid = \(bind: uuid) AND n = \(bind: number)")
            .first().map(Self.ping)
    }

    public func heartbeatFlips(uuid: String, start: Int64?, end: Int64?) async throws -> [HeartbeatFlip] {
        let rows = try await database.raw("SELECT created, old, new, reason FROM heartbeat_flips WHERE uuid = \(bind: uuid) ORDER BY id DESC").all()
        return try rows.map { row in
            HeartbeatFlip(created: try row.decode(column: "created", as: Int64.self), old: try row.decode(column: "old", as: String.self),
                          new: try row.decode(column: "new", as: String.self), reason: try row.decode(column: "reason", as: String.self))
        }.filter { flip in (start.map { flip.created >= $0 } ?? true) && (end.map { flip.created < $0 } ?? true) }
    }

    static func pingText(_ ping: HeartbeatPing) -> String {
        var fields: [String: JSONValue] = [
            "kind": .string(ping.kind.rawValue), "scheme": .string(ping.scheme), "remote_addr": .string(ping.remoteAddress),
            "method": .string(ping.method), "ua": .string(ping.userAgent), "body": .string(Data(ping.body).base64EncodedString()),
        ]
        if let rid = ping.rid { fields["rid"] = .string(rid) }
        if let status = ping.exitStatus { fields["exit_status"] = .number(Double(status)) }
        return JSONWriter.text(.object(fields))
    }

    static func ping(_ row: any SQLRow) throws -> HeartbeatPing {
        let text = try row.decode(column: "document", as: String.self)
        guard case .object(let fields) = try JSONParser.parse(bytes: Array(text.utf8)) else { throw StoreError.corrupt("ping document") }
        func string(_ key: String) -> String? { if case .string(let value)? = fields[key] { return value } else { return nil } }
        let exit: Int? = if case .number(let value)? = fields["exit_status"] { Int(exactly: value) } else { nil }
        return HeartbeatPing(number: try row.decode(column: "n", as: Int64.self),
                             kind: string("kind").flatMap(HeartbeatPing.Kind.init(rawValue:)) ?? .success,
                             created: try row.decode(column: "created", as: Int64.self), scheme: string("scheme") ?? "http",
                             remoteAddress: string("remote_addr") ?? "", method: string("method") ?? "", userAgent: string("ua") ?? "",
                             rid: string("rid"), exitStatus: exit,
                             body: string("body").flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) } ?? [])
    }

    // MARK: API keys and settings

    public func insertMonitorAPIKey(_ key: MonitorAPIKey, secretHash: String) async throws {
        try await database.raw("""
            INSERT INTO monitor_api_keys (key_id, name, read_only, secret_hash, created_at, revoked_at)
            VALUES (\(bind: key.keyID), \(bind: key.name), \(bind: key.readOnly ? 1 : 0), \(bind: secretHash), \(bind: key.createdAt), \(bind: key.revokedAt))
            """).run()
    }

    public func monitorAPIKey(secretHash: String) async throws -> MonitorAPIKey? {
        try await database.raw("SELECT * FROM monitor_api_keys WHERE secret_hash = \(bind: secretHash)").first().map(Self.apiKey)
    }

    public func monitorAPIKeys() async throws -> [MonitorAPIKey] {
        try await database.raw("SELECT * FROM monitor_api_keys ORDER BY created_at, key_id").all().map(Self.apiKey)
    }

    public func revokeMonitorAPIKey(id: String, at: Int64) async throws -> Bool {
        guard try await database.raw("SELECT key_id FROM monitor_api_keys WHERE key_id = \(bind: id) AND revoked_at IS NULL").first() != nil else {
            return false
        }
        try await database.raw("UPDATE monitor_api_keys SET revoked_at = \(bind: at) WHERE key_id = \(bind: id)").run()
        return true
    }

    static func apiKey(_ row: any SQLRow) throws -> MonitorAPIKey {
        MonitorAPIKey(keyID: try row.decode(column: "key_id", as: String.self), name: try row.decode(column: "name", as: String.self),
                      readOnly: try row.decode(column: "read_only", as: Int.self) != 0,
                      createdAt: try row.decode(column: "created_at", as: Int64.self),
                      revokedAt: try row.decode(column: "revoked_at", as: Int64?.self))
    }

    public func setting(_ key: String) async throws -> String? {
        try await database.raw("SELECT value FROM node_settings WHERE key = \(bind: key)").first()?.decode(column: "value", as: String.self)
    }

    public func setSetting(_ key: String, _ value: String) async throws {
        try await database.raw("""
            INSERT INTO node_settings (key, value) VALUES (\(bind: key), \(bind: value))
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """).run()
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
