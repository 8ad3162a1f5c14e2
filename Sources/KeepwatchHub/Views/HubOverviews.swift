import KeepwatchCore

/// The `/proxy/*/status` overview maps, counted as cmon-proxy counts them: clusters and alarms by source xid
/// (alarms also by URL), jobs and backups by source URL; the `tags` filter (and `ignored` for alarms) apply.
public enum HubOverviews {
    typealias Counts = [String: Int]

    static func counts(_ counts: Counts) -> JSONValue { .object(counts.mapValues { .number(Double($0)) }) }

    static func tagsPass(_ tags: [String], _ filters: [ListFilter]) -> Bool {
        guard let filter = filters.first(where: { $0.key == "tags" }) else { return true }
        return filter.passes(all: tags)
    }

    static func omittingEmpty(_ object: [String: JSONValue]) -> [String: JSONValue] {
        object.filter { _, value in
            if case .object(let members) = value { return !members.isEmpty }
            return true
        }
    }

    /// `by_cluster_type`: per type its counts and, inside, its counts per source.
    static func typed<Tally>(_ byType: [String: (tally: Tally, byController: [String: Tally])],
                             json: KeyPath<Tally, [String: JSONValue]>) -> JSONValue {
        .object(byType.mapValues { entry in
            var object = entry.tally[keyPath: json]
            object["by_controller"] = .object(entry.byController.mapValues { .object($0[keyPath: json]) })
            return .object(object)
        })
    }

    // MARK: clusters/status

    struct ClusterTally {
        var clusterStates: Counts = [:], clustersCount: Counts = [:], nodesCount: Counts = [:], nodeStates: Counts = [:]
        var json: [String: JSONValue] {
            omittingEmpty(["cluster_states": counts(clusterStates), "clusters_count": counts(clustersCount),
                           "nodes_count": counts(nodesCount), "node_states": counts(nodeStates)])
        }
    }

    public static func clusters(filters: [ListFilter], states: [SourceState]) -> JSONValue {
        var top = ClusterTally()
        var byType: [String: ClusterTally] = [:]
        var byController: [String: JSONValue] = [:]
        for source in states where HubLists.passesSourceFilters(source.ref, filters) {
            let url = source.definition.url
            var controllerStates: Counts = [:], controllerNodes: Counts = [:]
            var byCluster: [String: JSONValue] = [:]
            var any = false
            for cluster in source.snapshot.clusters where tagsPass(cluster.tags, filters) {
                any = true
                var typed = byType[cluster.clusterType] ?? ClusterTally()
                let nodes = source.definition.kind == .cmon ? max(cluster.listedHosts - 1, 0) : cluster.hosts.count
                top.clusterStates[cluster.state, default: 0] += 1
                typed.clusterStates[cluster.state, default: 0] += 1
                top.clustersCount[url, default: 0] += 1
                typed.clustersCount[url, default: 0] += 1
                top.nodesCount[url, default: 0] += nodes
                typed.nodesCount[url, default: 0] += nodes
                controllerStates[cluster.state, default: 0] += 1
                var clusterNodes: Counts = [:]
                for host in cluster.hosts {
                    top.nodeStates[host.hoststatus, default: 0] += 1
                    typed.nodeStates[host.hoststatus, default: 0] += 1
                    controllerNodes[host.hoststatus, default: 0] += 1
                    clusterNodes[host.hoststatus, default: 0] += 1
                }
                byCluster[String(cluster.clusterID)] = .object(omittingEmpty(["node_states": counts(clusterNodes)]))
                byType[cluster.clusterType] = typed
            }
            guard any else { continue }
            byController[source.xid] = .object(omittingEmpty([
                "cluster_states": counts(controllerStates), "node_states": counts(controllerNodes), "by_cluster": .object(byCluster),
            ]))
        }
        var object = top.json
        object["by_cluster_type"] = .object(byType.mapValues { .object($0.json) })
        object["by_controller"] = .object(byController)
        return .object(omittingEmpty(object))
    }

    // MARK: alarms/status

    struct AlarmTally {
        var severities: Counts = [:], types: Counts = [:]
        mutating func add(_ alarm: AlarmItem) {
            severities[alarm.severityName, default: 0] += 1
            types[alarm.typeName, default: 0] += 1
        }
        var json: [String: JSONValue] { ["alarms_count": counts(severities), "alarm_types": counts(types)] }
    }

    public static func alarms(filters: [ListFilter], states: [SourceState]) -> JSONValue {
        let ignored = filters.first { $0.key == "ignored" }
        var top = AlarmTally()
        var byType: [String: (tally: AlarmTally, byController: [String: AlarmTally])] = [:]
        var byController: [String: JSONValue] = [:]
        for source in states where HubLists.passesSourceFilters(source.ref, filters) {
            var controller = AlarmTally()
            var byCluster: [String: JSONValue] = [:]
            let grouped = Dictionary(grouping: source.snapshot.alarms, by: \.context.clusterID)
            for cluster in source.snapshot.clusters where tagsPass(cluster.tags, filters) {
                var entry = byType[cluster.clusterType] ?? (AlarmTally(), [:])
                var clusterTally = AlarmTally()
                var typedController = entry.byController[source.xid] ?? AlarmTally()
                for alarm in grouped[cluster.clusterID] ?? [] where ignored?.passes(alarm.ignored) ?? true {
                    top.add(alarm)
                    entry.tally.add(alarm)
                    controller.add(alarm)
                    clusterTally.add(alarm)
                    typedController.add(alarm)
                }
                entry.byController[source.xid] = typedController
                entry.byController[source.definition.url] = typedController
                byType[cluster.clusterType] = entry
                byCluster[String(cluster.clusterID)] = .object(clusterTally.json)
            }
            // Alarms of the node itself (cluster 0: its failing checks) belong to no cluster; no tag selects them.
            let listed = Set(source.snapshot.clusters.map(\.clusterID))
            if !filters.contains(where: { $0.key == "tags" }) {
                for (clusterID, alarms) in grouped where !listed.contains(clusterID) {
                    var clusterTally = AlarmTally()
                    for alarm in alarms where ignored?.passes(alarm.ignored) ?? true {
                        top.add(alarm)
                        controller.add(alarm)
                        clusterTally.add(alarm)
                    }
                    byCluster[String(clusterID)] = .object(clusterTally.json)
                }
            }
            var object = controller.json
            if !byCluster.isEmpty { object["by_cluster"] = .object(byCluster) }
            byController[source.xid] = .object(object)
            byController[source.definition.url] = .object(object)
        }
        var object = top.json
        if !byController.isEmpty { object["by_controller"] = .object(byController) }
        if !byType.isEmpty { object["by_cluster_type"] = typed(byType, json: \.json) }
        return .object(object)
    }

    // MARK: jobs/status

    struct JobTally {
        var statuses: Counts = [:], commands: Counts = [:]
        mutating func add(_ job: JobItem) {
            statuses[job.status, default: 0] += 1
            commands[job.command, default: 0] += 1
        }
        var json: [String: JSONValue] { ["job_count": counts(statuses), "job_commands": counts(commands)] }
    }

    public static func jobs(filters: [ListFilter], states: [SourceState]) -> JSONValue {
        var top = JobTally()
        var byType: [String: (tally: JobTally, byController: [String: JobTally])] = [:]
        var byController: [String: JSONValue] = [:]
        for source in states where HubLists.passesSourceFilters(source.ref, filters) {
            let url = source.definition.url
            var controller = JobTally()
            for job in source.snapshot.jobs where tagsPass(job.context.tags, filters) {
                var entry = byType[job.context.clusterType] ?? (JobTally(), [:])
                top.add(job)
                entry.tally.add(job)
                controller.add(job)
                entry.byController[url, default: JobTally()].add(job)
                byType[job.context.clusterType] = entry
            }
            byController[url] = .object(controller.json)
        }
        var object = top.json
        if !byController.isEmpty { object["by_controller"] = .object(byController) }
        if !byType.isEmpty { object["by_cluster_type"] = typed(byType, json: \.json) }
        return .object(object)
    }

    // MARK: backups/status

    struct BackupTally {
        var statuses: Counts = [:], missing = 0, schedules = 0
        /// A cluster without a scheduled backup is a missing schedule.
        mutating func count(_ cluster: ClusterItem) {
            if cluster.scheduleCount == 0 { missing += 1 }
            schedules += cluster.scheduleCount
        }
        var json: [String: JSONValue] {
            ["backups_count": counts(statuses), "missing_schedules": .number(Double(missing)), "schedules_count": .number(Double(schedules))]
        }
    }

    public static func backups(filters: [ListFilter], states: [SourceState]) -> JSONValue {
        var top = BackupTally()
        var byType: [String: BackupTally] = [:]
        var byController: [String: JSONValue] = [:]
        for source in states where HubLists.passesSourceFilters(source.ref, filters) {
            var controller = BackupTally()
            var controllerTypes: [String: BackupTally] = [:]
            for backup in source.snapshot.backups where tagsPass(backup.context.tags, filters) {
                let type = backup.context.clusterType
                top.statuses[backup.status, default: 0] += 1
                byType[type, default: BackupTally()].statuses[backup.status, default: 0] += 1
                controller.statuses[backup.status, default: 0] += 1
                controllerTypes[type, default: BackupTally()].statuses[backup.status, default: 0] += 1
            }
            for cluster in source.snapshot.clusters where tagsPass(cluster.tags, filters) {
                top.count(cluster)
                controller.count(cluster)
                byType[cluster.clusterType, default: BackupTally()].count(cluster)
                controllerTypes[cluster.clusterType, default: BackupTally()].count(cluster)
            }
            var object = controller.json
            if !controllerTypes.isEmpty { object["by_cluster_type"] = .object(controllerTypes.mapValues { .object($0.json) }) }
            byController[source.definition.url] = .object(object)
        }
        var object = top.json
        if !byController.isEmpty { object["by_controller"] = .object(byController) }
        if !byType.isEmpty { object["by_cluster_type"] = .object(byType.mapValues { .object($0.json) }) }
        return .object(object)
    }
}
