import Foundation
import KeepwatchCore

/// Another SlapOS-style monitor (SlapOS's own, or a Keepwatch node's): its `monitor.haljson`, each promise's
/// `status.json`, and its RSS feed for promises the HAL document does not list. Each promise is a target whose last
/// result is a job; a failing promise is a `PromiseFailed` alarm of the monitor. Links are followed only on the
/// source's own host.
final class SlapOSAdapter: SourceAdapter {
    let http: SourceHTTPClient

    init(http: SourceHTTPClient) {
        self.http = http
    }

    struct PromiseState {
        var id: String
        var title: String
        var failed: Bool
        var message: String
        var date: Int64
        var changeDate: Int64
    }

    func refresh(_ source: SourceDefinition, settings: HubSettings) async throws -> SourceSnapshot {
        let headers = Self.headers(source)
        let halURL = source.baseURL + "/monitor.haljson"
        let hal = try await fetch(halURL, source: source, headers: headers, settings: settings)
        guard let document = hal.objectValue else { throw SourceFailure.failed("\(halURL): the reply is not a JSON object") }
        let title = document["title"]?.stringValue ?? source.name
        var promises: [PromiseState] = []
        for service in document["_embedded"]?.objectValue?["service"]?.arrayValue ?? [] {
            guard let fields = service.objectValue, let id = fields["id"]?.stringValue else { continue }
            let href = fields["_links"]?.objectValue?["status"]?.objectValue?["href"]?.stringValue ?? "/public/\(id).status.json"
            guard let url = Self.sameHost(href, base: source.baseURL),
                  let status = try? await fetch(url, source: source, headers: headers, settings: settings).objectValue else { continue }
            promises.append(Self.state(id: id, title: fields["title"]?.stringValue ?? id, status: status))
        }
        // A feed item names its promise by title only.
        let listed = Set(promises.map(\.id) + promises.map(\.title))
        if let feed = try? await http.send(.GET, source.baseURL + "/public/feed", headers: headers, source: source, settings: settings),
           feed.status == 200 {
            promises += SlapOSFeed.items(String(buffer: feed.body)).filter { !listed.contains($0.id) }
        }
        let host = TargetReport.Host(id: source.xid, hostname: SourceDefinition.host(of: source.baseURL),
                                     port: KeepwatchNodeAdapter.port(of: source.baseURL), status: "CmonHostOnline", nodetype: "slapos", role: "monitor")
        let reports = promises.map { promise -> TargetReport in
            var report = TargetReport(id: promise.id, name: promise.title, type: "slapos")
            report.hosts = [host]
            report.runs = [TargetReport.RunRecord(id: "\(promise.id)@\(promise.date)", outcome: promise.failed ? .failure : .success,
                                                  title: promise.title, created: promise.date, started: promise.date, ended: promise.date,
                                                  message: promise.message)]
            report.lastOutcome = promise.failed ? .failure : .success
            report.lastMessage = promise.message
            report.lastFinished = promise.date
            if !promise.failed { report.lastSuccess = promise.date }
            return report
        }
        var snapshot = TargetItems.snapshot(of: reports, source: source, controllerID: title, version: "")
        let ref = SourceRef(xid: source.xid, controllerID: title, url: source.url, kind: source.kind)
        let failing = promises.filter(\.failed).map {
            CheckStatus(id: "\(source.xid):\($0.id)", name: $0.title, status: "down", since: $0.changeDate, kind: "promise", message: $0.message)
        }
        snapshot.alarms = TargetItems.checkAlarms(failing, source: ref, hostname: host.hostname)
        return snapshot
    }

    static func headers(_ source: SourceDefinition) -> [(String, String)] {
        if let token = source.token { return [("Authorization", "Bearer \(token)")] }
        if let user = source.username, let password = source.password {
            return [("Authorization", "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())]
        }
        return []
    }

    func fetch(_ url: String, source: SourceDefinition, headers: [(String, String)], settings: HubSettings) async throws -> JSONValue {
        let reply = try await http.send(.GET, url, headers: headers, source: source, settings: settings)
        if reply.status == 401 || reply.status == 403 { throw SourceFailure.authentication("AccessDenied: \(url) answered HTTP \(reply.status)") }
        guard reply.status == 200 else { throw SourceFailure.failed("Get \"\(url)\": HTTP \(reply.status)") }
        return try reply.json(from: url)
    }

    /// A status link as a URL on the source's own host (a path, or an absolute URL with the same scheme and host).
    static func sameHost(_ href: String, base: String) -> String? {
        if href.hasPrefix("/") { return base + href }
        let root = base.lowercased()
        return href.lowercased().hasPrefix(root + "/") ? href : nil
    }

    /// A status file in the current form (`result.failed`) or the legacy flat one (`status` `OK`/`ERROR`).
    static func state(id: String, title: String, status: [String: JSONValue]) -> PromiseState {
        let result = status["result"]?.objectValue
        let failed = result?["failed"].map { $0 == .bool(true) } ?? (status["status"]?.stringValue == "ERROR")
        let message = result?["message"]?.stringValue ?? status["message"]?.stringValue ?? ""
        let date = JSONFields.seconds(result?["date"] ?? status["start-date"] ?? status["date"])
        let change = JSONFields.seconds(status["change-date"]) 
        return PromiseState(id: id, title: status["title"]?.stringValue ?? title, failed: failed, message: message, date: date,
                            changeDate: change > 0 ? change : date)
    }
}

/// The items of a SlapOS RSS feed: `[OK] title` / `[ERROR] title`, the message in the description.
enum SlapOSFeed {
    static func items(_ xml: String) -> [SlapOSAdapter.PromiseState] {
        xml.components(separatedBy: "<item>").dropFirst().compactMap { item in
            guard let title = element("title", in: item) else { return nil }
            let failed = title.hasPrefix("[ERROR]")
            let name = title.replacingOccurrences(of: "[ERROR] ", with: "").replacingOccurrences(of: "[OK] ", with: "")
            let date = element("pubDate", in: item).flatMap(rfc822) ?? 0
            return SlapOSAdapter.PromiseState(id: name, title: name, failed: failed,
                                              message: (element("description", in: item) ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
                                              date: date, changeDate: date)
        }
    }

    static func element(_ name: String, in text: String) -> String? {
        guard let open = text.range(of: "<\(name)"), let start = text[open.upperBound...].firstIndex(of: ">"),
              let close = text.range(of: "</\(name)>", range: text.index(after: start)..<text.endIndex) else { return nil }
        return unescaped(String(text[text.index(after: start)..<close.lowerBound]))
    }

    static func unescaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// `Thu, 23 Apr 2026 15:29:57 GMT`, or SlapOS's own `2026-04-23T15:29:57+0000`.
    static func rfc822(_ text: String) -> Int64? {
        if let parsed = try? ISO8601.parse(text) { return parsed.instant(in: .utc).secondsSince1970 }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text).map { Int64($0.timeIntervalSince1970) }
    }
}
