/// Which backups of one name an `admin` action removes: beyond the newest `keepLast` (mgob's retention),
/// older than `olderThanDays` (Freezer's `remove_older_than`), or made before `before` (`remove_before_date`).
/// A backup is removed when any given rule says so; the newest backup is never removed by age alone
/// when `keepLast` is unset, so that a stalled job cannot prune itself to nothing.
public struct RetentionRule: Hashable, Sendable {
    public var keepLast: Int?
    public var olderThanDays: Double?
    public var before: Instant?

    public init(keepLast: Int? = nil, olderThanDays: Double? = nil, before: Instant? = nil) {
        self.keepLast = keepLast
        self.olderThanDays = olderThanDays
        self.before = before
    }

    public init(action: FreezerAction) {
        self.init(keepLast: action.int("keep_last"), olderThanDays: action.double("remove_older_than"),
                  before: action.string("remove_before_date").flatMap { try? ISO8601.parse($0).instant(in: .utc) })
    }

    /// The indices (into `created`) of backups to remove, given each backup's creation time.
    public func expired(created: [Instant], now: Instant) -> [Int] {
        let newestFirst = created.indices.sorted { created[$0] > created[$1] }
        var remove: Set<Int> = []
        if let keepLast { remove.formUnion(newestFirst.dropFirst(keepLast)) }
        // Checked at submit; clamped here too, so that a document stored by an older version cannot trap.
        let ageLimit = olderThanDays.map { now.adding(seconds: -Int64(min(max($0, 0), ActionKeys.maximumDays) * 86_400)) }
        let candidates = keepLast == nil ? newestFirst.dropFirst() : newestFirst[...]
        for index in candidates {
            if let ageLimit, created[index] < ageLimit { remove.insert(index) }
            if let before, created[index] < before { remove.insert(index) }
        }
        return remove.sorted()
    }
}
