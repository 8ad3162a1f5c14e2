import Synchronization

/// Bytes written so far by a long step, read by whoever reports progress.
public final class ProgressCounter: Sendable {
    private let bytes = Atomic<Int64>(0)

    public init() {}

    public var value: Int64 { bytes.load(ordering: .relaxed) }

    public func add(_ count: Int64) {
        bytes.add(count, ordering: .relaxed)
    }
}
