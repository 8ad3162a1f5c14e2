import KeepwatchCore

/// The `/proxy/*/list` replies, read from the index: filtered, sorted and paged by `ListQuery` with each list's
/// schema, written by joining the items' stored JSON. `last_updated` is keyed by source URL, as cmon-proxy's is.
public enum HubLists {
    public enum Kind: String, Sendable, CaseIterable {
        case clusters, missingSchedules, hosts, alarms, jobs, backups, schedules
    }

    public static func reply(_ kind: Kind, request: ListRequest, withHosts: Bool = false, states: [SourceState]) -> String {
        let filtersSources = request.filters.contains { ["xid", "controller_id", "controller_url"].contains($0.key) }
        let sources = filtersSources ? states.filter { passesSourceFilters($0.ref, request.filters) } : states
        let items: [String]
        let total: Int
        func segments<Item>(_ items: (SourceSnapshot) -> [Item]) -> [ListSegment<Item>] {
            sources.map { ListSegment(items: items($0.snapshot), columns: $0.columns.columns(kind)) }
        }
        switch kind {
        case .clusters:
            let page = ListQuery.apply(request, to: segments(\.clusters), schema: HubSchemas.clusters)
            (items, total) = (page.items.map { withHosts ? $0.textWithHosts : $0.text }, page.total)
        case .missingSchedules:
            let page = ListQuery.apply(request, to: segments { $0.clusters.filter { $0.scheduleCount == 0 } }, schema: HubSchemas.clusters)
            (items, total) = (page.items.map { withHosts ? $0.textWithHosts : $0.text }, page.total)
        case .hosts:
            let page = ListQuery.apply(request, to: segments(\.hosts), schema: HubSchemas.hosts)
            (items, total) = (page.items.map(\.text), page.total)
        case .alarms:
            let page = ListQuery.apply(request, to: segments(\.alarms), schema: HubSchemas.alarms)
            (items, total) = (page.items.map(\.text), page.total)
        case .jobs:
            let page = ListQuery.apply(request, to: segments(\.jobs), schema: HubSchemas.jobs)
            (items, total) = (page.items.map(\.text), page.total)
        case .schedules:
            let page = ListQuery.apply(request, to: segments(\.schedules), schema: HubSchemas.schedules)
            (items, total) = (page.items.map(\.text), page.total)
        case .backups:
            let page = ListQuery.apply(request, to: segments(\.backups), schema: HubSchemas.backups)
            (items, total) = (page.items.map(\.text), page.total)
        }
        var text = "{\"" + listKey(kind) + "\":["
        text.reserveCapacity(items.reduce(64) { $0 + $1.utf8.count + 1 })
        for (index, item) in items.enumerated() {
            if index > 0 { text += "," }
            text += item
        }
        text += "],\"last_updated\":" + JSONWriter.text(.object(lastUpdated(kind, sources)))
        if request.perPage > 0 {
            text += ",\"page\":\(max(request.page, 1)),\"perPage\":\(request.perPage)"
        }
        if total > 0 { text += ",\"total\":\(total)" }
        return text + "}"
    }

    static func listKey(_ kind: Kind) -> String {
        switch kind {
        case .clusters, .missingSchedules: return "clusters"
        case .hosts: return "hosts"
        case .alarms: return "alarms"
        case .jobs, .schedules: return "jobs"
        case .backups: return "backups"
        }
    }

    static func lastUpdated(_ kind: Kind, _ sources: [SourceState]) -> [String: JSONValue] {
        var stamps: [String: JSONValue] = [:]
        for source in sources {
            let snapshot = source.snapshot
            switch kind {
            case .clusters, .missingSchedules, .hosts, .alarms: stamps[source.definition.url] = .string(snapshot.clustersUpdated)
            case .jobs, .schedules: stamps[source.definition.url] = .string(snapshot.jobsUpdated)
            case .backups: stamps[source.definition.url] = .string(snapshot.backupsUpdated)
            }
        }
        return stamps
    }

    /// The source-level filters (`xid`, `controller_id`, `controller_url`): a source they exclude is not listed in
    /// `last_updated` either.
    static func passesSourceFilters(_ ref: SourceRef, _ filters: [ListFilter]) -> Bool {
        for (key, value) in [("xid", ref.xid), ("controller_id", ref.controllerID), ("controller_url", ref.url)] {
            guard let filter = filters.first(where: { $0.key == key }) else { continue }
            if !filter.passes(value) { return false }
        }
        return true
    }
}
