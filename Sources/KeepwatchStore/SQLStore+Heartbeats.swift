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
    public func heartbeatBatchSink() throws -> any HeartbeatBatchSink {
        guard let path else { throw StoreError.failed("heartbeats are written to the store's SQLite file, and this store has none") }
        return try HeartbeatBatchFile(path: path)
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
