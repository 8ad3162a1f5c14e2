/// A moment in time with one-second resolution: seconds since 1970-01-01T00:00:00Z.
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var secondsSince1970: Int64

    public init(secondsSince1970: Int64) {
        self.secondsSince1970 = secondsSince1970
    }

    public static func < (lhs: Instant, rhs: Instant) -> Bool {
        lhs.secondsSince1970 < rhs.secondsSince1970
    }

    public func adding(seconds: Int64) -> Instant {
        Instant(secondsSince1970: secondsSince1970 + seconds)
    }

    public var description: String { ISO8601.format(self, in: .utc) }
}
