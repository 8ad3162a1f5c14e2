import KeepwatchCore

/// cmon's objects turned into index items, each served as cmon wrote it plus the source's keys.
enum CmonRecords {
    /// Clusters with their hosts; `scheduleCount` per cluster id from the scheduled backup jobs.
    static func clusters(_ objects: [JSONValue], source: SourceRef, schedules: [Int64: Int]) -> [ClusterItem] {
        objects.compactMap { value in
            guard var object = value.objectValue, let clusterID = JSONFields.int(object["cluster_id"]) else { return nil }
            let type = JSONFields.text(object["cluster_type"])
            let tags = JSONFields.texts(object["tags"])
            let context = ClusterContext(source: source, clusterID: clusterID, clusterType: type, tags: tags)
            let hostObjects = object["hosts"]?.arrayValue ?? []
            let hosts = hostObjects.compactMap { host(from: $0, context: context) }
            object["Key"] = .string(source.key(cluster: clusterID))
            let withHosts = JSONWriter.text(.object(source.stamped(object)))
            object["hosts"] = .null
            return ClusterItem(source: source, clusterID: clusterID, name: JSONFields.text(object["cluster_name"]),
                               state: JSONFields.text(object["state"]), clusterType: type, tags: tags,
                               hosts: hosts.filter { $0.nodetype != "controller" }, listedHosts: hostObjects.count,
                               scheduleCount: schedules[clusterID] ?? 0, statusText: JSONFields.text(object["status_text"]),
                               text: JSONWriter.text(.object(source.stamped(object))), textWithHosts: withHosts)
        }
    }

    static func host(from value: JSONValue, context: ClusterContext) -> HostItem? {
        guard let object = value.objectValue else { return nil }
        let hostname = JSONFields.text(object["hostname"])
        let port = JSONFields.int(object["port"])
        let id = JSONFields.text(object["hostId"]).isEmpty ? "\(hostname):\(port.map(String.init) ?? "")" : JSONFields.text(object["hostId"])
        return HostItem(context: context, hostID: id, hostname: hostname, port: port, role: JSONFields.text(object["role"]),
                        nodetype: JSONFields.text(object["nodetype"]), hoststatus: JSONFields.text(object["hoststatus"]),
                        text: JSONWriter.text(.object(context.source.stamped(object))))
    }

    static func alarm(_ value: JSONValue, context: ClusterContext) -> AlarmItem? {
        guard let object = value.objectValue else { return nil }
        return AlarmItem(context: context, alarmID: JSONFields.int(object["alarm_id"]) ?? 0,
                         severityName: JSONFields.text(object["severity_name"]), typeName: JSONFields.text(object["type_name"]),
                         hostname: JSONFields.text(object["hostname"]), componentName: JSONFields.text(object["component_name"]),
                         ignored: JSONFields.int(object["ignored"]).map(String.init) ?? "0",
                         created: JSONFields.seconds(object["created"]),
                         text: JSONWriter.text(.object(context.source.stamped(object))))
    }

    static func job(_ value: JSONValue, contexts: [Int64: ClusterContext], source: SourceRef) -> JobItem? {
        guard let object = value.objectValue else { return nil }
        let clusterID = JSONFields.int(object["cluster_id"]) ?? 0
        let context = contexts[clusterID] ?? ClusterContext(source: source, clusterID: clusterID, clusterType: "", tags: [])
        return JobItem(context: context, jobID: JSONFields.int(object["job_id"]) ?? 0, command: command(of: object),
                       status: JSONFields.text(object["status"]), title: JSONFields.text(object["title"]),
                       created: JSONFields.seconds(object["created"]), text: JSONWriter.text(.object(source.stamped(object))))
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

    static func backup(_ value: JSONValue, contexts: [Int64: ClusterContext], source: SourceRef) -> BackupItem? {
        guard var object = value.objectValue, let metadata = object["metadata"]?.objectValue else { return nil }
        let clusterID = JSONFields.int(metadata["cid"]) ?? 0
        let context = contexts[clusterID] ?? ClusterContext(source: source, clusterID: clusterID, clusterType: "", tags: [])
        object["Key"] = .string(source.key(cluster: clusterID))
        return BackupItem(context: context, backupID: JSONFields.int(metadata["id"]) ?? 0, status: JSONFields.text(metadata["status"]),
                          method: JSONFields.text(metadata["method"]), created: JSONFields.seconds(metadata["created"]),
                          text: JSONWriter.text(.object(source.stamped(object))))
    }
}
