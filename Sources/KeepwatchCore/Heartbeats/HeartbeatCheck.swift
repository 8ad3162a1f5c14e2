/// A heartbeat check, as Healthchecks keeps one: pinged by the job it watches, expected again within its period
/// (or at its next cron time) plus a grace time, or it goes down. Times are microseconds since 1970 UTC.
public struct HeartbeatCheck: Sendable, Equatable {
    public enum Kind: String, Sendable { case simple, cron, oncalendar }
    /// What is stored; `grace` and `started` are only ever computed (`HeartbeatRules.status`).
    public enum StoredStatus: String, Sendable { case new, up, down, paused }

    public var uuid: String
    public var name = ""
    public var slug = ""
    /// Space-separated, as Healthchecks keeps them.
    public var tags = ""
    public var desc = ""
    public var kind: Kind = .simple
    /// Seconds between pings (simple kind).
    public var timeout: Int64 = 86_400
    public var grace: Int64 = 3_600
    /// Cron expression, or OnCalendar lines, and the time zone they are read in (cron and oncalendar kinds).
    public var schedule = "* * * * *"
    public var tz = "UTC"
    public var manualResume = false
    /// "" (any method) or "POST" (other methods are recorded and ignored).
    public var methods = ""
    public var keywords = Keywords()
    /// Notification channels (comma-separated), kept for the API.
    public var channels = ""
    public var status: StoredStatus = .new
    public var pingCount: Int64 = 0
    public var lastPing: Int64?
    public var lastStart: Int64?
    public var lastStartRID: String?
    /// Seconds from the start to the success or failure that ended the last run.
    public var lastDuration: Int64?
    public var createdAt: Int64

    public struct Keywords: Sendable, Equatable {
        public var start = ""
        public var success = ""
        public var failure = ""
        public var filterSubject = false
        public var filterBody = false
        public var filterHTTPBody = false
        public var filterDefaultFail = false

        public init() {}
    }

    public init(uuid: String, createdAt: Int64) {
        self.uuid = uuid
        self.createdAt = createdAt
    }

    public var tagList: [String] { tags.split(separator: " ").map(String.init) }
}

/// One ping as it is kept (the last 100 of each check).
public struct HeartbeatPing: Sendable, Equatable {
    public enum Kind: String, Sendable { case success, start, fail, log, ign }

    public var number: Int64
    public var kind: Kind
    public var created: Int64
    public var scheme: String
    public var remoteAddress: String
    public var method: String
    public var userAgent: String
    public var rid: String?
    public var exitStatus: Int?
    public var body: [UInt8]

    public init(number: Int64, kind: Kind, created: Int64, scheme: String, remoteAddress: String, method: String,
                userAgent: String, rid: String?, exitStatus: Int?, body: [UInt8]) {
        self.number = number
        self.kind = kind
        self.created = created
        self.scheme = scheme
        self.remoteAddress = remoteAddress
        self.method = method
        self.userAgent = userAgent
        self.rid = rid
        self.exitStatus = exitStatus
        self.body = body
    }
}

/// A change of a check's state: `up` false when it went down.
public struct HeartbeatFlip: Sendable, Equatable {
    public var created: Int64
    public var old: String
    public var new: String
    public var reason: String

    public init(created: Int64, old: String, new: String, reason: String) {
        self.created = created
        self.old = old
        self.new = new
        self.reason = reason
    }

    public var up: Bool { new == "up" }
}

extension HeartbeatCheck {
    /// 8-4-4-4-12 hex digits, either case.
    public static func isUUIDText(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                guard (byte >= 48 && byte <= 57) || (byte >= 97 && byte <= 102) || (byte >= 65 && byte <= 70) else { return false }
            }
        }
        return true
    }
}
