import KeepwatchCore

/// Ethoscope's `GET /backup/status`: the two daemons' raw bodies (or their "unavailable" envelopes) and
/// `unified_devices` merged from them.
public enum EthoscopeStatusView {
    public static func json(_ state: SourceState) -> JSONValue {
        let bodies = state.snapshot.daemonBodies ?? .init(
            mysql: ["error": "MySQL backup service unavailable", "service": "mysql_backup"],
            rsync: ["error": "Rsync backup service unavailable", "service": "rsync_backup"])
        return .object([
            "mysql_backup": bodies.mysql, "rsync_backup": bodies.rsync,
            "unified_devices": .object(BackupServiceMerge.unifiedDevices(mysql: bodies.mysql, rsync: bodies.rsync)),
        ])
    }
}
