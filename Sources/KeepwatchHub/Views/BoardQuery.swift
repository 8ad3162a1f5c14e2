import KeepwatchCore

/// What the overview asks of the board: filters (each empty one passes all), a search, a page.
public struct BoardQuery: Sendable, Equatable {
    public var source = ""
    public var kind = ""
    public var state = ""
    public var tag = ""
    public var search = ""
    public var page = 1
    public var perPage = 100

    public init() {}

    public static let maximumPerPage = 1000
}

/// One source as the overview lists it: how it answers and how its targets are.
public struct BoardSource: Sendable {
    public let xid: String
    public let name: String
    public let kind: SourceDefinition.Kind
    public let url: String
    public let status: SourceState.Status
    public let statusMessage: String
    public let lastUpdated: Int64?
    public let lastSeen: Int64?
    public let counts: [BoardState: Int]
    public let worst: BoardState?
}

/// The overview's answer: counts by state over every target the filters other than `state` pass, the page of
/// targets worst first, and the sources worst first.
public struct BoardPage: Sendable {
    public let counts: [BoardState: Int]
    public let total: Int
    public let targets: [(target: BoardTarget, state: BoardState)]
    public let sources: [BoardSource]
    public let sourceNames: [(xid: String, name: String)]
    public let tags: [String]
    public let page: Int
    public let pages: Int

    public static func of(_ states: [SourceState], query: BoardQuery) -> BoardPage {
        let all = TargetBoard.all(states)
        let search = query.search.lowercased()
        var tally = [Int](repeating: 0, count: BoardState.allCases.count)
        // One bucket per state, worst first; each keeps source order, then name and id (no sort, so a page never
        // reshuffles between two reads and 10,000 targets cost one pass).
        var buckets = [[(target: BoardTarget, state: BoardState)]](repeating: [], count: BoardState.allCases.count)
        var tags = Set<String>()
        for entry in all {
            tags.formUnion(entry.target.tags)
            guard passes(entry.target, query, search: search) else { continue }
            tally[entry.state.rank] += 1
            if query.state.isEmpty || entry.state.rawValue == query.state { buckets[entry.state.rank].append(entry) }
        }
        let matching = buckets.flatMap { $0 }
        var counts: [BoardState: Int] = [:]
        for state in BoardState.allCases where tally[state.rank] > 0 { counts[state] = tally[state.rank] }
        let perPage = min(max(query.perPage, 1), BoardQuery.maximumPerPage)
        let pages = max(1, (matching.count + perPage - 1) / perPage)
        let page = min(max(query.page, 1), pages)
        let slice = matching.dropFirst((page - 1) * perPage).prefix(perPage)
        return BoardPage(counts: counts, total: matching.count, targets: Array(slice), sources: sources(states, all),
                         sourceNames: states.map { ($0.xid, $0.definition.name) }, tags: tags.sorted(), page: page, pages: pages)
    }

    static func passes(_ target: BoardTarget, _ query: BoardQuery, search: String) -> Bool {
        if !query.source.isEmpty && target.sourceXID != query.source && target.sourceName != query.source { return false }
        if !query.kind.isEmpty && target.kind.rawValue != query.kind { return false }
        if !query.tag.isEmpty && !target.tags.contains(query.tag) { return false }
        if !search.isEmpty && !target.searchText.contains(search) { return false }
        return true
    }

    static func sources(_ states: [SourceState], _ all: [(target: BoardTarget, state: BoardState)]) -> [BoardSource] {
        var countsBySource: [String: [BoardState: Int]] = [:]
        for entry in all { countsBySource[entry.target.sourceXID, default: [:]][entry.state, default: 0] += 1 }
        let listed = states.enumerated().map { order, state in
            let counts = countsBySource[state.xid] ?? [:]
            return (order, BoardSource(xid: state.xid, name: state.definition.name, kind: state.definition.kind, url: state.definition.url,
                                       status: state.status, statusMessage: state.statusMessage, lastUpdated: state.lastUpdated,
                                       lastSeen: state.lastSeen, counts: counts, worst: counts.keys.min()))
        }
        // A source that does not answer comes first, then by its worst target, then in source order.
        return listed.sorted { a, b in
            let aDown = a.1.status != .ok, bDown = b.1.status != .ok
            if aDown != bDown { return aDown }
            let aWorst = a.1.worst?.rank ?? BoardState.allCases.count, bWorst = b.1.worst?.rank ?? BoardState.allCases.count
            if aWorst != bWorst { return aWorst < bWorst }
            return a.0 < b.0
        }.map(\.1)
    }
}
