import KeepwatchCore

/// cmon-proxy's `ControllerStatus` for one source, plus Keepwatch's `kind` and the source's settings
/// (never its password or token).
public enum ControllerStatusView {
    public static func json(_ state: SourceState) -> JSONValue {
        let definition = state.definition
        var object: [String: JSONValue] = [
            "xid": .string(definition.xid), "controller_id": .string(state.snapshot.controllerID), "pool_id": "",
            "controller_name": .string(String(definition.name.prefix(60))), "url": .string(definition.url),
            "version": .string(state.snapshot.version), "status_message": .string(state.statusMessage),
            "status": .string(state.status.rawValue),
            "last_updated": .string(state.lastUpdated.map(JSONFields.rfc3339) ?? ""),
            "last_seen": .string(state.lastSeen.map(JSONFields.rfc3339) ?? ""),
            "license": .null, "license_check": .null, "controllers": .null,
            "kind": .string(definition.kind.rawValue), "timeout": .number(Double(definition.timeout)),
            "refresh_interval": .number(Double(definition.refreshInterval)), "tls_insecure": .bool(definition.tlsInsecure),
        ]
        object["frontend_url"] = definition.frontendURL.map(JSONValue.string)
        object["username"] = definition.username.map(JSONValue.string)
        object["mysql_url"] = definition.kind == .ethoscope ? .string(definition.mysqlStatusURL) : nil
        object["rsync_url"] = definition.kind == .ethoscope ? .string(definition.rsyncStatusURL) : nil
        object["tls_ca_file"] = definition.tlsCAFile.map(JSONValue.string)
        return .object(object)
    }
}
