import KeepwatchCore

/// A check that is failing, as a node reports it: a heartbeat that is down or late. The hub shows each as an alarm
/// of its source.
public struct CheckStatus: Sendable, Equatable {
    public var id: String
    public var name: String
    /// `down` or `grace`.
    public var status: String
    /// Unix seconds: since when it is so, as well as the node knows.
    public var since: Int64
    /// `heartbeat`, or `promise` for promises and Keepwatch's built-in checks (they fail as promises do).
    public var kind: String
    /// What the check said (a promise's message).
    public var message: String

    public init(id: String, name: String, status: String, since: Int64, kind: String = "heartbeat", message: String = "") {
        self.id = id
        self.name = name
        self.status = status
        self.since = since
        self.kind = kind
        self.message = message
    }

    /// Failing checks in `/api/v1/checks`'s documents.
    static func failing(in documents: [JSONValue]) -> [CheckStatus] {
        documents.compactMap { document in
            guard let fields = document.objectValue, let id = fields["id"]?.stringValue,
                  let status = fields["status"]?.stringValue, status == "down" || status == "grace",
                  fields["automatic"] != .bool(true) else { return nil }
            if let kind = fields["kind"]?.stringValue, kind != "heartbeat" {
                let since = fields["change_date"]?.stringValue.flatMap { try? ISO8601.parse($0) }?.instant(in: .utc).secondsSince1970 ?? 0
                return CheckStatus(id: id, name: fields["title"]?.stringValue ?? id, status: status, since: since, kind: "promise",
                                   message: fields["message"]?.stringValue ?? "")
            }
            let since = (fields["next_ping"]?.stringValue ?? fields["last_ping"]?.stringValue).flatMap { try? ISO8601.parse($0) }
            return CheckStatus(id: id, name: fields["name"]?.stringValue ?? id, status: status,
                               since: since?.instant(in: .utc).secondsSince1970 ?? 0)
        }
    }
}
