import Foundation
import Synchronization

/// Failed sign-ins in a sliding window, counted per username at one address, per address and per username.
/// An attempt reserves its place before the password is checked, so parallel attempts count as they start, not as
/// they fail; once a bucket is full, further attempts are refused (HTTP 429) until its oldest entry leaves the window.
/// A successful sign-in frees only its own user's bucket at that address: it never clears failures against others.
public final class LoginThrottle: Sendable {
    /// Failures per username from one address (what an attacker guessing one account from one place gets).
    public let limit: Int
    /// Failures per address over all usernames, and per username over all addresses.
    public let wideLimit: Int
    public let window: TimeInterval
    private let table = Mutex(Table())

    struct Table {
        var buckets: [String: [Entry]] = [:]
        var nextID: UInt64 = 0
    }

    struct Entry {
        let id: UInt64
        let at: Date
    }

    /// A reserved attempt: settle it with `succeeded` or leave it as a failure.
    public struct Attempt: Sendable {
        let id: UInt64
        let keys: [String]
        let pairKey: String
    }

    public init(limit: Int = 10, wideLimit: Int = 50, window: TimeInterval = 300) {
        self.limit = limit
        self.wideLimit = wideLimit
        self.window = window
    }

    static func keys(address: String, username: String) -> (pair: String, address: String, user: String) {
        ("pair\u{0}\(address)\u{0}\(username)", "addr\u{0}\(address)", "user\u{0}\(username)")
    }

    /// Reserves an attempt, or returns the seconds to wait when a bucket is full.
    public func reserve(address: String, username: String, now: Date = Date()) -> Result<Attempt, Wait> {
        let keys = Self.keys(address: address, username: username)
        let limits = [(keys.pair, limit), (keys.address, wideLimit), (keys.user, wideLimit)]
        return table.withLock { table in
            var wait = 0
            for (key, limit) in limits {
                let recent = (table.buckets[key] ?? []).filter { now.timeIntervalSince($0.at) < window }
                table.buckets[key] = recent.isEmpty ? nil : recent
                if recent.count >= limit, let oldest = recent.first {
                    wait = max(wait, max(1, Int((window - now.timeIntervalSince(oldest.at)).rounded(.up))))
                }
            }
            if wait > 0 { return .failure(Wait(seconds: wait)) }
            table.nextID += 1
            let entry = Entry(id: table.nextID, at: now)
            for (key, _) in limits { table.buckets[key, default: []].append(entry) }
            if table.buckets.count > Self.pruneThreshold { prune(&table, now: now) }
            return .success(Attempt(id: entry.id, keys: limits.map(\.0), pairKey: keys.pair))
        }
    }

    public struct Wait: Error, Sendable {
        public let seconds: Int
    }

    /// The attempt signed in: its reservation is dropped and its own user's failures at that address are forgotten.
    public func succeeded(_ attempt: Attempt) {
        cancel(attempt)
        _ = table.withLock { $0.buckets.removeValue(forKey: attempt.pairKey) }
    }

    /// Seconds until `username` may try again from `address`, or nil when it may (for reporting only).
    public func retryAfter(address: String, username: String, now: Date = Date()) -> Int? {
        switch reserve(address: address, username: username, now: now) {
        case .failure(let wait): return wait.seconds
        case .success(let attempt):
            cancel(attempt)
            return nil
        }
    }

    /// Drops a reservation without counting it (an attempt that never reached the password check).
    public func cancel(_ attempt: Attempt) {
        table.withLock { table in
            for key in attempt.keys {
                table.buckets[key]?.removeAll { $0.id == attempt.id }
                if table.buckets[key]?.isEmpty ?? false { table.buckets[key] = nil }
            }
        }
    }

    /// Past this many buckets, those with nothing left in the window are forgotten, so a spray from many
    /// addresses cannot grow the table without bound.
    static let pruneThreshold = 30_000

    private func prune(_ table: inout Table, now: Date) {
        table.buckets = table.buckets.filter { _, entries in entries.last.map { now.timeIntervalSince($0.at) < window } ?? false }
    }
}
