import KeepwatchCore

/// The source an item came from, as every `/proxy/*` item carries it: `xid`, `controller_id` (the remote's own
/// id, cmon's pool id), `controller_url` (the URL as configured).
public struct SourceRef: Sendable, Hashable {
    public let xid: String
    public let controllerID: String
    public let url: String
    public let kind: SourceDefinition.Kind
    /// `"controller_id":…,"controller_url":…,"xid":…` as JSON text, written once: every item of the source starts so.
    let stampMembers: [UInt8]

    public init(xid: String, controllerID: String, url: String, kind: SourceDefinition.Kind) {
        self.xid = xid
        self.controllerID = controllerID
        self.url = url
        self.kind = kind
        let values = [controllerID, url, xid]
        stampMembers = Array(zip(Self.stampKeys, values).map { JSONWriter.text(.string($0)) + ":" + JSONWriter.text(.string($1)) }
            .joined(separator: ",").utf8)
    }

    public static func == (lhs: SourceRef, rhs: SourceRef) -> Bool {
        lhs.xid == rhs.xid && lhs.controllerID == rhs.controllerID && lhs.url == rhs.url && lhs.kind == rhs.kind
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(xid)
        hasher.combine(controllerID)
        hasher.combine(url)
        hasher.combine(kind)
    }

    /// The item as served: its own keys plus the source's.
    func stamped(_ object: [String: JSONValue]) -> [String: JSONValue] {
        var object = object
        for (key, value) in zip(Self.stampKeys, [controllerID, url, xid]) { object[key] = .string(value) }
        return object
    }

    /// The keys every item gets from its source, in the order they are written.
    static let stampKeys = ["controller_id", "controller_url", "xid"]

    /// `<xid>-<cluster id>`: the `Key` of clusters and backups and the value of the `xid_cid` filter.
    func key(cluster clusterID: Int64) -> String { "\(xid)-\(clusterID)" }
}
