import Foundation
import KeepwatchCore
import SQLKit

extension SQLStore: NotificationStore {
    public func channels() async throws -> [ChannelDefinition] {
        try await database.raw("SELECT name, document FROM notification_channels ORDER BY name").all().map { row in
            let name = try row.decode(column: "name", as: String.self)
            var text = try row.decode(column: "document", as: String.self)
            if let sealer, SealedText.isSealed(text) { text = try sealer.open(text) }
            do {
                return try ChannelDefinition(json: try JSONParser.parse(bytes: Array(text.utf8)))
            } catch {
                throw StoreError.corrupt("channel \(name): \(error)")
            }
        }
    }

    public func saveChannel(_ channel: ChannelDefinition) async throws {
        let text = JSONWriter.text(channel.document)
        let stored = sealer.map { $0.seal(text) } ?? text
        try await database.raw("""
            INSERT INTO notification_channels (name, document, updated_at) VALUES (\(bind: channel.name), \(bind: stored), \(bind: Self.now()))
            ON CONFLICT (name) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at
            """).run()
    }

    public func deleteChannel(name: String) async throws -> Bool {
        guard try await database.raw("SELECT name FROM notification_channels WHERE name = \(bind: name)").first() != nil else { return false }
        try await database.raw("DELETE FROM notification_channels WHERE name = \(bind: name)").run()
        return true
    }

    public func insertOutbox(_ entry: OutboxEntry) async throws -> OutboxEntry {
        let row = try await database.raw("""
            INSERT INTO notification_outbox (channel, document, state, due_at, created_at)
            VALUES (\(bind: entry.channel), \(bind: Self.outboxText(entry)), \(bind: entry.state.rawValue), \(bind: entry.dueAt), \(bind: entry.createdAt))
            RETURNING id
            """).first()
        guard let id = try row?.decode(column: "id", as: Int64.self) else { throw StoreError.corrupt("the outbox gave no id") }
        var stored = entry
        stored.id = id
        return stored
    }

    public func updateOutbox(_ entry: OutboxEntry) async throws {
        try await database.raw("""
            UPDATE notification_outbox SET document = \(bind: Self.outboxText(entry)), state = \(bind: entry.state.rawValue),
                due_at = \(bind: entry.dueAt) WHERE id = \(bind: entry.id)
            """).run()
    }

    public func queuedOutbox() async throws -> [OutboxEntry] {
        try await database.raw("SELECT id, document FROM notification_outbox WHERE state = 'queued' ORDER BY id").all().map(Self.outboxEntry)
    }

    public func recentOutbox(limit: Int) async throws -> [OutboxEntry] {
        try await database.raw("SELECT id, document FROM notification_outbox ORDER BY id DESC LIMIT \(bind: limit)").all().map(Self.outboxEntry)
    }

    public func pruneOutbox(before: Int64) async throws {
        try await database.raw("DELETE FROM notification_outbox WHERE state <> 'queued' AND created_at < \(bind: before)").run()
    }

    static func outboxText(_ entry: OutboxEntry) -> String {
        guard case .object(var fields) = entry.json else { return "{}" }
        fields["group_until"] = .number(Double(entry.groupUntil))
        return JSONWriter.text(.object(fields))
    }

    static func outboxEntry(_ row: any SQLRow) throws -> OutboxEntry {
        let id = try row.decode(column: "id", as: Int64.self)
        let text = try row.decode(column: "document", as: String.self)
        guard case .object(let fields) = try JSONParser.parse(bytes: Array(text.utf8)) else { throw StoreError.corrupt("outbox entry \(id)") }
        func seconds(_ key: String) -> Int64? { if case .number(let value)? = fields[key] { Int64(exactly: value) } else { nil } }
        guard let channel = fields["channel"]?.stringValue, let state = fields["state"]?.stringValue.flatMap(OutboxEntry.State.init(rawValue:)),
              let created = seconds("created_at"), let due = seconds("due_at") else { throw StoreError.corrupt("outbox entry \(id)") }
        return OutboxEntry(id: id, channel: channel, events: fields["events"]?.arrayValue?.compactMap(NotificationEvent.init(json:)) ?? [],
                           reminder: fields["reminder"] == .bool(true), state: state, createdAt: created, groupUntil: seconds("group_until") ?? due,
                           dueAt: due, attempts: seconds("attempts").map { Int($0) } ?? 0, lastError: fields["last_error"]?.stringValue,
                           lastAttemptAt: seconds("last_attempt_at"), sentAt: seconds("sent_at"), held: fields["held"]?.stringValue)
    }

    public func silences() async throws -> [Silence] {
        try await database.raw("SELECT id, document FROM notification_silences ORDER BY id").all().map { row in
            let id = try row.decode(column: "id", as: String.self)
            let text = try row.decode(column: "document", as: String.self)
            guard case .object(let fields) = try JSONParser.parse(bytes: Array(text.utf8)),
                  let scope = fields["scope"]?.stringValue.flatMap(Silence.Scope.init(rawValue:)), let value = fields["value"]?.stringValue,
                  case .number(let until)? = fields["until"], let untilSeconds = Int64(exactly: until),
                  case .number(let created)? = fields["created_at"], let createdSeconds = Int64(exactly: created) else {
                throw StoreError.corrupt("silence \(id)")
            }
            return Silence(id: id, scope: scope, value: value, until: untilSeconds, reason: fields["reason"]?.stringValue ?? "",
                           createdBy: fields["created_by"]?.stringValue ?? "", createdAt: createdSeconds)
        }
    }

    public func saveSilence(_ silence: Silence) async throws {
        try await database.raw("""
            INSERT INTO notification_silences (id, document, until) VALUES (\(bind: silence.id), \(bind: JSONWriter.text(silence.json)), \(bind: silence.until))
            ON CONFLICT (id) DO UPDATE SET document = excluded.document, until = excluded.until
            """).run()
    }

    public func deleteSilence(id: String) async throws -> Bool {
        guard try await database.raw("SELECT id FROM notification_silences WHERE id = \(bind: id)").first() != nil else { return false }
        try await database.raw("DELETE FROM notification_silences WHERE id = \(bind: id)").run()
        return true
    }

    public func problems() async throws -> [OpenProblem] {
        try await database.raw("SELECT channel, problem_key, event, last_notified FROM notification_problems").all().compactMap { row in
            let text = try row.decode(column: "event", as: String.self)
            guard let event = NotificationEvent(json: try JSONParser.parse(bytes: Array(text.utf8))) else { return nil }
            return OpenProblem(channel: try row.decode(column: "channel", as: String.self), key: try row.decode(column: "problem_key", as: String.self),
                               event: event, lastNotified: try row.decode(column: "last_notified", as: Int64.self))
        }
    }

    public func saveProblem(_ problem: OpenProblem) async throws {
        try await database.raw("""
            INSERT INTO notification_problems (channel, problem_key, event, last_notified)
            VALUES (\(bind: problem.channel), \(bind: problem.key), \(bind: JSONWriter.text(problem.event.json)), \(bind: problem.lastNotified))
            ON CONFLICT (channel, problem_key) DO UPDATE SET event = excluded.event, last_notified = excluded.last_notified
            """).run()
    }

    public func deleteProblem(channel: String, key: String) async throws {
        try await database.raw("DELETE FROM notification_problems WHERE channel = \(bind: channel) AND problem_key = \(bind: key)").run()
    }
}
