/// The files SlapOS's monitor writes, in its formats (slapos-monitor.md §4, §6, §8, §9 and the seed's HAL document):
/// a promise's `status.json` and `history.json`, `monitor.global.json`, `monitor.haljson`, the RSS feed and the
/// OPML list of feeds.
public enum MonitorDocuments {
    /// A promise's current state, as the files show it.
    public struct Promise: Sendable, Equatable {
        public var id: String
        /// The executable's file name and full path.
        public var file: String
        public var path: String
        public var title: String
        public var run: PromiseRun
        /// By the anomaly rule.
        public var failed: Bool
        /// Unix seconds of the last change of status.
        public var changeDate: Int64
        public var hasInterface: Bool

        public init(id: String, file: String, path: String, title: String, run: PromiseRun, failed: Bool, changeDate: Int64,
                    hasInterface: Bool = false) {
            self.id = id
            self.file = file
            self.path = path
            self.title = title
            self.run = run
            self.failed = failed
            self.changeDate = changeDate
            self.hasInterface = hasInterface
        }

        public var status: String { failed ? "ERROR" : "OK" }
    }

    /// `2026-04-23T15:29:57+0000`: UTC with a literal `+0000`, as SlapOS writes result dates.
    public static func slaposDate(_ seconds: Int64) -> String {
        String(ISO8601.format(Instant(secondsSince1970: seconds), in: .utc).dropLast(6)) + "+0000"
    }

    /// `Thu, 23 Apr 2026 15:29:57 GMT` (RFC 822, as RSS wants) or with `+0000` (OPML's dates).
    public static func rfc822(_ seconds: Int64, zone: String = "GMT") -> String {
        let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let (year, month, day) = CivilCalendar.date(fromDayNumber: days)
        let weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][CivilCalendar.weekday(dayNumber: days) % 7]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let clock = seconds - Int64(days) * 86_400
        func pad(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(weekday), \(pad(Int64(day))) \(months[month - 1]) \(year) \(pad(clock / 3600)):\(pad(clock % 3600 / 60)):\(pad(clock % 60)) \(zone)"
    }

    /// `public/<id>.status.json`: the promise result plus the monitor's `status` and `change-date`.
    public static func status(_ promise: Promise) -> JSONValue {
        [
            "title": .string(promise.title), "name": .string(promise.file), "path": .string(promise.path),
            "execution-time": .number(promise.run.executionTime),
            "result": ["type": "Test Result", "failed": .bool(promise.failed), "date": .string(slaposDate(promise.run.date)),
                       "message": .string(promise.run.message)],
            "status": .string(promise.status), "change-date": .string(slaposDate(promise.changeDate)),
        ]
    }

    /// One `history.json` entry: the status with its result flattened, without `path` and `type`; only the first
    /// entry keeps `title` and `name`.
    public static func historyEntry(_ promise: Promise, first: Bool) -> JSONValue {
        var entry: [String: JSONValue] = [
            "execution-time": .number(promise.run.executionTime), "status": .string(promise.status), "failed": .bool(promise.failed),
            "date": .string(slaposDate(promise.run.date)), "message": .string(promise.run.message),
            "change-date": .string(slaposDate(promise.changeDate)),
        ]
        if first {
            entry["title"] = .string(promise.title)
            entry["name"] = .string(promise.file)
        }
        return .object(entry)
    }

    /// The history with `promise` appended when its change-date or its message differs from the last entry's.
    public static func history(_ existing: JSONValue?, adding promise: Promise, created: Int64, keep: Int = 1_000) -> JSONValue? {
        var data = existing?.objectValue?["data"]?.arrayValue ?? []
        let date = existing?.objectValue?["date"] ?? .number(Double(created))
        if let last = data.last?.objectValue, last["change-date"]?.stringValue == slaposDate(promise.changeDate),
           last["message"]?.stringValue == promise.run.message {
            return nil
        }
        data.append(historyEntry(promise, first: data.isEmpty))
        if data.count > keep { data.removeFirst(data.count - keep) }
        return ["date": date, "data": .array(data)]
    }

    /// `monitor.haljson`, the seed's shape: every promise with its status and interface links.
    public static func hal(title: String, base: String, promises: [Promise], related: [String]) -> JSONValue {
        [
            "title": .string(title),
            "_links": ["related_monitor": .array(related.map { ["href": .string($0)] })],
            "_embedded": ["service": .array(promises.map { promise in
                var links: [String: JSONValue] = ["status": ["href": .string("\(base)/public/\(promise.id).status.json")]]
                if promise.hasInterface { links["interface"] = ["href": .string("\(base)/public/\(promise.id)/index.html")] }
                return ["id": .string(promise.id), "title": .string(promise.title), "_links": .object(links)]
            })],
        ]
    }

    /// `monitor.global.json`: overall status (ERROR when any promise fails) and counts (the private form adds them).
    public static func global(title: String, base: String, promises: [Promise], related: [String], now: Int64, detailed: Bool) -> JSONValue {
        let errors = promises.filter(\.failed).count
        var document: [String: JSONValue] = [
            "status": .string(errors > 0 ? "ERROR" : "OK"), "date": .string(slaposDate(now)), "title": .string(title),
            "specialise_title": .string(title),
            "_links": ["monitor": ["href": .string("\(base)/private/")], "related_monitor": .array(related.map { ["href": .string($0)] })],
        ]
        if detailed {
            document["state"] = ["error": .number(Double(errors)), "success": .number(Double(promises.count - errors))]
            document["portal_type"] = "Software Instance"
            document["_links"] = [
                "rss_url": ["href": .string("\(base)/public/feed")], "public_url": ["href": .string("\(base)/public/")],
                "private_url": ["href": .string("\(base)/private/")], "related_monitor": .array(related.map { ["href": .string($0)] }),
            ]
        }
        return .object(document)
    }

    /// `public/feed`: RSS 2.0, one item per promise (not an event log); an item's guid changes with its status or
    /// message (`digests` gives each message's MD5, hex), so a reader sees a change as a new item.
    public static func rss(title: String, base: String, promises: [Promise], digests: [String: String], now: Int64) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>"
        xml += "<title>\(escaped(title))</title><link>\(escaped(base))/public/feed</link>"
        xml += "<description>\(escaped(title))</description><lastBuildDate>\(rfc822(now))</lastBuildDate>"
        for promise in promises {
            let guid = Base64.encode(Array("\(title), \(promise.id), \(digests[promise.id] ?? ""), \(slaposDate(promise.changeDate))".utf8))
            xml += "<item><title>[\(promise.status)] \(escaped(promise.title))</title><link>\(escaped(base))/private/</link>"
            xml += "<description>\(escaped("\n" + promise.run.message))</description><category>\(promise.status)</category>"
            xml += "<guid isPermaLink=\"false\">\(guid)</guid><pubDate>\(rfc822(promise.changeDate))</pubDate>"
            xml += "<source url=\"\(escaped(base))/public/\">\(escaped(title))</source></item>"
        }
        return xml + "</channel></rss>\n"
    }

    /// `public/feeds`: OPML 1.1 listing this node's feed and every other monitor's.
    public static func opml(title: String, base: String, others: [RelatedMonitor], now: Int64) -> String {
        let date = rfc822(now, zone: "+0000")
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<opml version=\"1.1\"><head><title>\(escaped(title))</title>"
        xml += "<dateCreated>\(date)</dateCreated><dateModified>\(date)</dateModified></head><body>"
        xml += "<outline text=\"Monitoring RSS Feed list\">"
        xml += outline(title: title, feed: "\(base)/public/feed", page: "\(base)/private/")
        for other in others {
            xml += outline(title: other.title, feed: other.feedURL, page: other.privateURL)
        }
        return xml + "</outline></body></opml>\n"
    }

    static func outline(title: String, feed: String, page: String) -> String {
        "<outline text=\"\(escaped(title))\" title=\"\(escaped(title))\" type=\"rss\" xmlUrl=\"\(escaped(feed))\" htmlUrl=\"\(escaped(feed))\" url=\"\(escaped(page))\"/>"
    }

    public static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n", "\t", "\r": out.unicodeScalars.append(scalar)
            default:
                // XML 1.0 has no place for other control characters.
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
