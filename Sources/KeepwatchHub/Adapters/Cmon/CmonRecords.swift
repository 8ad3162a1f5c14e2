import KeepwatchCore

/// cmon's objects turned into index items, each served as cmon wrote it plus the source's keys.
enum CmonRecords {
    /// Clusters with their hosts; `scheduleCount` per cluster id from the scheduled backup jobs.
    static func clusters(_ objects: [RemoteObject], source: SourceRef, schedules: [Int64: Int]) -> [ClusterItem] {
        objects.compactMap { object in
            guard let clusterID = JSONFields.int(object["cluster_id"]) else { return nil }
            let type = JSONFields.text(object["cluster_type"])
            let tags = JSONFields.texts(object["tags"])
            let context = ClusterContext(source: source, clusterID: clusterID, clusterType: type, tags: tags)
            let hostObjects = object.objects("hosts")
            let hosts = hostObjects.map { host(from: $0, context: context) }
            let key: [(key: String, value: JSONValue)] = [("Key", .string(source.key(cluster: clusterID)))]
            return ClusterItem(source: source, clusterID: clusterID, name: JSONFields.text(object["cluster_name"]),
                               state: JSONFields.text(object["state"]), clusterType: type, tags: tags,
                               hosts: hosts.filter { $0.nodetype != "controller" }, listedHosts: object["hosts"]?.arrayValue?.count ?? 0,
                               scheduleCount: schedules[clusterID] ?? 0, statusText: JSONFields.text(object["status_text"]),
                               text: source.stampedText(object, extra: key, replacing: ("hosts", .null)),
                               textWithHosts: source.stampedText(object, extra: key))
        }
    }

    static func host(from object: RemoteObject, context: ClusterContext) -> HostItem {
        let hostname = JSONFields.text(object["hostname"])
        let port = JSONFields.int(object["port"])
        let id = JSONFields.text(object["hostId"]).isEmpty ? "\(hostname):\(port.map(String.init) ?? "")" : JSONFields.text(object["hostId"])
        return HostItem(context: context, hostID: id, hostname: hostname, port: port, role: JSONFields.text(object["role"]),
                        nodetype: JSONFields.text(object["nodetype"]), hoststatus: JSONFields.text(object["hoststatus"]),
                        text: context.source.stampedText(object))
    }

    static func alarm(_ object: RemoteObject, context: ClusterContext) -> AlarmItem {
        AlarmItem(context: context, alarmID: JSONFields.int(object["alarm_id"]) ?? 0,
                  severityName: JSONFields.text(object["severity_name"]), typeName: JSONFields.text(object["type_name"]),
                  hostname: JSONFields.text(object["hostname"]), componentName: JSONFields.text(object["component_name"]),
                  ignored: JSONFields.int(object["ignored"]).map(String.init) ?? "0",
                  created: JSONFields.seconds(object["created"]),
                  text: context.source.stampedText(object))
    }

    static func job(_ object: RemoteObject, contexts: [Int64: ClusterContext], source: SourceRef) -> JobItem? {
        let clusterID = JSONFields.int(object["cluster_id"]) ?? 0
        let context = contexts[clusterID] ?? ClusterContext(source: source, clusterID: clusterID, clusterType: "", tags: [])
        return JobItem(context: context, jobID: JSONFields.int(object["job_id"]) ?? 0, command: command(of: object.value),
                       status: JSONFields.text(object["status"]), title: JSONFields.text(object["title"]),
                       created: JSONFields.seconds(object["created"]), text: source.stampedText(object))
    }

    /// `job_spec.command`; cmon sometimes sends `job_spec` as a JSON string.
    static func command(of job: [String: JSONValue]) -> String {
        switch job["job_spec"] {
        case .object(let spec)?: return JSONFields.text(spec["command"])
        case .string(let text)?:
            return (try? JSONParser.parse(bytes: Array(text.utf8)))?.objectValue.map { JSONFields.text($0["command"]) } ?? ""
        default: return ""
        }
    }

    static func backup(_ object: RemoteObject, contexts: [Int64: ClusterContext], source: SourceRef) -> BackupItem? {
        guard let metadata = object["metadata"]?.objectValue else { return nil }
        let clusterID = JSONFields.int(metadata["cid"]) ?? 0
        let context = contexts[clusterID] ?? ClusterContext(source: source, clusterID: clusterID, clusterType: "", tags: [])
        return BackupItem(context: context, backupID: JSONFields.int(metadata["id"]) ?? 0, status: JSONFields.text(metadata["status"]),
                          method: JSONFields.text(metadata["method"]), created: JSONFields.seconds(metadata["created"]),
                          text: source.stampedText(object, extra: [("Key", .string(source.key(cluster: clusterID)))]))
    }
}
