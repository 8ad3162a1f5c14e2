import Foundation
import Testing

/// cmon-proxy's `/proxy/*` views over a ClusterControl controller (a fake speaking cmon RPC v2 on loopback),
/// through the real binary: every count and every list checked against values computed by hand from the fixture.
@Suite(.serialized) struct HubViewTests {
    static func ids(_ items: Any?, _ key: String) -> [Int] {
        (items as? [[String: Any]] ?? []).compactMap { $0[key] as? Int }
    }

    static func backupIDs(_ reply: [String: Any]) -> [Int] {
        (reply["backups"] as? [[String: Any]] ?? []).compactMap { ($0["metadata"] as? [String: Any])?["id"] as? Int }
    }

    func withController(_ body: (NodeProcess, FakeSource, String) async throws -> Void) async throws {
        let node = try NodeProcess()
        let cmon = try await FakeSource(kind: "cmon", fixture: HubFixtures.cmon(), in: node.root)
        try await node.start()
        let added = try await node.addSource(["url": cmon.url, "name": "cc1", "username": "admin", "password": "secret"])
        #expect(added["status"] as? String == "ok", "\(added)")
        let xid = try #require(added["xid"] as? String)
        #expect(xid.count == 20)
        try await body(node, cmon, xid)
        await node.stop()
        cmon.stop()
    }

    @Test func overviewMapsCountWhatCmonProxyCounts() async throws {
        try await withController { node, cmon, xid in
            let url = cmon.url
            let clusters = try await node.view("/proxy/clusters/status")
            #expect(clusters["cluster_states"] as? [String: Int] == ["STARTED": 1, "DEGRADED": 1])
            #expect(clusters["clusters_count"] as? [String: Int] == [url: 2])
            #expect(clusters["nodes_count"] as? [String: Int] == [url: 3], "len(hosts)-1 per cluster")
            #expect(clusters["node_states"] as? [String: Int] == ["CmonHostOnline": 2, "CmonHostShutDown": 1], "controllers are not nodes")
            let byController = try #require((clusters["by_controller"] as? [String: Any])?[xid] as? [String: Any])
            let byCluster = try #require(byController["by_cluster"] as? [String: [String: Any]])
            #expect(byCluster["1"]?["node_states"] as? [String: Int] == ["CmonHostOnline": 1, "CmonHostShutDown": 1])
            let byType = try #require(clusters["by_cluster_type"] as? [String: [String: Any]])
            #expect(byType["REPLICATION"]?["nodes_count"] as? [String: Int] == [url: 1])

            let tagged = try await node.view("/proxy/clusters/status", ["filters": [["key": "tags", "matchall": ["prod", "eu"]]]])
            #expect(tagged["cluster_states"] as? [String: Int] == ["STARTED": 1])
            #expect(tagged["nodes_count"] as? [String: Int] == [url: 2])

            let alarms = try await node.view("/proxy/alarms/status")
            #expect(alarms["alarms_count"] as? [String: Int] == ["ALARM_WARNING": 1, "ALARM_CRITICAL": 1])
            #expect(alarms["alarm_types"] as? [String: Int] == ["BackupFailed": 1, "HostCpuUsage": 1])
            let alarmControllers = try #require(alarms["by_controller"] as? [String: [String: Any]])
            #expect(alarmControllers[xid]?["alarms_count"] as? [String: Int] == ["ALARM_WARNING": 1, "ALARM_CRITICAL": 1])
            #expect(alarmControllers[url]?["alarms_count"] as? [String: Int] == ["ALARM_WARNING": 1, "ALARM_CRITICAL": 1], "keyed by URL too")

            let jobs = try await node.view("/proxy/jobs/status")
            #expect(jobs["job_count"] as? [String: Int] == ["FINISHED": 1, "FAILED": 1], "a job older than fetch_jobs_hours is left out")
            #expect(jobs["job_commands"] as? [String: Int] == ["backup": 2])
            #expect(((jobs["by_controller"] as? [String: Any])?[url] as? [String: Any])?["job_count"] as? [String: Int] == ["FINISHED": 1, "FAILED": 1])

            let backups = try await node.view("/proxy/backups/status")
            #expect(backups["backups_count"] as? [String: Int] == ["Completed": 1, "Failed": 1], "a backup older than fetch_backups_days is left out")
            #expect(backups["missing_schedules"] as? Int == 1)
            #expect(backups["schedules_count"] as? Int == 1)
            #expect(((backups["by_cluster_type"] as? [String: Any])?["REPLICATION"] as? [String: Any])?["missing_schedules"] as? Int == 1)
        }
    }

    @Test func listsFilterSortAndPageAsCmonProxyDocumentsWithItsDefectsFixed() async throws {
        try await withController { node, cmon, xid in
            let only = ["key": "xid", "value": xid]
            let all = try await node.view("/proxy/backups/list", ["filters": [only]])
            #expect(Self.backupIDs(all) == [7, 8], "default order is created desc")
            #expect(all["total"] as? Int == 2)
            let first = try #require((all["backups"] as? [[String: Any]])?.first)
            #expect(first["xid"] as? String == xid && first["controller_url"] as? String == cmon.url
                    && first["controller_id"] as? String == "926e81d6-cfde-41f1" && first["Key"] as? String == "\(xid)-1")
            #expect(((all["last_updated"] as? [String: String])?[cmon.url] ?? "").hasPrefix("20"))
            #expect(Self.backupIDs(try await node.view("/proxy/backups/list", ["filters": [only], "order": "created"])) == [8, 7])
            let paged = try await node.view("/proxy/backups/list", ["filters": [only], "page": 2, "perPage": 1])
            #expect(Self.backupIDs(paged) == [8] && paged["total"] as? Int == 2 && paged["page"] as? Int == 2 && paged["perPage"] as? Int == 1)
            #expect(Self.backupIDs(try await node.view("/proxy/backups/list", ["filters": [only], "page": 0, "perPage": 1])) == [7], "page 0 is page 1")
            #expect(Self.backupIDs(try await node.view("/proxy/backups/list", ["page": 9, "perPage": 5, "filters": [only]])) == [])
            #expect(Self.backupIDs(try await node.view("/proxy/backups/list", ["filters": [["key": "status", "value": "Failed"]]])) == [8])
            #expect(Self.backupIDs(try await node.view("/proxy/backups/list", ["filters": [["key": "cluster_id", "value": 2]]])) == [8])
            #expect(Self.backupIDs(try await node.view("/proxy/backups/list", ["filters": [["key": "xid_cid", "value": "\(xid)-1"]]])) == [7])
            #expect(Self.backupIDs(try await node.view("/proxy/backups/list", [
                "filters": [["key": "status", "values": ["Completed", "Failed"]], ["key": "method", "value": "xtrabackupfull"]],
            ])) == [8], "filters with different keys all apply")
            #expect(Self.backupIDs(try await node.view("/proxy/backups/list", ["filters": [["key": "tags", "matchall": ["eu"]]]])) == [7])
            #expect(Self.backupIDs(try await node.view("/proxy/backups/list", ["order": "backup_id desc", "filters": [only]])) == [8, 7])

            let clusters = try await node.view("/proxy/clusters/list", ["filters": [["key": "state", "values": ["DEGRADED", "FAILURE"]]]])
            #expect(Self.ids(clusters["clusters"], "cluster_id") == [2])
            let plain = try #require((try await node.view("/proxy/clusters/list", ["filters": [only]])["clusters"] as? [[String: Any]]))
            #expect(plain.map { $0["Key"] as? String } == ["\(xid)-1", "\(xid)-2"] && plain.allSatisfy { $0["hosts"] is NSNull })
            let withHosts = try #require(try await node.view("/proxy/clusters/list", ["with_hosts": true, "filters": [only]])["clusters"] as? [[String: Any]])
            #expect(withHosts.map { ($0["hosts"] as? [Any])?.count } == [3, 2])
            #expect(Self.ids(try await node.view("/proxy/clusters/list", ["order": "cluster_id desc", "filters": [only]])["clusters"], "cluster_id") == [2, 1])

            let hosts = try await node.view("/proxy/clusters/hosts", ["filters": [only]])
            #expect(hosts["total"] as? Int == 3, "controller hosts are not listed")
            let stopped = try await node.view("/proxy/clusters/hosts", ["filters": [["key": "hoststatus", "values": ["CmonHostOffLine", "CmonHostShutDown"]]]])
            #expect((stopped["hosts"] as? [[String: Any]])?.map { $0["hostname"] as? String } == ["10.0.0.3"])
            let byPort = try await node.view("/proxy/clusters/hosts", ["filters": [["key": "port", "value": 3306]]])
            #expect(Self.ids(byPort["hosts"], "hostId") == [5])

            let critical = try await node.view("/proxy/alarms/list", ["filters": [["key": "severity_name", "value": "ALARM_CRITICAL"]]])
            #expect(Self.ids(critical["alarms"], "alarm_id") == [12])
            #expect(Self.ids(try await node.view("/proxy/alarms/list", ["order": "created desc", "filters": [only]])["alarms"], "alarm_id") == [12, 11])

            let failedJobs = try await node.view("/proxy/jobs/list", ["filters": [["key": "job_command", "value": "backup"], ["key": "status", "value": "FAILED"]]])
            #expect(Self.ids(failedJobs["jobs"], "job_id") == [101])
            #expect(Self.ids(try await node.view("/proxy/jobs/list", ["filters": [only]])["jobs"], "job_id") == [101, 100])
            #expect(Self.ids(try await node.view("/proxy/backups/schedules", ["filters": [only]])["jobs"], "job_id") == [50])
            #expect(Self.ids(try await node.view("/proxy/clusters/missingSchedules", ["filters": [only]])["clusters"], "cluster_id") == [2])

            let get = try await node.get("/proxy/jobs/list")
            #expect(get.status == 200 && Self.ids(get.object["jobs"], "job_id").contains(101), "GET answers with the defaults")
        }
    }

    @Test func badListRequestsGetA400NamingTheProblem() async throws {
        try await withController { node, _, _ in
            for (body, words) in [("{\"page\":", "not valid JSON"), ("[1]", "JSON object"), ("{\"perPage\":-1}", "perPage"),
                                  ("{\"filters\":{}}", "filters"), ("{\"order\":5}", "order"), ("{\"with_hosts\":\"yes\"}", "with_hosts")] {
                let reply = try await node.request(.POST, "/proxy/clusters/list", rawBody: body, headers: [("Content-Type", "application/json")])
                #expect(reply.status == 400, "\(body): \(reply.status)")
                #expect(reply.object["type"] as? String == "InvalidRequest")
                #expect((reply.object["message"] as? String)?.contains(words) == true, "\(body): \(reply.body)")
            }
            #expect(try await node.get("/healthz").status == 200)
        }
    }

    @Test func controllerStatusesSayOkAuthenticationErrorOrFailed() async throws {
        let node = try NodeProcess()
        let cmon = try await FakeSource(kind: "cmon", fixture: HubFixtures.cmon(), in: node.root)
        let silent = try await FakeSource(kind: "cmon", fixture: HubFixtures.cmon(), in: node.root)
        try await silent.control(["mode": "hang"])
        try await node.start()
        func test(_ controller: [String: Any]) async throws -> [String: Any] {
            let reply = try await node.request(.POST, "/proxy/controllers/test", json: ["controller": controller])
            #expect(reply.status == 200, "\(reply.body)")
            return reply.object["controller"] as? [String: Any] ?? [:]
        }
        let ok = try await test(["url": cmon.url, "username": "admin", "password": "secret"])
        #expect(ok["status"] as? String == "ok" && ok["version"] as? String == "2.2.0" && ok["controller_id"] as? String == "926e81d6-cfde-41f1")
        let wrong = try await test(["url": cmon.url, "username": "admin", "password": "nope"])
        #expect(wrong["status"] as? String == "authentication-error")
        #expect((wrong["status_message"] as? String)?.contains("AccessDenied") == true, "\(wrong)")
        let closed = try await test(["url": "http://127.0.0.1:1", "username": "admin", "password": "secret"])
        #expect(closed["status"] as? String == "failed")
        #expect((closed["status_message"] as? String)?.contains("127.0.0.1:1") == true, "\(closed)")
        let started = Date()
        let hanging = try await test(["url": silent.url, "username": "admin", "password": "secret", "timeout": 2])
        #expect(hanging["status"] as? String == "failed")
        #expect((hanging["status_message"] as? String)?.contains("timeout") == true, "\(hanging)")
        #expect(Date().timeIntervalSince(started) < 30)
        let tested = try await node.get("/proxy/controllers/status").object["controllers"] as? [[String: Any]] ?? []
        #expect(tested.count == 1 && tested.first?["kind"] as? String == "local", "test saves nothing")
        await node.stop()
    }

    @Test func aControllerThatForgetsTheSessionIsSignedInAgain() async throws {
        try await withController { node, cmon, xid in
            try await cmon.control(["expire_sessions": true])
            let reply = try await node.view("/proxy/controllers/status", ["force_update": true])
            let status = (reply["controllers"] as? [[String: Any]])?.first { $0["xid"] as? String == xid }
            #expect(status?["status"] as? String == "ok", "\(String(describing: status))")
            let requests = try await cmon.requests()
            let signIns = requests.filter { ($0["path"] as? String) == "/v2/auth" }
            #expect(signIns.count >= 2, "one re-authentication after the 401")
            #expect(requests.filter { ($0["path"] as? String) == "/v2/clusters" }.allSatisfy { ($0["cookie"] as? String)?.contains("cmon-sid=") == true })
        }
    }

    @Test func v2PassthroughReachesTheControllerNamedByXidOrControllerID() async throws {
        try await withController { node, _, xid in
            let one = try await node.request(.POST, "/v2/clusters", json: ["xid": xid, "operation": "getAllClusterInfo", "with_hosts": false])
            #expect(one.status == 200 && one.object["xid"] as? String == xid, "\(one.body)")
            #expect((one.object["clusters"] as? [Any])?.count == 2)
            let byID = try await node.request(.POST, "/v2/jobs", json: ["controller_id": "926e81d6-cfde-41f1", "operation": "getJobInstances"])
            #expect(byID.status == 200 && (byID.object["jobs"] as? [Any]) != nil, "\(byID.body)")
            let missing = try await node.request(.POST, "/v2/clusters", json: ["operation": "getAllClusterInfo"])
            #expect(missing.status == 400 && missing.object["error_string"] as? String == "missing xid or controller_id from request")
            let unknown = try await node.request(.POST, "/v2/clusters", json: ["xid": "aaaaaaaaaaaaaaaaaaaa", "operation": "ping"])
            #expect(unknown.status == 404 && unknown.object["request_status"] as? String == "ObjectNotFound")
            let multi = try await node.request(.POST, "/v2multi/clusters", json: ["xids": [xid, "bbbbbbbbbbbbbbbbbbbb"], "operation": "ping"])
            #expect((multi.object[xid] as? [String: Any])?["xid"] as? String == xid, "\(multi.body)")
            #expect((multi.object["bbbbbbbbbbbbbbbbbbbb"] as? [String: Any])?["request_status"] as? String == "ObjectNotFound")
            let viewer = try await node.makeToken(role: "viewer", name: "v2viewer")
            let refused = try await node.request(.POST, "/v2/clusters", json: ["xid": xid, "operation": "ping"], credentials: .bearer(viewer))
            #expect(refused.status == 403, "passthrough is for operators")
        }
    }
}
