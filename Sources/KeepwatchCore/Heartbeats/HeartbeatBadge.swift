/// Healthchecks's badges, per check (`/b/<2|3>/<badge key>.svg|json|shields`) and per tag or for all checks
/// (`/badge/<key>/<signature>[/<tag>].<format>`): a flat 20 px SVG, a JSON summary, or shields.io's endpoint format.
/// Two-state badges count a late check as up.
public enum HeartbeatBadge {
    /// `up`, `late` or `down` from a check's status.
    public static func state(_ status: String, states: Int) -> String {
        switch status {
        case "down": return "down"
        case "grace": return states == 2 ? "up" : "late"
        default: return "up"
        }
    }

    /// What a badge over several checks says, as Healthchecks counts it: any check down makes it down, else any
    /// late one (with three states) late; paused and new checks count in the total only.
    public struct Summary: Equatable, Sendable {
        public var state = "up"
        public var total = 0
        public var grace = 0
        public var down = 0

        public init(statuses: [String], states: Int) {
            for status in statuses {
                total += 1
                if status == "down" {
                    down += 1
                    state = "down"
                } else if status == "grace" {
                    grace += 1
                    if state == "up" && states == 3 { state = "late" }
                }
            }
        }
    }

    /// One check's JSON badge: `grace` counts a late check in both forms, as the tag badges do.
    public static func json(status: String, states: Int) -> JSONValue {
        json(Summary(statuses: [status], states: states))
    }

    public static func json(_ summary: Summary) -> JSONValue {
        ["status": .string(summary.state), "total": .number(Double(summary.total)), "grace": .number(Double(summary.grace)),
         "down": .number(Double(summary.down))]
    }

    public static func shields(label: String, state: String) -> JSONValue {
        let color = state == "down" ? "critical" : state == "late" ? "important" : "success"
        return ["schemaVersion": 1, "label": .string(label), "message": .string(state), "color": .string(color)]
    }

    public static func svg(label: String, state: String) -> String {
        let color = state == "down" ? "#e05d44" : state == "late" ? "#fe7d37" : "#4c1"
        let labelWidth = width(label) + 10
        let stateWidth = width(state) + 10
        let total = labelWidth + stateWidth
        let text = MonitorDocuments.escaped(label)
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(total)" height="20">\
            <linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>\
            <clipPath id="r"><rect width="\(total)" height="20" rx="3" fill="#fff"/></clipPath>\
            <g clip-path="url(#r)"><rect width="\(labelWidth)" height="20" fill="#555"/><rect x="\(labelWidth)" width="\(stateWidth)" height="20" fill="\(color)"/>\
            <rect width="\(total)" height="20" fill="url(#s)"/></g>\
            <g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">\
            <text x="\(labelWidth / 2)" y="15" fill="#010101" fill-opacity=".3">\(text)</text><text x="\(labelWidth / 2)" y="14">\(text)</text>\
            <text x="\(labelWidth + stateWidth / 2)" y="15" fill="#010101" fill-opacity=".3">\(state)</text><text x="\(labelWidth + stateWidth / 2)" y="14">\(state)</text></g></svg>
            """
    }

    /// Verdana 11 px, roughly: narrow letters 4 px, wide ones 9, the rest 7.
    static func width(_ text: String) -> Int {
        text.reduce(0) { total, character in
            if "iljtf.,:;!|' ".contains(character) { return total + 4 }
            if "mwMW@%".contains(character) { return total + 10 }
            return total + 7
        }
    }
}
