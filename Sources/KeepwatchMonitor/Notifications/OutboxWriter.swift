import KeepwatchCore
import KeepwatchStore

/// Queues an event from outside the node (`keepwatch restore`, `keepwatch backup verify`, which run in their own
/// process): each channel its routes choose gets a due entry in the outbox, which the running node finds and sends.
public enum OutboxWriter {
    @discardableResult
    public static func queue(_ event: NotificationEvent, routes: [NotificationRoute], configured: [ChannelDefinition],
                             store: any NotificationStore) async throws -> Int {
        let made = try await store.channels().filter { channel in !configured.contains { $0.name == channel.name } }
        let names = NotificationRoute.channels(for: event, routes: routes, existing: (configured + made).map(\.name))
        for name in names {
            _ = try await store.insertOutbox(OutboxEntry(channel: name, events: [event], createdAt: event.at, groupUntil: event.at, dueAt: event.at))
        }
        return names.count
    }
}
