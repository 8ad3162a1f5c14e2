import KeepwatchCore

/// The normalized records the index holds, one class per kind of `/proxy/*` item. Each keeps the fields the views
/// filter, sort and count on, and its JSON text as served (the remote's object plus `xid`, `controller_id` and
/// `controller_url`), written once when the source is refreshed so that a list reply is only concatenation.
/// Immutable: a refresh builds new ones and swaps them in.
public final class ClusterItem: Sendable {
    public let source: SourceRef
    public let clusterID: Int64
    public let name: String
    public let state: String
    public let clusterType: String
    public let tags: [String]
    /// Hosts other than the controller's.
    public let hosts: [HostItem]
    /// How many hosts the remote listed for the cluster (cmon counts its controller among them).
    public let listedHosts: Int
    public let scheduleCount: Int
    /// Unix seconds of the newest success the remote reported for the target itself (a run or a backup), when it did.
    public let lastSuccess: Int64?
    /// What the remote says of the target's state in words (the last run's message), or "".
    public let statusText: String
    /// The remote's own id of the target where it has one besides its name (a Keepwatch job id), or "".
    public let reference: String
    /// Without `hosts` (`"hosts": null`), and with them, for `with_hosts`.
    public let text: String
    public let textWithHosts: String
    /// Breaks sort ties: source, then cluster id (written once, not per request).
    public let tie: String

    public init(source: SourceRef, clusterID: Int64, name: String, state: String, clusterType: String, tags: [String],
                hosts: [HostItem], listedHosts: Int, scheduleCount: Int, lastSuccess: Int64? = nil, statusText: String = "", reference: String = "",
                text: String, textWithHosts: String) {
        self.source = source
        self.clusterID = clusterID
        self.name = name
        self.state = state
        self.clusterType = clusterType
        self.tags = tags
        self.hosts = hosts
        self.listedHosts = listedHosts
        self.scheduleCount = scheduleCount
        self.lastSuccess = lastSuccess
        self.statusText = statusText
        self.reference = reference
        self.text = text
        self.textWithHosts = textWithHosts
        tie = ItemTie.of(source.xid, clusterID)
    }

    public var key: String { source.key(cluster: clusterID) }
}

/// What every item below shares: its source and the cluster (backup target) it belongs to. A class, so that the
/// thousands of items of a cluster share one and reading it does not copy its strings.
public final class ClusterContext: Sendable {
    public let source: SourceRef
    public let clusterID: Int64
    public let clusterType: String
    public let tags: [String]

    public init(source: SourceRef, clusterID: Int64, clusterType: String, tags: [String]) {
        self.source = source
        self.clusterID = clusterID
        self.clusterType = clusterType
        self.tags = tags
    }
}

public final class HostItem: Sendable {
    public let context: ClusterContext
    public let hostID: String
    public let hostname: String
    public let port: Int64?
    public let role: String
    public let nodetype: String
    public let hoststatus: String
    public let text: String
    public let tie: String

    public init(context: ClusterContext, hostID: String, hostname: String, port: Int64?, role: String, nodetype: String,
                hoststatus: String, text: String) {
        self.context = context
        self.hostID = hostID
        self.hostname = hostname
        self.port = port
        self.role = role
        self.nodetype = nodetype
        self.hoststatus = hoststatus
        self.text = text
        tie = ItemTie.of(context.source.xid, context.clusterID) + "-" + hostID
    }
}

public final class AlarmItem: Sendable {
    public let context: ClusterContext
    public let alarmID: Int64
    public let severityName: String
    public let typeName: String
    public let hostname: String
    public let componentName: String
    public let ignored: String
    public let created: Int64
    public let text: String
    public let tie: String

    public init(context: ClusterContext, alarmID: Int64, severityName: String, typeName: String, hostname: String,
                componentName: String, ignored: String, created: Int64, text: String) {
        self.context = context
        self.alarmID = alarmID
        self.severityName = severityName
        self.typeName = typeName
        self.hostname = hostname
        self.componentName = componentName
        self.ignored = ignored
        self.created = created
        self.text = text
        tie = ItemTie.of(context.source.xid, alarmID)
    }
}

/// A job instance (a run) or, in `schedules`, a scheduled backup job.
public final class JobItem: Sendable {
    public let context: ClusterContext
    public let jobID: Int64
    public let command: String
    public let status: String
    public let title: String
    public let created: Int64
    public let text: String
    public let tie: String

    public init(context: ClusterContext, jobID: Int64, command: String, status: String, title: String, created: Int64, text: String) {
        self.context = context
        self.jobID = jobID
        self.command = command
        self.status = status
        self.title = title
        self.created = created
        self.text = text
        tie = ItemTie.of(context.source.xid, jobID)
    }
}

public final class BackupItem: Sendable {
    public let context: ClusterContext
    public let backupID: Int64
    public let status: String
    public let method: String
    public let created: Int64
    public let text: String
    public let tie: String

    public init(context: ClusterContext, backupID: Int64, status: String, method: String, created: Int64, text: String) {
        self.context = context
        self.backupID = backupID
        self.status = status
        self.method = method
        self.created = created
        self.text = text
        tie = ItemTie.of(context.source.xid, backupID)
    }
}

/// `<xid>-<id>` with the id zero-padded, so that text order is source order, then number order.
enum ItemTie {
    static func of(_ xid: String, _ id: Int64) -> String {
        let digits = String(id)
        return xid + "-" + String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }
}
