import Hummingbird
import KeepwatchCore
import KeepwatchHub

/// `/`: the board of every source's targets, worst first, filtered by the URL.
extension WebPages {
    func overview(_ request: Request, _ context: KeepwatchRequestContext) async throws -> Response {
        let query = BoardQuery(request)
        let board = BoardPage.of(hub.index.states(), query: query)
        let frame = frame("Overview", section: "Overview", json: query.link(path: "/api/v1/overview"), request, context)
        var fields = Self.overviewFields(board, query, now: Self.now)
        fields.put("filterNote", BoardQuery.ignored(request))
        return frame.render("overview", fields)
    }

    static func overviewFields(_ board: BoardPage, _ query: BoardQuery, now: Int64) -> [String: Any] {
        let anyTargets = board.counts.values.contains { $0 > 0 }
        var fields: [String: Any] = [
            "search": query.search, "hasTargets": !board.targets.isEmpty, "totalText": WebFormat.grouped(board.total),
            "noSources": query.isEmpty && board.sources.count <= 1 && !anyTargets, "noMatch": !board.targets.isEmpty ? false : anyTargets || !query.isEmpty,
            "sourceCount": WebFormat.grouped(board.sources.count),
            "counts": BoardState.allCases.map { state -> [String: Any] in
                ["state": state.rawValue, "count": WebFormat.grouped(board.counts[state] ?? 0),
                 "href": query.link(["state": query.state == state.rawValue ? "" : state.rawValue, "page": ""]),
                 "current": query.state == state.rawValue]
            },
            "targetRows": WebOverviewRows.targets(board.targets, now: now),
            "sourceRows": WebOverviewRows.sources(board.sources, now: now),
            "sourceOptions": WebOverviewRows.options(board.sourceNames.map { ($0.xid, $0.name) }) { xid in
                query.source == xid || board.sourceNames.contains { $0.xid == xid && $0.name == query.source }
            },
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
}

extension BoardQuery {
    var isEmpty: Bool { source.isEmpty && kind.isEmpty && state.isEmpty && tag.isEmpty && search.isEmpty }
}
