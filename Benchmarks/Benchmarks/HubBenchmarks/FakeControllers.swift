import Foundation
import Hummingbird
import KeepwatchCore
import KeepwatchHub

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

/// Where a refresh's time goes, per simulated controller: parsing its replies, and turning them into items.
enum RefreshCost {
    static func measure(_ fake: FakeControllers) {
        let replies = fake.replies()
        let bytes = [replies["clusters"], replies["backups"]].compactMap { $0 }.map { Array(buffer: $0) }
        let rounds = 200
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<rounds { for reply in bytes { _ = try? JSONParser.parse(bytes: reply) } }
        let parse = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(rounds)
        let parsed = bytes.compactMap { try? JSONParser.parse(bytes: $0) }
        let written = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<rounds { for value in parsed { _ = JSONWriter.text(value) } }
        let write = Double(DispatchTime.now().uptimeNanoseconds - written) / 1e9 / Double(rounds)
        print("per controller: \(bytes.map(\.count).reduce(0, +) >> 10) KB of replies, parse \(String(format: "%.2f", parse * 1000)) ms, write \(String(format: "%.2f", write * 1000)) ms")
    }
}

/// `backups/list`'s query over 100,000 synthetic items, one filter at a time, to see what each costs.
enum ListCost {
    static func measure() throws {
        let ref = SourceRef(xid: "chebjd8gfi863qqhrolg", controllerID: "c", url: "u", kind: .cmon)
        let contexts = (1...10).map { ClusterContext(source: ref, clusterID: Int64($0), clusterType: "REPLICATION", tags: ["bench", $0 % 2 == 0 ? "even" : "odd"]) }
        let items = (0..<100_000).map { index in
            BackupItem(context: contexts[index % 10], backupID: Int64(index), status: index % 11 == 0 ? "Failed" : "Completed",
                       method: "full", created: Int64(1_700_000_000 - index * 600), text: "{}")
        }
        let cases: [(String, ListRequest)] = [
            ("no filter, page 3", ListRequest(page: 3, perPage: 50)),
            ("status", ListRequest(page: 3, perPage: 50, filters: [ListFilter(key: "status", value: "Completed")])),
            ("tags", ListRequest(page: 3, perPage: 50, filters: [ListFilter(key: "tags", matchAll: ["even"])])),
            ("status+tags, created desc", ListRequest(page: 3, perPage: 50, order: "created desc",
                                                      filters: [ListFilter(key: "status", value: "Completed"), ListFilter(key: "tags", matchAll: ["even"])])),
            ("status, full sort", ListRequest(order: "created", filters: [ListFilter(key: "status", value: "Completed")])),
        ]
        for (name, request) in cases {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<20 { _ = ListQuery.apply(request, to: items, schema: HubSchemasProbe.backups) }
            print("\(name): \(String(format: "%.2f", Double(DispatchTime.now().uptimeNanoseconds - start) / 20 / 1e6)) ms")
        }
    }
}
