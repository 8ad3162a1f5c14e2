/// A failure a channel was told about and not yet told is over: what reminders (`repeat_every`) repeat until the
/// recovery comes. `key` names the target across events (`job:nightly@local`).
public struct OpenProblem: Sendable, Equatable {
    public var channel: String
    public var key: String
    public var event: NotificationEvent
    public var lastNotified: Int64

    public init(channel: String, key: String, event: NotificationEvent, lastNotified: Int64) {
        self.channel = channel
        self.key = key
        self.event = event
        self.lastNotified = lastNotified
    }

    /// The same target's failures and recoveries share a key.
    public static func key(_ event: NotificationEvent) -> String {
        "\(event.targetKind.rawValue):\(event.target)@\(event.source)"
    }
}
