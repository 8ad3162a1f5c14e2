import Foundation
import Hummingbird
import KeepwatchCore
import KeepwatchEngine
import KeepwatchMonitor

/// `/backups`, `/checks`, `/checks/{id}`.
extension WebPages {
    func backupList(_ request: Request, _ context: KeepwatchRequestContext) async throws -> Response {
        let now = Self.now
        let backups = try await jobs.backups(name: nil)
        let names = Dictionary(grouping: backups, by: \.backupName).sorted { $0.key < $1.key }
        let chains = names.map { name, archives -> [String: Any] in
            let newestFirst = archives.sorted { ($0.endedAt, $0.backupID) > ($1.endedAt, $1.backupID) }
            return ["name": name, "count": WebFormat.counted(archives.count, "archive", "archives"),
                    "size": WebFormat.bytes(archives.reduce(0) { $0 + $1.size }),
                    "archives": newestFirst.map { Self.archiveFields($0, now: now) }]
        }
        let frame = frame("Backups", section: "Backups", json: "/api/v1/backups", request, context)
        return frame.render("backups", ["hasChains": !chains.isEmpty, "chains": chains])
    }

    static func archiveFields(_ backup: BackupManifest, now: Int64) -> [String: Any] {
        var fields: [String: Any] = [
            "level": backup.level == 0 ? "full" : "incremental, level \(backup.level)", "size": WebFormat.bytes(backup.size),
            "location": BackupLocation.of(backup).rawValue, "file": (backup.file as NSString).lastPathComponent,
            "chain": String(backup.chain.prefix(20)),
        ]
        fields.put("created", WebFormat.time(backup.endedAt, now: now))
        fields.put("run", backup.runID)
        return fields
    }

    var checkRoutes: CheckRoutes { CheckRoutes(heartbeats: heartbeats, promises: promises, secure: secureCookies) }

    func checkList(_ request: Request, _ context: KeepwatchRequestContext) async throws -> Response {
        let now = Self.now
        let items = await checkRoutes.listing(request).compactMap(\.objectValue).map { Self.checkFields($0, now: now) }
        var counts: [String: Int] = [:]
        for item in items { counts[item["status"] as? String ?? "new", default: 0] += 1 }
        let order = ["down", "grace", "started", "up", "new", "paused"]
        let frame = frame("Checks", section: "Checks", json: "/api/v1/checks", request, context)
        return frame.render("checks", [
            "hasChecks": !items.isEmpty, "items": items,
            "counts": order.filter { counts[$0] != nil }.map { ["state": $0, "dot": Self.checkDot($0), "count": WebFormat.grouped(counts[$0] ?? 0)] },
        ])
    }

    func checkDetail(_ request: Request, _ context: KeepwatchRequestContext) async throws -> Response {
        let id = try Self.segment(context, "id")
        let frame = frame("Check \(id)", section: "Checks", json: "/api/v1/checks/\(Self.pathEscaped(id))", request, context)
        guard let document = try? await checkRoutes.detail(id, request).objectValue else {
            return frame.problem("No check \(id)", "There is no check \(id) on this node; the list is on Checks.", status: .notFound)
        }
        let now = Self.now
        var fields = Self.checkFields(document, now: now)
        let history = Self.history(document, now: now)
        fields["hasHistory"] = !history.isEmpty
        fields["history"] = Array(history.reversed())
        fields["chart"] = Self.historyChart(history)
        fields.put("schedule", document["frequency"]?.stringValue ?? document["schedule"]?.stringValue
                   ?? document["period"]?.int64Value.map { "every \(WebFormat.duration($0))" })
        fields.put("pingURL", document["ping_url"]?.stringValue)
        return frame.render("check", fields)
    }

    static func checkFields(_ check: [String: JSONValue], now: Int64) -> [String: Any] {
        let status = check["status"]?.stringValue ?? "new"
        let name = [check["title"], check["name"]].compactMap { $0?.stringValue }.first { !$0.isEmpty } ?? check["id"]?.stringValue ?? ""
        var fields: [String: Any] = [
            "id": check["id"]?.stringValue ?? "", "name": name, "kind": check["kind"]?.stringValue ?? "", "status": status,
            "dot": checkDot(status), "meaning": checkMeaning(status), "runnable": check["kind"]?.stringValue != "heartbeat",
        ]
        fields.put("message", check["message"]?.stringValue)
        fields.put("last", WebFormat.time(text: check["last_run"]?.stringValue ?? check["last_ping"]?.stringValue, now: now))
        fields.put("next", WebFormat.time(text: check["next_run"]?.stringValue ?? check["next_ping"]?.stringValue, now: now))
        return fields
    }

    /// A promise's SlapOS history or a heartbeat's flips, oldest first, as rows.
    static func history(_ check: [String: JSONValue], now: Int64) -> [[String: Any]] {
        (check["history"]?.arrayValue ?? []).compactMap(\.objectValue).map { entry in
            let state: String
            if case .bool(let failed)? = entry["failed"] { state = failed ? "down" : "up" } else { state = entry["to"]?.stringValue ?? "new" }
            var row: [String: Any] = ["state": state, "dot": checkDot(state)]
            row.put("when", WebFormat.time(text: entry["date"]?.stringValue, now: now))
            row.put("message", entry["message"]?.stringValue ?? entry["reason"]?.stringValue)
            return row
        }
    }

    /// One bar per history entry, oldest left: green up, red down, grey otherwise.
    static func historyChart(_ rows: [[String: Any]]) -> String {
        let shown = rows.suffix(60)
        guard !shown.isEmpty else { return "" }
        let width = shown.count * 6
        var svg = "<svg class=\"chart\" width=\"\(width)\" height=\"16\" viewBox=\"0 0 \(width) 16\" role=\"img\" aria-label=\"the last \(shown.count) changes\">"
        for (index, row) in shown.enumerated() {
            let state = row["state"] as? String ?? "new"
            let kind = state == "up" ? "up" : state == "down" ? "down" : "other"
            svg += "<rect class=\"\(kind)\" x=\"\(index * 6)\" y=\"0\" width=\"5\" height=\"16\"><title>\(state)</title></rect>"
        }
        return svg + "</svg>"
    }

    static func checkDot(_ status: String) -> String {
        switch status {
        case "up": return "success"
        case "down": return "error"
        case "grace": return "partial"
        case "started": return "running"
        case "paused": return "offline"
        default: return "unknown"
        }
    }

    static func checkMeaning(_ status: String) -> String {
        switch status {
        case "up": return "passing"
        case "down": return "failing"
        case "grace": return "late, within its grace time"
        case "started": return "a run has started"
        case "paused": return "paused: not watched"
        default: return "no result yet"
        }
    }
}
