import Foundation
import Synchronization

/// Failed logins per client address in a sliding window; once `limit` failures are inside the window,
/// further attempts from that address are refused (HTTP 429) until the oldest one leaves it.
public final class LoginThrottle: Sendable {
    public let limit: Int
    public let window: TimeInterval
    private let failures = Mutex<[String: [Date]]>([:])

    public init(limit: Int = 10, window: TimeInterval = 300) {
        self.limit = limit
        self.window = window
    }

    /// Seconds until `address` may try again, or nil when it may try now.
    public func retryAfter(_ address: String, now: Date = Date()) -> Int? {
        failures.withLock { table in
            let recent = (table[address] ?? []).filter { now.timeIntervalSince($0) < window }
            table[address] = recent.isEmpty ? nil : recent
            guard recent.count >= limit, let oldest = recent.first else { return nil }
            return max(1, Int((window - now.timeIntervalSince(oldest)).rounded(.up)))
        }
    }

    /// Past this many addresses, those with no failure left in the window are forgotten, so a spray from many
    /// addresses cannot grow the table without bound.
    static let pruneThreshold = 10_000

    public func recordFailure(_ address: String, now: Date = Date()) {
        failures.withLock { table in
            table[address, default: []].append(now)
            if table.count > Self.pruneThreshold {
                table = table.filter { _, times in times.last.map { now.timeIntervalSince($0) < window } ?? false }
            }
        }
    }

    public func clear(_ address: String) {
        _ = failures.withLock { $0.removeValue(forKey: address) }
    }
}
