import KeepwatchCore
import KeepwatchHub

/// `GET /api/v1/overview`: the overview page as JSON, from the same board and the same query parameters.
enum OverviewDocument {
    /// `ignored` says which filters of the URL meant nothing and were left out, as the page's note does.
    static func json(_ board: BoardPage, ignored: String? = nil) -> JSONValue {
        var counts: [String: JSONValue] = [:]
        for state in BoardState.allCases { counts[state.rawValue] = .number(Double(board.counts[state] ?? 0)) }
        var document: [String: JSONValue] = [
            "total": .number(Double(board.total)), "page": .number(Double(board.page)), "pages": .number(Double(board.pages)),
            "counts": .object(counts),
            "targets": .array(board.targets.map(target)),
            "sources": .array(board.sources.map(source)),
        ]
        if let ignored { document["ignored"] = .string(ignored) }
        return .object(document)
    }

    static func target(_ entry: (target: BoardTarget, state: BoardState)) -> JSONValue {
        let target = entry.target
        return [
            "source_xid": .string(target.sourceXID), "source": .string(target.sourceName), "kind": .string(target.kind.rawValue),
            "target_id": .number(Double(target.targetID)), "name": .string(target.name), "type": .string(target.type),
            "tags": .array(target.tags.map { .string($0) }), "state": .string(entry.state.rawValue), "meaning": .string(entry.state.meaning),
            "detail": .string(target.detail),
            "last_good": target.lastGood.map { .string(ISO8601.formatUTC(Instant(secondsSince1970: $0))) } ?? .null,
        ]
    }

    static func source(_ source: BoardSource) -> JSONValue {
        var counts: [String: JSONValue] = [:]
        for (state, count) in source.counts { counts[state.rawValue] = .number(Double(count)) }
        return [
            "xid": .string(source.xid), "name": .string(source.name), "kind": .string(source.kind.rawValue), "url": .string(source.url),
            "status": .string(source.status.rawValue), "status_message": .string(source.statusMessage),
            "last_updated": source.lastUpdated.map { .string(ISO8601.formatUTC(Instant(secondsSince1970: $0))) } ?? .null,
            "counts": .object(counts),
        ]
    }
}
