import Foundation
import KeepwatchCore

/// A ClusterControl controller: `info ping` (id and version), then, signed in, every cluster with its hosts and
/// tags, each cluster's alarms, the job instances of the last `fetch_jobs_hours`, the scheduled backup jobs, and the
/// backups of the last `fetch_backups_days` (pages until an older one appears, as cmon-proxy reads them).
final class CmonAdapter: SourceAdapter {
    let session: CmonSession
    static let pageSize = 100

    init(http: SourceHTTPClient) {
        session = CmonSession(http: http)
    }

    func refresh(_ source: SourceDefinition, settings: HubSettings) async throws -> SourceSnapshot {
        var snapshot = SourceSnapshot()
        // `info ping` needs no session; a controller without it still answers the rest once signed in.
        let info = try? await session.info(source, settings: settings)
        let now = Int64(Date().timeIntervalSince1970)
        let clusterReply = try await session.call("clusters", [
            "operation": "getAllClusterInfo", "with_hosts": true, "with_license_check": true, "with_tags": true,
        ], source: source, settings: settings)
        let signedInAs = await session.controllerID
        snapshot.controllerID = JSONFields.text(info?["controller_id"]).nonEmpty ?? signedInAs ?? ""
        if let version = JSONFields.text(info?["package_version"]).nonEmpty {
            snapshot.version = version
        } else {
            snapshot.version = await version(source, settings: settings)
        }
        let ref = SourceRef(xid: source.xid, controllerID: snapshot.controllerID, url: source.url, kind: .cmon)
        snapshot.clustersUpdated = Self.processed(clusterReply.value, now: now)
        let clusterObjects = clusterReply.objects("clusters")

        let scheduled = try await session.call("jobs", ["operation": "getJobInstances", "show_scheduled": true],
                                                source: source, settings: settings)
        let scheduledJobs = scheduled.objects("jobs").filter { CmonRecords.command(of: $0.value) == "backup" }
        var perCluster: [Int64: Int] = [:]
        for job in scheduledJobs { perCluster[JSONFields.int(job["cluster_id"]) ?? 0, default: 0] += 1 }

        snapshot.clusters = CmonRecords.clusters(clusterObjects, source: ref, schedules: perCluster)
        snapshot.hosts = snapshot.clusters.flatMap(\.hosts)
        var contexts: [Int64: ClusterContext] = [:]
        for cluster in snapshot.clusters {
            contexts[cluster.clusterID] = ClusterContext(source: ref, clusterID: cluster.clusterID, clusterType: cluster.clusterType, tags: cluster.tags)
        }
        snapshot.alarms = try await alarms(for: snapshot.clusters, contexts: contexts, source: source, settings: settings)
        snapshot.schedules = scheduledJobs.compactMap { CmonRecords.job($0, contexts: contexts, source: ref) }

        let jobsSince = now - Int64(settings.fetchJobsHours) * 3600
        let jobObjects = snapshot.clusters.isEmpty ? [] : try await pages(module: "jobs", key: "jobs", request: [
            "operation": "getJobInstances", "cluster_ids": .array(snapshot.clusters.map { .number(Double($0.clusterID)) }),
        ], since: jobsSince, created: { JSONFields.seconds($0["created"]) }, source: source, settings: settings)
        snapshot.jobs = jobObjects.compactMap { CmonRecords.job($0, contexts: contexts, source: ref) }
        snapshot.jobsUpdated = JSONFields.rfc3339(now)

        let backupsSince = now - Int64(settings.fetchBackupsDays) * 86_400
        let backupObjects = try await pages(module: "backup", key: "backup_records", request: [
            "operation": "getBackups", "ascending": false, "parent_id": 0, "backup_record_version": 2,
        ], since: backupsSince, created: { JSONFields.seconds($0["metadata"]?.objectValue?["created"]) }, source: source, settings: settings)
        snapshot.backups = backupObjects.compactMap { CmonRecords.backup($0, contexts: contexts, source: ref) }
        snapshot.backupsUpdated = JSONFields.rfc3339(now)
        return snapshot
    }

    /// `alarm getAlarms` for each cluster, four clusters at a time.
    func alarms(for clusters: [ClusterItem], contexts: [Int64: ClusterContext], source: SourceDefinition,
                settings: HubSettings) async throws -> [AlarmItem] {
        var results: [Int: [AlarmItem]] = [:]
        try await withThrowingTaskGroup(of: (Int, [AlarmItem]).self) { group in
            var next = 0
            func launch() {
                guard next < clusters.count else { return }
                let index = next
                let cluster = clusters[index]
                next += 1
                group.addTask { [session] in
                    let reply = try await session.call("alarm", ["operation": "getAlarms", "cluster_id": .number(Double(cluster.clusterID))],
                                                       source: source, settings: settings)
                    let context = contexts[cluster.clusterID] ?? ClusterContext(source: cluster.source, clusterID: cluster.clusterID,
                                                                                clusterType: cluster.clusterType, tags: cluster.tags)
                    return (index, reply.objects("alarms").map { CmonRecords.alarm($0, context: context) })
                }
            }
            for _ in 0..<4 { launch() }
            while let (index, alarms) = try await group.next() {
                results[index] = alarms
                launch()
            }
        }
        return (0..<clusters.count).flatMap { results[$0] ?? [] }
    }

    /// Newest first, a page at a time, until a record older than `since`, a short page, or `total`.
    func pages(module: String, key: String, request: [String: JSONValue], since: Int64,
               created: ([String: JSONValue]) -> Int64, source: SourceDefinition, settings: HubSettings) async throws -> [RemoteObject] {
        var collected: [RemoteObject] = []
        var offset = 0
        var previousFirst: [String: JSONValue]?
        while true {
            var body = request
            body["limit"] = .number(Double(Self.pageSize))
            body["offset"] = .number(Double(offset))
            let reply = try await session.call(module, body, source: source, settings: settings)
            let page = reply.objects(key)
            let listed = reply[key]?.arrayValue?.count ?? 0
            // A controller that ignores `offset` sends the same page again: stop rather than read it forever.
            if let first = page.first?.value, first == previousFirst { return collected }
            previousFirst = page.first?.value
            var older = false
            for record in page {
                let when = created(record.value)
                if when != 0 && when < since { older = true; continue }
                collected.append(record)
            }
            offset += listed
            let total = JSONFields.int(reply["total"]).map(Int.init) ?? Int.max
            if older || listed < Self.pageSize || offset >= total || offset >= 1_000_000 { return collected }
        }
    }

    /// `clusters ping`'s `package_version`, for controllers without `info`.
    func version(_ source: SourceDefinition, settings: HubSettings) async -> String {
        let reply = try? await session.call("clusters", ["operation": "ping", "cluster_id": 0], source: source, settings: settings)
        return JSONFields.text(reply?["package_version"])
    }

    /// cmon's `request_processed`, or the time of the fetch.
    static func processed(_ reply: [String: JSONValue], now: Int64) -> String {
        let text = JSONFields.text(reply["request_processed"])
        return text.isEmpty ? JSONFields.rfc3339(now) : text
    }
}
