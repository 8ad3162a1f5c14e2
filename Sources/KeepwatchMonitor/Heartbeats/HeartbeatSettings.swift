/// How heartbeat pings are taken: the body kept per ping, how many checks may exist, how many pings each keeps,
/// and the per-check rate above which pings are refused (429) without touching the store.
public struct HeartbeatSettings: Sendable {
    public var bodyLimit: Int
    public var maximumChecks: Int
    public var pingsKept: Int64
    /// A check takes `burst` pings at once and `perSecond` more each second.
    public var burst: Double
    public var perSecond: Double

    public init(bodyLimit: Int = 10_000, maximumChecks: Int = 100_000, pingsKept: Int64 = 100, burst: Double = 100, perSecond: Double = 20) {
        self.bodyLimit = bodyLimit
        self.maximumChecks = maximumChecks
        self.pingsKept = pingsKept
        self.burst = burst
        self.perSecond = perSecond
    }
}

/// A token bucket per check.
struct PingAllowance: Sendable {
    var tokens: Double
    var refilled: Int64

    init(settings: HeartbeatSettings, now: Int64) {
        tokens = settings.burst
        refilled = now
    }

    mutating func take(at now: Int64, settings: HeartbeatSettings) -> Bool {
        let elapsed = Double(max(0, now - refilled)) / 1_000_000
        tokens = min(settings.burst, tokens + elapsed * settings.perSecond)
        refilled = now
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
