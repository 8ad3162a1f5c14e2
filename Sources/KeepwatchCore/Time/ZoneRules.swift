/// The UTC offsets of one IANA time zone over time, as a sorted list of transitions.
///
/// Lookups are binary searches over immutable arrays: they neither allocate nor lock,
/// so schedules can ask for offsets on every `next` call.
public final class ZoneRules: Sendable, Hashable, CustomStringConvertible {
    public let identifier: String
    /// Instants (seconds since 1970 UTC) at which the offset changes, ascending.
    let transitions: [Int64]
    /// `offsets[i]` applies before `transitions[i]` and from `transitions[i-1]` on; one more than transitions.
    let offsets: [Int64]

    init(identifier: String, transitions: [Int64], offsets: [Int64]) {
        precondition(offsets.count == transitions.count + 1, "one offset per segment")
        self.identifier = identifier
        self.transitions = transitions
        self.offsets = offsets
    }

    public static let utc = ZoneRules(identifier: "UTC", transitions: [], offsets: [0])

    public static func fixed(identifier: String, offsetSeconds: Int64) -> ZoneRules {
        ZoneRules(identifier: identifier, transitions: [], offsets: [offsetSeconds])
    }

    public var description: String { identifier }

    public var hasTransitions: Bool { !transitions.isEmpty }

    public static func == (lhs: ZoneRules, rhs: ZoneRules) -> Bool { lhs.identifier == rhs.identifier }
    public func hash(into hasher: inout Hasher) { hasher.combine(identifier) }

    /// The UTC offset in seconds in effect at `instant`.
    public func offset(at instant: Int64) -> Int64 {
        offsets[segmentIndex(containing: instant)]
    }

    /// Offset in effect at `instant` and the instant the next transition happens (if any).
    public func segment(containing instant: Int64) -> (offset: Int64, end: Int64?) {
        let index = segmentIndex(containing: instant)
        return (offsets[index], index < transitions.count ? transitions[index] : nil)
    }

    /// Number of transitions at or before `instant`, which is the index of its segment.
    func segmentIndex(containing instant: Int64) -> Int {
        var low = 0
        var high = transitions.count
        while low < high {
            let mid = (low + high) >> 1
            if transitions[mid] <= instant { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// How a wall-clock time maps onto real instants in this zone.
    public enum LocalResolution: Equatable, Sendable {
        /// The wall-clock time happens once.
        case unique(Int64)
        /// It happens twice (the fall-back hour): both instants, earlier first.
        case repeated(Int64, Int64)
        /// It never happens (the spring-forward gap): the instant of the jump and the offset after it.
        case skipped(transition: Int64, offsetAfter: Int64)
    }

    /// Resolves a wall-clock time given as local seconds (see `LocalDateTime.localSeconds`).
    public func resolve(localSeconds local: Int64) -> LocalResolution {
        if transitions.isEmpty { return .unique(local - offsets[0]) }
        let window: Int64 = 2 * CivilCalendar.secondsPerDay
        var index = segmentIndex(containing: local - window)
        var first: Int64?
        var second: Int64?
        while true {
            let start = index == 0 ? Int64.min : transitions[index - 1]
            let end = index < transitions.count ? transitions[index] : Int64.max
            let candidate = local - offsets[index]
            if candidate >= start && candidate < end {
                if first == nil { first = candidate } else if second == nil { second = candidate }
            }
            if index >= transitions.count || end > local + window { break }
            index += 1
        }
        if let first {
            if let second { return .repeated(first, second) }
            return .unique(first)
        }
        return gapTransition(containing: local)
    }

    private func gapTransition(containing local: Int64) -> LocalResolution {
        var index = segmentIndex(containing: local - 2 * CivilCalendar.secondsPerDay)
        while index < transitions.count {
            let transition = transitions[index]
            let before = offsets[index]
            let after = offsets[index + 1]
            if local >= transition + before && local < transition + after {
                return .skipped(transition: transition, offsetAfter: after)
            }
            index += 1
        }
        // Unreachable for consistent tables; fall back to the latest offset.
        return .unique(local - offsets[offsets.count - 1])
    }

    /// The instant a wall-clock time names under cron's fixed-time rule: the first of a repeated time,
    /// and for a skipped time the first whole minute after the jump.
    public func firstInstant(localSeconds local: Int64) -> Int64 {
        switch resolve(localSeconds: local) {
        case .unique(let instant), .repeated(let instant, _):
            return instant
        case .skipped(let transition, let offsetAfter):
            let gapEnd = transition + offsetAfter
            let minutesToSkip = (gapEnd - local + 59) / 60
            return local + minutesToSkip * 60 - offsetAfter
        }
    }
}
