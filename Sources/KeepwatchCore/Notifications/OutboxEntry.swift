/// One message on its way to one channel, as the store keeps it: the events it carries, when it is next tried,
/// how often it was, and how it ended. Events join an entry while its group is open (`groupUntil`); it is sent
/// once due, retried with backoff until it is `maximumAge` old, then marked failed with the last error.
public struct OutboxEntry: Sendable, Equatable {
    public enum State: String, Sendable {
        case queued, sent, failed
    }

    public var id: Int64
    public var channel: String
    public var events: [NotificationEvent]
    public var reminder: Bool
    public var state: State
    /// Unix seconds.
    public var createdAt: Int64
    public var groupUntil: Int64
    public var dueAt: Int64
    public var attempts: Int
    public var lastError: String?
    public var lastAttemptAt: Int64?
    public var sentAt: Int64?
    /// Why it waits past its group window, when it does (`quiet hours`, `silenced until …`).
    public var held: String?

    public init(id: Int64 = 0, channel: String, events: [NotificationEvent], reminder: Bool = false, state: State = .queued, createdAt: Int64,
                groupUntil: Int64, dueAt: Int64, attempts: Int = 0, lastError: String? = nil, lastAttemptAt: Int64? = nil, sentAt: Int64? = nil,
                held: String? = nil) {
        self.id = id
        self.channel = channel
        self.events = events
        self.reminder = reminder
        self.state = state
        self.createdAt = createdAt
        self.groupUntil = groupUntil
        self.dueAt = dueAt
        self.attempts = attempts
        self.lastError = lastError
        self.lastAttemptAt = lastAttemptAt
        self.sentAt = sentAt
        self.held = held
    }

    /// Seconds before the next try after `attempts` failed ones: 1, 2, 4, … up to 10 minutes.
    public static func backoff(afterAttempts attempts: Int) -> Int64 {
        let exponent = min(max(attempts - 1, 0), 10)
        return min(Int64(1) << exponent, 600)
    }

    /// What a failed try makes of the entry: tried again later, or failed for good once too old.
    public mutating func recordFailure(_ error: String, at now: Int64, maximumAge: Int64) {
        attempts += 1
        lastAttemptAt = now
        lastError = error
        if now - createdAt >= maximumAge {
            state = .failed
        } else {
            dueAt = now + Self.backoff(afterAttempts: attempts)
        }
    }

    public mutating func recordSuccess(at now: Int64) {
        attempts += 1
        lastAttemptAt = now
        sentAt = now
        state = .sent
        held = nil
    }

    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "id": .number(Double(id)), "channel": .string(channel), "state": .string(state.rawValue), "reminder": .bool(reminder),
            "events": .array(events.map(\.json)), "created_at": .number(Double(createdAt)), "due_at": .number(Double(dueAt)),
            "attempts": .number(Double(attempts)),
        ]
        if let lastError { object["last_error"] = .string(lastError) }
        if let lastAttemptAt { object["last_attempt_at"] = .number(Double(lastAttemptAt)) }
        if let sentAt { object["sent_at"] = .number(Double(sentAt)) }
        if let held { object["held"] = .string(held) }
        return .object(object)
    }
}
