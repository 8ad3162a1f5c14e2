/// Which level the next file-system backup takes and against which parent, by Freezer's rules
/// (`incremental`, `max_level`, `always_level`, `restart_always_level` in days).
public struct IncrementalPolicy: Hashable, Sendable {
    public var incremental: Bool
    public var maxLevel: Int?
    public var alwaysLevel: Int?
    public var restartAlwaysLevelDays: Double?

    public init(incremental: Bool, maxLevel: Int? = nil, alwaysLevel: Int? = nil, restartAlwaysLevelDays: Double? = nil) {
        self.incremental = incremental
        self.maxLevel = maxLevel
        self.alwaysLevel = alwaysLevel
        self.restartAlwaysLevelDays = restartAlwaysLevelDays
    }

    public init(action: FreezerAction) {
        self.init(incremental: action.bool("incremental") ?? false, maxLevel: action.int("max_level").flatMap { $0 > 0 ? $0 : nil },
                  alwaysLevel: action.int("always_level").flatMap { $0 > 0 ? $0 : nil },
                  restartAlwaysLevelDays: action.double("restart_always_level").flatMap { $0 > 0 ? $0 : nil })
    }

    public struct Plan: Hashable, Sendable {
        public var level: Int
        public var parent: BackupManifest?
    }

    /// The plan for a backup at `now` (Unix seconds), given every earlier backup of the same name.
    /// A new chain starts when there is none, when the latest one reached `max_level` or went past `always_level`,
    /// or when its level-0 backup is older than `restart_always_level` days. At `always_level` the level is taken
    /// again against the level below it (a differential); otherwise the next level is taken against the highest.
    public func plan(previous backups: [BackupManifest], now: Int64) -> Plan {
        guard incremental, let newest = backups.max(by: { ($0.startedAt, $0.backupID) < ($1.startedAt, $1.backupID) }) else {
            return Plan(level: 0, parent: nil)
        }
        let chain = backups.filter { $0.chain == newest.chain && $0.snapshotFile != nil }
        guard let root = chain.first(where: { $0.level == 0 }),
              let top = chain.max(by: { ($0.level, $0.startedAt) < ($1.level, $1.startedAt) }) else { return Plan(level: 0, parent: nil) }
        if let maxLevel, top.level >= maxLevel { return Plan(level: 0, parent: nil) }
        if let alwaysLevel, top.level > alwaysLevel { return Plan(level: 0, parent: nil) }
        if let days = restartAlwaysLevelDays, Double(now - root.startedAt) > days * 86_400 { return Plan(level: 0, parent: nil) }
        if let alwaysLevel, top.level == alwaysLevel {
            let below = chain.filter { $0.level == alwaysLevel - 1 }.max { $0.startedAt < $1.startedAt }
            return Plan(level: alwaysLevel, parent: below ?? root)
        }
        return Plan(level: top.level + 1, parent: top)
    }
}
