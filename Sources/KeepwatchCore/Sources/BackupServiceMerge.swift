/// Ethoscope's rule for one device seen by several backup services (its MySQL and rsync daemons): devices are
/// matched by exact id, names are labels, and `overall_status` is, in this order: every service `success` →
/// `success`; any `success` → `partial`; any `error` → `error`; otherwise `unknown`. `processing` never changes it.
public enum BackupServiceMerge {
    /// The devices a daemon's `/status` body holds: its `devices` object, or the body itself (the MySQL daemon's is
    /// flat); none when the body carries an `error` key (the daemon's own error, or the envelope for "unavailable").
    public static func devices(of body: JSONValue) -> [String: JSONValue] {
        guard let object = body.objectValue, object["error"] == nil else { return [:] }
        if case .object(let devices)? = object["devices"] { return devices }
        return object
    }

    /// `overall_status` from each expected service's `progress.status` (nil where the service has no record).
    public static func overallStatus(_ progress: [String?]) -> String {
        if !progress.isEmpty && progress.allSatisfy({ $0 == "success" }) { return "success" }
        if progress.contains("success") { return "partial" }
        if progress.contains("error") { return "error" }
        return "unknown"
    }

    /// One service's side of a unified device, as Ethoscope writes it (`available` is whether the service has a
    /// non-empty record for the device; `status` is the record's stale device state or `not_available`).
    public static func side(_ record: [String: JSONValue]?, withMetadata: Bool) -> JSONValue {
        let record = record ?? [:]
        var side: [String: JSONValue] = [
            "available": .bool(!record.isEmpty),
            "status": record["status"] ?? .string("not_available"),
            "progress": record["progress"] ?? .object([:]),
            "synced": record["synced"] ?? .object([:]),
            "processing": record["processing"] ?? .bool(false),
            "count": record["count"] ?? .number(0),
            "started": record["started"] ?? .null,
            "ended": record["ended"] ?? .null,
        ]
        if withMetadata { side["metadata"] = record["metadata"] ?? .object([:]) }
        return .object(side)
    }

    /// Ethoscope's `unified_devices` for the two daemons' bodies.
    public static func unifiedDevices(mysql: JSONValue, rsync: JSONValue) -> [String: JSONValue] {
        let mysqlDevices = devices(of: mysql)
        let rsyncDevices = devices(of: rsync)
        var unified: [String: JSONValue] = [:]
        for id in Set(mysqlDevices.keys).union(rsyncDevices.keys) {
            let m = mysqlDevices[id]?.objectValue
            let r = rsyncDevices[id]?.objectValue
            let name = nonEmpty(m?["name"]) ?? r?["name"] ?? .string("DEVICE_\(id.prefix(8))")
            let status = nonEmpty(m?["status"]) ?? r?["status"] ?? .string("unknown")
            unified[id] = .object([
                "name": name, "status": status,
                "mysql_backup": side(m, withMetadata: false),
                "rsync_backup": side(r, withMetadata: true),
                "overall_status": .string(overallStatus([progressStatus(m), progressStatus(r)])),
            ])
        }
        return unified
    }

    public static func progressStatus(_ record: [String: JSONValue]?) -> String? {
        record?["progress"]?.objectValue?["status"]?.stringValue
    }

    /// Python's `or`: an empty string, false, 0, null, or an empty list or object falls through.
    static func nonEmpty(_ value: JSONValue?) -> JSONValue? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)? where text.isEmpty: return nil
        case .bool(false)?: return nil
        case .number(let number)? where number == 0: return nil
        case .array(let items)? where items.isEmpty: return nil
        case .object(let members)? where members.isEmpty: return nil
        default: return value
        }
    }
}
