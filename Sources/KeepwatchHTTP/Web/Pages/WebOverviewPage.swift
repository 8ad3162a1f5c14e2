import Hummingbird
import KeepwatchCore
import KeepwatchHub

/// `/`: the board of every source's targets, worst first, filtered by the URL.
extension WebPages {
    func overview(_ request: Request, _ context: KeepwatchRequestContext) async throws -> Response {
        let query = BoardQuery(request)
        let board = BoardPage.of(hub.index.states(), query: query)
        let frame = frame("Overview", section: "Overview", json: query.link(path: "/api/v1/overview"), request, context)
        return frame.render("overview", Self.overviewFields(board, query, now: Self.now))
    }

    static func overviewFields(_ board: BoardPage, _ query: BoardQuery, now: Int64) -> [String: Any] {
        let anyTargets = board.counts.values.contains { $0 > 0 }
        var fields: [String: Any] = [
            "search": query.search, "hasTargets": !board.targets.isEmpty, "totalText": WebFormat.grouped(board.total),
            "noSources": board.sources.count <= 1 && !anyTargets, "noMatch": !board.targets.isEmpty ? false : anyTargets || !query.isEmpty,
            "sourceCount": WebFormat.grouped(board.sources.count),
            "counts": BoardState.allCases.map { state -> [String: Any] in
                ["state": state.rawValue, "count": WebFormat.grouped(board.counts[state] ?? 0),
                 "href": query.link(["state": query.state == state.rawValue ? "" : state.rawValue, "page": ""]),
                 "current": query.state == state.rawValue]
            },
            "targets": board.targets.map { target(entry: $0, now: now) },
            "sources": board.sources.map { source($0, now: now) },
            "sourceOptions": board.sourceNames.map { ["value": $0.xid, "label": $0.name, "selected": query.source == $0.xid || query.source == $0.name] },
            "kindOptions": SourceDefinition.Kind.allCases.map { ["value": $0.rawValue, "label": $0.rawValue, "selected": query.kind == $0.rawValue] },
            "stateOptions": BoardState.allCases.map { ["value": $0.rawValue, "label": $0.rawValue, "selected": query.state == $0.rawValue] },
            "tagOptions": board.tags.map { ["value": $0, "label": $0, "selected": query.tag == $0] },
        ]
        if board.pages > 1 {
            var paging: [String: Any] = ["page": board.page, "pages": board.pages]
            if board.page > 1 { paging["previous"] = query.link(["page": String(board.page - 1)]) }
            if board.page < board.pages { paging["next"] = query.link(["page": String(board.page + 1)]) }
            fields["paging"] = paging
        }
        return fields
    }

    static func target(entry: (target: BoardTarget, state: BoardState), now: Int64) -> [String: Any] {
        let target = entry.target
        var fields: [String: Any] = [
            "state": entry.state.rawValue, "name": target.name, "type": target.type, "tags": target.tags,
            "source": target.sourceName, "kind": target.kind.rawValue, "detail": target.detail,
            "tooltip": "\(entry.state.rawValue): \(entry.state.meaning)",
        ]
        fields.put("lastGood", WebFormat.time(target.lastGood, now: now))
        if target.kind == .local { fields["href"] = "/jobs/" + target.name }
        return fields
    }

    static func source(_ source: BoardSource, now: Int64) -> [String: Any] {
        var fields: [String: Any] = [
            "xid": source.xid, "name": source.name, "kind": source.kind.rawValue, "status": source.status.rawValue,
            "dot": source.status == .ok ? "success" : "offline",
            "counts": BoardState.allCases.compactMap { state -> [String: Any]? in
                guard let count = source.counts[state], count > 0 else { return nil }
                return ["state": state.rawValue, "count": WebFormat.grouped(count)]
            },
        ]
        if source.status != .ok { fields.put("message", source.statusMessage) }
        fields.put("updated", WebFormat.time(source.lastUpdated, now: now))
        return fields
    }
}

extension BoardQuery {
    var isEmpty: Bool { source.isEmpty && kind.isEmpty && state.isEmpty && tag.isEmpty && search.isEmpty }
}
