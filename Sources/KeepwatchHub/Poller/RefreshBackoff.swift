/// How long a source waits before its next refresh: its interval while it answers; after `n` failures in a row the
/// interval doubled `n - 1` times (at most 64 times, and at most 10 minutes unless the interval is longer), with
/// jitter that spreads retries over the second half of the wait so that sources that failed together do not retry
/// together.
enum RefreshBackoff {
    static func delay(interval: Int, failures: Int, random: Double) -> Double {
        guard failures > 0 else { return Double(interval) }
        let doubled = Double(interval) * Double(1 << min(failures - 1, 6))
        let capped = min(doubled, Double(max(interval, 600)))
        return capped / 2 + capped / 2 * min(max(random, 0), 1)
    }
}
