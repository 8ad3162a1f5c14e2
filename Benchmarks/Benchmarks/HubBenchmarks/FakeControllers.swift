import Foundation
import Hummingbird
import KeepwatchCore

/// Any number of ClusterControl controllers on one loopback port, one per path prefix (`/c17/v2/clusters`), each
/// holding `clusters` clusters of `hostsPerCluster` hosts (plus a controller host), an alarm per cluster and
/// `backups` backups. Replies are written once and served to every controller.
struct FakeControllers {
    let clusters: Int
    let hostsPerCluster: Int
    let backups: Int

    func replies() -> [String: ByteBuffer] {
        let now = ISO8601DateFormatter().string(from: Date())
        var clusterObjects: [JSONValue] = []
        for cluster in 1...clusters {
            var hosts: [JSONValue] = [["hostId": .number(Double(cluster * 1000)), "hostname": "10.0.0.1", "port": 9500,
                                       "hoststatus": "CmonHostOnline", "nodetype": "controller", "role": "controller"]]
            for host in 1...hostsPerCluster {
                hosts.append(["hostId": .number(Double(cluster * 1000 + host)), "hostname": .string("10.\(cluster).0.\(host)"),
                              "port": 3306, "hoststatus": host == 1 ? "CmonHostShutDown" : "CmonHostOnline", "nodetype": "mysql",
                              "role": host == 1 ? "master" : "slave", "clusterid": .number(Double(cluster)), "class_name": "CmonMySqlHost"])
            }
            clusterObjects.append(["cluster_id": .number(Double(cluster)), "cluster_name": .string("cluster-\(cluster)"),
                                   "cluster_type": cluster % 2 == 0 ? "REPLICATION" : "POSTGRESQL_SINGLE",
                                   "state": cluster % 7 == 0 ? "DEGRADED" : "STARTED", "tags": ["bench", cluster % 2 == 0 ? "even" : "odd"],
                                   "class_name": "CmonClusterInfo", "hosts": .array(hosts)])
        }
        var backupObjects: [JSONValue] = []
        for backup in 1...backups {
            let created = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-Double(backup) * 600))
            backupObjects.append(["metadata": ["id": .number(Double(backup)), "cid": .number(Double(backup % clusters + 1)),
                                               "method": backup % 3 == 0 ? "xtrabackupincr" : "xtrabackupfull",
                                               "status": backup % 11 == 0 ? "Failed" : "Completed", "created": .string(created),
                                               "class_name": "CmonBackupRecord", "total_datadir_size": 123_456_789],
                                  "host_locations": [["host": "10.0.0.2", "root_dir": "/backups"]], "cloud_locations": []])
        }
        let alarm: JSONValue = ["request_status": "Ok", "alarms": [["alarm_id": 1, "cluster_id": 1, "component_name": "Backup",
                                                                    "created": .string(now), "severity_name": "ALARM_WARNING",
                                                                    "type_name": "BackupFailed", "ignored": 0]]]
        func buffer(_ value: JSONValue) -> ByteBuffer { ByteBuffer(string: JSONWriter.text(value)) }
        return [
            "info": buffer(["request_status": "Ok", "controller_id": "bench", "package_version": "2.2.0"]),
            "auth": buffer(["request_status": "Ok", "user": ["user_name": "bench"]]),
            "clusters": buffer(["request_status": "Ok", "request_processed": .string(now), "clusters": .array(clusterObjects)]),
            "alarm": buffer(alarm),
            "jobs": buffer(["request_status": "Ok", "jobs": [], "total": 0]),
            "backups": buffer(["request_status": "Ok", "backup_records": .array(backupObjects), "total": .number(Double(backups))]),
            "empty": buffer(["request_status": "Ok", "backup_records": [], "total": .number(Double(backups))]),
        ]
    }

    /// Serves until cancelled; calls `ready` with the port.
    func serve(ready: @escaping @Sendable (Int) async -> Void) async throws {
        let replies = replies()
        let router = Router()
        router.post("/{controller}/v2/{module}") { request, context -> Response in
            let module = context.parameters.get("module") ?? ""
            var key = module
            if module == "backup" {
                let body = try await request.body.collect(upTo: 1 << 20)
                let offset = (try? JSONParser.parse(bytes: Array(buffer: body)))?.objectValue?["offset"]?.int64Value ?? 0
                key = offset == 0 ? "backups" : "empty"
            }
            var headers: HTTPFields = [.contentType: "application/json"]
            if module == "auth" { headers[.setCookie] = "cmon-sid=bench; Path=/" }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: replies[key] ?? replies["jobs"] ?? ByteBuffer()))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in await ready(channel.localAddress?.port ?? 0) })
        try await app.runService()
    }
}
