import KeepwatchCore

/// The source an item came from, as every `/proxy/*` item carries it: `xid`, `controller_id` (the remote's own
/// id, cmon's pool id), `controller_url` (the URL as configured).
public struct SourceRef: Sendable, Hashable {
    public var xid: String
    public var controllerID: String
    public var url: String
    public var kind: SourceDefinition.Kind

    public init(xid: String, controllerID: String, url: String, kind: SourceDefinition.Kind) {
        self.xid = xid
        self.controllerID = controllerID
        self.url = url
        self.kind = kind
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
