/// The last fires' dispatch delays (milliseconds after their scheduled second), in a fixed-size ring.
public struct FireLagRecorder: Sendable {
    public static let capacity = 10_000
    private var samples: [Int64] = []
    private var next = 0

    public init() {}

    mutating func record(_ milliseconds: Int64) {
        if samples.count < Self.capacity {
            samples.append(milliseconds)
        } else {
            samples[next] = milliseconds
            next = (next + 1) % Self.capacity
        }
    }

    public var count: Int { samples.count }

    /// The `fraction` quantile (0…1) of the recorded delays, or nil before any fire.
    public func quantile(_ fraction: Double) -> Int64? {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        let index = min(sorted.count - 1, max(0, Int((Double(sorted.count) * fraction).rounded(.up)) - 1))
        return sorted[index]
    }
}
