import KeepwatchCore

/// One ping as the HTTP face hands it over: which check (a UUID, or the node's ping key and a slug), what it says,
/// and what Healthchecks records about its sender.
public struct HeartbeatPingRequest: Sendable {
    public enum Target: Sendable {
        case uuid(String)
        case slug(pingKey: String, slug: String, create: Bool)
    }

    public var target: Target
    public var kind: HeartbeatPing.Kind
    public var exitStatus: Int?
    /// As given in `?rid=`; checked here.
    public var rid: String?
    public var method: String
    public var scheme: String
    public var remoteAddress: String
    public var userAgent: String
    public var body: [UInt8]

    public init(target: Target, kind: HeartbeatPing.Kind, exitStatus: Int?, rid: String?, method: String, scheme: String,
                remoteAddress: String, userAgent: String, body: [UInt8]) {
        self.target = target
        self.kind = kind
        self.exitStatus = exitStatus
        self.rid = rid
        self.method = method
        self.scheme = scheme
        self.remoteAddress = remoteAddress
        self.userAgent = userAgent
        self.body = body
    }

    /// What Healthchecks answers (status and body are the face's to write).
    public enum Outcome: Sendable, Equatable {
        case ok
        case created
        case notFound
        case ambiguousSlug
        case invalidURL
        case invalidRID
        case throttled
        case unavailable(String)
    }
}
