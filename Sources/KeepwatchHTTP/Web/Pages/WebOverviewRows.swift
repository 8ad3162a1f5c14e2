import KeepwatchCore
import KeepwatchHub

/// The overview's long parts written directly, not through the template engine: a board of 1,000 sources and
/// 10,000 targets must render in well under 100 ms (BENCHMARKS.md), and these rows are most of the page.
enum WebOverviewRows {
    static func targets(_ entries: [(target: BoardTarget, state: BoardState)], now: Int64) -> String {
        var html = ""
        html.reserveCapacity(entries.count * 600)
        for (target, state) in entries {
            let name = WebHTML.escape(target.name)
            let job = target.reference.isEmpty ? target.name : target.reference
            let link = target.kind == .local ? "<a href=\"/jobs/\(WebHTML.escape(WebPages.pathEscaped(job)))\">\(name)</a>" : name
            let tags = target.tags.map { "<span class=\"tag\">\(WebHTML.escape($0))</span>" }.joined(separator: " ")
            html += "<tr data-state=\"\(state.rawValue)\" data-target=\"\(name)\"><td class=\"state\"><span class=\"dot \(state.rawValue)\" "
                + "title=\"\(state.rawValue): \(state.meaning)\" aria-hidden=\"true\"></span> <span class=\"state-label\">\(state.rawValue)</span></td>\n"
                + "<td>\(link) <small>\(WebHTML.escape(target.type))</small> \(tags)</td>\n"
                + "<td>\(WebHTML.escape(target.sourceName)) <small>\(target.kind.rawValue)</small></td>\n"
                + "<td>\(WebHTML.time(target.lastGood, now: now, fallback: "never"))</td>\n"
                + "<td class=\"hide-narrow\">\(WebHTML.escape(target.detail))</td></tr>\n"
        }
        return html
    }

    static func sources(_ sources: [BoardSource], now: Int64) -> String {
        var html = ""
        html.reserveCapacity(sources.count * 500)
        for source in sources {
            let name = WebHTML.escape(source.name)
            let dot = source.status == .ok ? "success" : "offline"
            let message = source.status == .ok || source.statusMessage.isEmpty ? "" : " <small>\(WebHTML.escape(source.statusMessage))</small>"
            let counts = BoardState.allCases.compactMap { state -> String? in
                guard let count = source.counts[state], count > 0 else { return nil }
                return "<span class=\"tag\"><span class=\"dot \(state.rawValue)\" aria-hidden=\"true\"></span> \(WebFormat.grouped(count)) \(state.rawValue)</span>"
            }
            html += "<tr data-source=\"\(name)\"><td><a href=\"/?source=\(source.xid)\">\(name)</a> <small>\(source.kind.rawValue)</small></td>\n"
                + "<td class=\"state\"><span class=\"dot \(dot)\" title=\"\(source.status.rawValue)\" aria-hidden=\"true\"></span> \(source.status.rawValue)\(message)</td>\n"
                + "<td>\(counts.isEmpty ? "<span class=\"muted\">none</span>" : counts.joined())</td>\n"
                + "<td>\(WebHTML.time(source.lastUpdated, now: now, fallback: "not yet"))</td></tr>\n"
        }
        return html
    }

    static func options(_ choices: [(value: String, label: String)], selected: (String) -> Bool) -> String {
        var html = ""
        for choice in choices {
            html += "<option value=\"\(WebHTML.escape(choice.value))\"\(selected(choice.value) ? " selected" : "")>\(WebHTML.escape(choice.label))</option>"
        }
        return html
    }
}
