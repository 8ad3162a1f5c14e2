import KeepwatchCore

extension NodeConfigParser {
    /// `channels:` — each a mapping with a `name` and a `kind` (smtp, slack, webhook, command).
    func parseChannels(_ value: JSONValue, into config: inout NodeConfig) throws {
        guard case .array(let items) = value else { throw failure("channels", "must be a list (channels:, then - name: … lines)") }
        var seen: Set<String> = []
        for (index, item) in items.enumerated() {
            let channel: ChannelDefinition
            do {
                channel = try ChannelDefinition(json: item)
            } catch {
                throw failure("channels", "[\(index)].\(error.field) \(error.message)")
            }
            guard seen.insert(channel.name).inserted else { throw failure("channels", "[\(index)].name \(channel.name) is given twice") }
            config.channels.append(channel)
        }
    }

    /// `routes:` — which events go to which channels; every channel a route names must exist.
    func parseRoutes(_ value: JSONValue, into config: inout NodeConfig) throws {
        guard case .array(let items) = value else { throw failure("routes", "must be a list (routes:, then - events: … lines)") }
        for (index, item) in items.enumerated() {
            let route: NotificationRoute
            do {
                route = try NotificationRoute(json: item, field: "[\(index)]")
            } catch {
                throw failure("routes", "\(error.field) \(error.message)")
            }
            for name in route.channels ?? [] where !config.channels.contains(where: { $0.name == name }) {
                throw failure("routes", "[\(index)].channels names \(name), which is not a channel in channels:")
            }
            config.routes.append(route)
        }
    }
}
