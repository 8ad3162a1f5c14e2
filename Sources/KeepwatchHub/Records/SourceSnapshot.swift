import KeepwatchCore

/// Everything one refresh of a source produced. The index keeps the last good one per source.
public struct SourceSnapshot: Sendable {
    public var controllerID: String = ""
    public var version: String = ""
    public var clusters: [ClusterItem] = []
    public var hosts: [HostItem] = []
    /// Per cluster id, in cluster order: cmon keeps alarms per cluster.
    public var alarms: [AlarmItem] = []
    public var jobs: [JobItem] = []
    public var schedules: [JobItem] = []
    public var backups: [BackupItem] = []
    /// Ethoscope's daemons: their raw `/status` bodies (or the error envelopes), for `/backup/status`.
    public var daemonBodies: DaemonBodies?
    /// Per-device backup service records for `/api/v1/devices`.
    public var devices: [DeviceReport] = []
    /// RFC 3339 times (`""` when unknown) of each kind's data, for `last_updated`.
    public var clustersUpdated = ""
    public var jobsUpdated = ""
    public var backupsUpdated = ""
    /// A problem that did not stop the refresh (one of two daemons down).
    public var warning: String?

    public init() {}

    /// Every kind's data read at `now`.
    mutating func stamp(_ now: Int64) {
        let time = JSONFields.rfc3339(now)
        (clustersUpdated, jobsUpdated, backupsUpdated) = (time, time, time)
    }

    public struct DaemonBodies: Sendable {
        public var mysql: JSONValue
        public var rsync: JSONValue
    }
}

/// One backup service's record for one device (Ethoscope's daemons, a Keepwatch node's jobs…).
public struct DeviceReport: Sendable {
    public var deviceID: String
    public var name: String
    public var service: String
    /// The service's record as Ethoscope writes one (`name`, `status`, `progress`, `processing`, `count`, …).
    public var record: [String: JSONValue]

    public init(deviceID: String, name: String, service: String, record: [String: JSONValue]) {
        self.deviceID = deviceID
        self.name = name
        self.service = service
        self.record = record
    }
}
