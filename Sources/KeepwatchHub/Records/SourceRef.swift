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
        var members = ""
        for (index, (key, value)) in [("controller_id", controllerID), ("controller_url", url), ("xid", xid)].enumerated() {
            if index > 0 { members += "," }
            members += JSONWriter.text(.string(key)) + ":" + JSONWriter.text(.string(value))
        }
        stampMembers = Array(members.utf8)
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
        object["xid"] = .string(xid)
        object["controller_id"] = .string(controllerID)
        object["controller_url"] = .string(url)
        return object
    }

    /// `<xid>-<cluster id>`: the `Key` of clusters and backups and the value of the `xid_cid` filter.
    func key(cluster clusterID: Int64) -> String { "\(xid)-\(clusterID)" }
}
