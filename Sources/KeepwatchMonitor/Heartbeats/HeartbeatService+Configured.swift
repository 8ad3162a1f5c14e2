import KeepwatchCore
import KeepwatchStore

extension HeartbeatService {
    static let configuredSetting = "configured_heartbeats"

    /// Brings the checks in line with keepwatch.yaml's heartbeat checks (at start and on SIGHUP): each is found by
    /// its `uuid`, else by the UUID it was given before (kept in the store by name), else made; the definitions
    /// become the file's; the checks the file defined before and no longer does are removed. States, pings and
    /// history stay. Returns what changed, for the log.
    @discardableResult
    public func applyConfigured(_ heartbeats: [ConfiguredHeartbeat]) async throws -> (made: [String], changed: [String], removed: [String]) {
        let before = try await Self.configuredIDs(in: store)
        var kept: [String: String] = [:]
        var outcome: (made: [String], changed: [String], removed: [String]) = ([], [], [])
        let now = Self.now()
        for heartbeat in heartbeats {
            let uuid = heartbeat.uuid ?? before[heartbeat.name] ?? Self.newUUID()
            var entry = entries[uuid] ?? Entry(check: HeartbeatCheck(uuid: uuid, createdAt: now), badgeKey: Self.newUUID(),
                                               rules: Self.rules(for: HeartbeatCheck(uuid: uuid, createdAt: now)), alertAfter: nil,
                                               allowance: PingAllowance(settings: settings, now: now))
            let old = entries[uuid]?.check
            heartbeat.apply(to: &entry.check)
            kept[heartbeat.name] = uuid
            guard entry.check != old else { continue }
            entry.rules = Self.rules(for: entry.check)
            _ = try await save(entry, flip: nil)
            if old == nil { outcome.made.append(heartbeat.name) } else { outcome.changed.append(heartbeat.name) }
        }
        let keptIDs = Set(kept.values)
        for (name, uuid) in before where !keptIDs.contains(uuid) && entries[uuid] != nil {
            remove(uuid)
            var batch = HeartbeatBatch()
            batch.deleted = [uuid]
            try await writer.wait(writer.submit(batch))
            outcome.removed.append(name)
        }
        configured = Dictionary(kept.map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        try await store.setSetting(Self.configuredSetting, JSONWriter.text(.object(kept.mapValues { .string($0) })))
        return outcome
    }

    /// Name → UUID of the checks keepwatch.yaml defined when it was last read.
    static func configuredIDs(in store: any HeartbeatStore) async throws -> [String: String] {
        guard let text = try await store.setting(configuredSetting),
              case .object(let fields)? = try? JSONParser.parse(bytes: Array(text.utf8)) else { return [:] }
        return fields.compactMapValues(\.stringValue)
    }

    /// Whether keepwatch.yaml defines the check.
    public func isConfigured(_ uuid: String) -> Bool { configured[uuid] != nil }
}
