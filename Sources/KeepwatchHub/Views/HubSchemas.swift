import KeepwatchCore

/// Filter keys and sort fields of each `/proxy/*` list, as cmon-proxy's (plus `xid` on every list), with a tie-break
/// so that a page is the same on every request.
enum HubSchemas {
    typealias Read<Item> = @Sendable (Item) -> String?

    static func sourceKeys<Item>(_ ref: @escaping @Sendable (Item) -> SourceRef) -> [String: Read<Item>] {
        ["xid": { ref($0).xid }, "controller_id": { ref($0).controllerID }, "controller_url": { ref($0).url }]
    }

    static func clusterKeys<Item>(_ context: @escaping @Sendable (Item) -> ClusterContext) -> [String: Read<Item>] {
        var keys = sourceKeys { context($0).source }
        keys["cluster_id"] = { String(context($0).clusterID) }
        keys["cluster_type"] = { context($0).clusterType }
        keys["xid_cid"] = { context($0).source.key(cluster: context($0).clusterID) }
        return keys
    }

    static let clusters: ListSchema<ClusterItem> = {
        var keys = sourceKeys { (item: ClusterItem) in item.source }
        keys["cluster_id"] = { String($0.clusterID) }
        keys["state"] = { $0.state }
        keys["cluster_type"] = { $0.clusterType }
        return ListSchema(filterKeys: keys, listKeys: ["tags": { $0.tags }],
                          sortFields: ["cluster_id": { .number($0.clusterID) }, "state": { .text($0.state) },
                                       "cluster_type": { .text($0.clusterType) }],
                          defaultOrder: nil, tieBreak: { $0.tie })
    }()

    static let hosts: ListSchema<HostItem> = {
        var keys = clusterKeys { (item: HostItem) in item.context }
        keys["xid_cid"] = nil
        keys["clusterid"] = keys["cluster_id"]
        keys["port"] = { $0.port.map(String.init) }
        keys["hostname"] = { $0.hostname }
        keys["role"] = { $0.role }
        keys["nodetype"] = { $0.nodetype }
        keys["hoststatus"] = { $0.hoststatus }
        return ListSchema(filterKeys: keys, listKeys: ["tags": { $0.context.tags }],
                          sortFields: ["cluster_id": { .number($0.context.clusterID) }, "port": { .number($0.port ?? 0) },
                                       "hostname": { .text($0.hostname) }, "role": { .text($0.role) },
                                       "nodetype": { .text($0.nodetype) }, "hoststatus": { .text($0.hoststatus) }],
                          defaultOrder: nil, tieBreak: { $0.tie })
    }()

    static let alarms: ListSchema<AlarmItem> = {
        var keys = clusterKeys { (item: AlarmItem) in item.context }
        keys["xid_cid"] = nil
        keys["severity_name"] = { $0.severityName }
        keys["type_name"] = { $0.typeName }
        keys["hostname"] = { $0.hostname }
        keys["component_name"] = { $0.componentName }
        keys["ignored"] = { $0.ignored }
        return ListSchema(filterKeys: keys, listKeys: ["tags": { $0.context.tags }],
                          sortFields: ["created": { .number($0.created) }, "cluster_id": { .number($0.context.clusterID) },
                                       "severity_name": { .text($0.severityName) }, "type_name": { .text($0.typeName) },
                                       "hostname": { .text($0.hostname) }, "component_name": { .text($0.componentName) }],
                          defaultOrder: nil, tieBreak: { $0.tie })
    }()

    static let jobs: ListSchema<JobItem> = jobSchema(defaultOrder: ("created", true), withCommand: true)
    static let schedules: ListSchema<JobItem> = jobSchema(defaultOrder: nil, withCommand: false)

    static func jobSchema(defaultOrder: (field: String, descending: Bool)?, withCommand: Bool) -> ListSchema<JobItem> {
        var keys = clusterKeys { (item: JobItem) in item.context }
        if withCommand {
            keys["xid_cid"] = nil
            keys["job_command"] = { $0.command }
        }
        keys["job_id"] = { String($0.jobID) }
        keys["status"] = { $0.status }
        var sorts: [String: @Sendable (JobItem) -> ListSchema<JobItem>.SortKey] = [
            "cluster_id": { .number($0.context.clusterID) }, "job_id": { .number($0.jobID) }, "status": { .text($0.status) },
            "title": { .text($0.title) }, "created": { .number($0.created) },
        ]
        if withCommand { sorts["job_command"] = { .text($0.command) } }
        return ListSchema(filterKeys: keys, listKeys: ["tags": { $0.context.tags }], sortFields: sorts, defaultOrder: defaultOrder,
                          tieBreak: { $0.tie })
    }

    static let backups: ListSchema<BackupItem> = {
        var keys = clusterKeys { (item: BackupItem) in item.context }
        keys["backup_id"] = { String($0.backupID) }
        keys["status"] = { $0.status }
        keys["method"] = { $0.method }
        return ListSchema(filterKeys: keys, listKeys: ["tags": { $0.context.tags }],
                          sortFields: ["cluster_id": { .number($0.context.clusterID) }, "status": { .text($0.status) },
                                       "method": { .text($0.method) }, "id": { .number($0.backupID) },
                                       "backup_id": { .number($0.backupID) }, "created": { .number($0.created) }],
                          defaultOrder: ("created", true), tieBreak: { $0.tie })
    }()
}

/// The backups list's schema, for benchmarks that time its parts.
public enum HubSchemasProbe {
    public static var backups: ListSchema<BackupItem> { HubSchemas.backups }
}
