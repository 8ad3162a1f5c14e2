import Crypto
import Foundation
import KeepwatchCore
import KeepwatchEngine

/// Writes the monitor's files atomically, as SlapOS lays them out: `public/<id>.status.json` and
/// `public/<id>.history.json` after each run, and (at most once a second) `monitor.haljson`,
/// `public/monitor.global.json`, `private/monitor.global.json`, `public/feed` and `public/feeds`.
struct MonitorFiles: Sendable {
    let data: DataDirectory
    let title: String
    let base: String

    func prepare() throws {
        for directory in [data.publicFiles, data.privateFiles, data.promises, scratch] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
    }

    /// Where promise runs write their output (kept apart from tmp/, which holds only what runs leave half-done).
    var scratch: URL { data.root.appendingPathComponent("promise-output", isDirectory: true) }

    func statusPath(_ id: String) -> String { data.publicFiles.appendingPathComponent("\(id).status.json").path }
    func historyPath(_ id: String) -> String { data.publicFiles.appendingPathComponent("\(id).history.json").path }

    /// The history first, then the status: a reader that sees a new status finds it in the history too.
    func write(_ promise: MonitorDocuments.Promise) throws {
        let existing = FileManager.default.contents(atPath: historyPath(promise.id)).flatMap { try? JSONParser.parse(bytes: [UInt8]($0)) }
        if let history = MonitorDocuments.history(existing, adding: promise, created: promise.run.date) {
            try AtomicFiles.write(Data(JSONWriter.text(history).utf8), to: historyPath(promise.id))
        }
        try AtomicFiles.write(Data(JSONWriter.text(MonitorDocuments.status(promise)).utf8), to: statusPath(promise.id))
    }

    /// A promise's last status as its file says (to keep its change date and status across restarts).
    func readStatus(_ id: String) -> (failed: Bool, message: String, date: Int64, changeDate: Int64, executionTime: Double)? {
        guard let bytes = FileManager.default.contents(atPath: statusPath(id)),
              case .object(let fields)? = try? JSONParser.parse(bytes: [UInt8](bytes)),
              case .object(let result)? = fields["result"] else { return nil }
        func seconds(_ text: String?) -> Int64? {
            guard let text else { return nil }
            return (try? ISO8601.parse(text)).map { $0.instant(in: .utc).secondsSince1970 }
        }
        guard let date = seconds(result["date"]?.stringValue) else { return nil }
        return (result["failed"] == .bool(true), result["message"]?.stringValue ?? "", date,
                seconds(fields["change-date"]?.stringValue) ?? date, fields["execution-time"].flatMap { if case .number(let n) = $0 { n } else { nil } } ?? 0)
    }

    func history(_ id: String) -> JSONValue? {
        FileManager.default.contents(atPath: historyPath(id)).flatMap { try? JSONParser.parse(bytes: [UInt8]($0)) }
    }

    /// Removes what a removed promise left: its status and history.
    func remove(_ id: String) {
        for path in [statusPath(id), historyPath(id), scratch.appendingPathComponent("\(id).out").path, scratch.appendingPathComponent("\(id).err").path] {
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// Status files of promises that are gone (removed while the node was down, or another promise_dir).
    func removeOrphans(keeping ids: Set<String>) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: data.publicFiles.path)) ?? [] {
            for suffix in [".status.json", ".history.json"] where name.hasSuffix(suffix) {
                let id = String(name.dropLast(suffix.count))
                if !ids.contains(id) { remove(id) }
            }
        }
    }

    func writeSummary(_ promises: [MonitorDocuments.Promise], related: [RelatedMonitor], now: Int64) throws {
        let urls = related.map(\.publicURL)
        try AtomicFiles.write(Data(JSONWriter.text(MonitorDocuments.hal(title: title, base: base, promises: promises, related: urls)).utf8),
                              to: data.monitorHAL.path)
        try AtomicFiles.write(Data(JSONWriter.text(MonitorDocuments.global(title: title, base: base, promises: promises, related: urls,
                                                                          now: now, detailed: false)).utf8),
                              to: data.publicFiles.appendingPathComponent("monitor.global.json").path)
        try AtomicFiles.write(Data(JSONWriter.text(MonitorDocuments.global(title: title, base: base, promises: promises, related: urls,
                                                                          now: now, detailed: true)).utf8),
                              to: data.privateFiles.appendingPathComponent("monitor.global.json").path)
        var digests: [String: String] = [:]
        for promise in promises {
            digests[promise.id] = Insecure.MD5.hash(data: Array(promise.run.message.utf8)).map { String(format: "%02x", $0) }.joined()
        }
        let feed = MonitorDocuments.rss(title: title, base: base, promises: promises, digests: digests, now: now)
        try AtomicFiles.write(Data(feed.utf8), to: data.publicFiles.appendingPathComponent("feed").path)
        let feeds = MonitorDocuments.opml(title: title, base: base, others: related, now: now)
        try AtomicFiles.write(Data(feeds.utf8), to: data.publicFiles.appendingPathComponent("feeds").path)
    }
}
