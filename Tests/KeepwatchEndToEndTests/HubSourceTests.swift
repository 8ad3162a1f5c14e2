import Foundation
import Testing

/// Each kind of source through the real binary — an mgob, the two Ethoscope daemons, a second Keepwatch node — and
/// what happens when a source misbehaves, is removed mid-refresh, or is managed from the command line.
@Suite(.serialized) struct HubSourceTests {
    static func names(_ reply: [String: Any], _ list: String = "clusters", key: String = "cluster_name") -> [String] {
        (reply[list] as? [[String: Any]] ?? []).compactMap { $0[key] as? String }
    }

    static func onlyXID(_ xid: String) -> [String: Any] { ["filters": [["key": "xid", "value": xid]]] }

    @Test func mgobPlansAreTargetsAndAFailedPlanIsAnAlarm() async throws {
        let node = try NodeProcess()
        let mgob = try await FakeSource(kind: "mgob", fixture: HubFixtures.mgobWithOneFailedPlan, in: node.root)
        try await node.start()
        let added = try await node.addSource(["kind": "mgob", "url": mgob.url, "name": "mongo-backups"])
        #expect(added["status"] as? String == "ok" && added["version"] as? String == "1.12.0", "\(added)")
        let xid = try #require(added["xid"] as? String)
        let clusters = try await node.view("/proxy/clusters/list", Self.onlyXID(xid))
        #expect(Self.names(clusters) == ["mongo-dev", "mongo-prod"].sorted() || Set(Self.names(clusters)) == ["mongo-dev", "mongo-prod"])
        let states = Dictionary(uniqueKeysWithValues: (clusters["clusters"] as? [[String: Any]] ?? []).map {
            ($0["cluster_name"] as? String ?? "", $0["state"] as? String ?? "")
        })
        #expect(states == ["mongo-dev": "FAILURE", "mongo-prod": "STARTED"])
        let alarms = try await node.view("/proxy/alarms/list", Self.onlyXID(xid))
        let alarm = try #require((alarms["alarms"] as? [[String: Any]])?.first)
        #expect(alarm["severity_name"] as? String == "ALARM_CRITICAL" && alarm["type_name"] as? String == "BackupFailed")
        #expect((alarm["message"] as? String)?.contains("exit status 1") == true)
        #expect((alarms["alarms"] as? [Any])?.count == 1)
        let backups = try await node.view("/proxy/backups/status")
        #expect(((backups["by_controller"] as? [String: Any])?[mgob.url] as? [String: Any])?["backups_count"] as? [String: Int] == ["Completed": 1])
        await node.stop()
    }

    static var mysqlBody: [String: Any] { [
        "aaa1": ["name": "ETHOSCOPE_001", "status": "running", "progress": ["status": "success", "message": "ok"], "synced": [:],
                 "processing": false, "count": 3, "started": 1752137404, "ended": 1752137405, "data_duplication": false],
        "bbb2": ["name": "ETHOSCOPE_002", "status": "stopped", "progress": ["status": "success", "message": "ok"], "synced": [:],
                 "processing": false, "count": 1, "started": 1752137404, "ended": 1752137405],
        "ccc3": ["name": "", "status": "stopped", "progress": ["status": "error", "message": "Backup failed"], "synced": [:],
                 "processing": false, "count": 2, "started": 1752137404, "ended": -1],
    ] }
    static var rsyncBody: [String: Any] { [
        "devices": [
            "aaa1": ["name": "ETHOSCOPE_001", "status": "running", "progress": ["status": "success", "message": "synced"],
                     "synced": ["results": ["local_files": 766, "disk_usage_bytes": 287646297933, "disk_usage_human": "267.9 GB"]],
                     "processing": true, "count": 818, "started": 1752137339, "ended": 1752137340, "metadata": [:]],
            "bbb2": ["name": "ETHOSCOPE_002", "status": "stopped", "progress": ["status": "error", "message": "rsync failed"],
                     "synced": [:], "processing": false, "count": 5, "started": 1752137339, "ended": 1752137340, "metadata": [:]],
            "ddd4": ["name": "ETHOSCOPE_004", "status": "stopped", "progress": ["status": "info", "message": "waiting"],
                     "synced": [:], "processing": false, "count": 0, "started": 0, "ended": 0, "metadata": [:]],
        ],
        "disk_usage_summary": ["results": ["total_files": 29119, "total_size_bytes": 11215763841541, "total_size_human": "10.2 TB"]],
    ] }

    @Test func ethoscopeMergesBothDaemonsPerDeviceAndSurvivesOneDying() async throws {
        let node = try NodeProcess()
        let mysql = try await FakeSource(kind: "ethoscope-mysql", fixture: ["status": Self.mysqlBody], in: node.root)
        let rsync = try await FakeSource(kind: "ethoscope-rsync", fixture: ["status": Self.rsyncBody], in: node.root)
        try await node.start()
        let added = try await node.addSource(["kind": "ethoscope", "url": "http://127.0.0.1", "name": "lab",
                                              "mysql_url": mysql.url + "/status", "rsync_url": rsync.url + "/status", "timeout": 3])
        #expect(added["status"] as? String == "ok", "\(added)")
        let xid = try #require(added["xid"] as? String)
        let status = try await node.get("/backup/status").object
        #expect(NSDictionary(dictionary: status["mysql_backup"] as? [String: Any] ?? [:]).isEqual(to: Self.mysqlBody), "raw 8090 body")
        #expect(NSDictionary(dictionary: status["rsync_backup"] as? [String: Any] ?? [:]).isEqual(to: Self.rsyncBody), "raw 8093 body")
        let unified = try #require(status["unified_devices"] as? [String: [String: Any]])
        #expect(unified.mapValues { $0["overall_status"] as? String } == ["aaa1": "success", "bbb2": "partial", "ccc3": "error", "ddd4": "unknown"])
        #expect(unified["ccc3"]?["name"] as? String == "DEVICE_ccc3", "an empty MySQL name and no rsync record give the placeholder")
        let onlyMySQL = try #require(unified["ccc3"]?["rsync_backup"] as? [String: Any])
        #expect(onlyMySQL["available"] as? Bool == false && onlyMySQL["status"] as? String == "not_available")
        #expect((unified["aaa1"]?["rsync_backup"] as? [String: Any])?["processing"] as? Bool == true)
        let states = Dictionary(uniqueKeysWithValues: (try await node.view("/proxy/clusters/list", Self.onlyXID(xid))["clusters"] as? [[String: Any]] ?? []).map {
            ($0["cluster_name"] as? String ?? "", $0["state"] as? String ?? "")
        })
        #expect(states == ["ETHOSCOPE_001": "STARTED", "ETHOSCOPE_002": "DEGRADED", "DEVICE_ccc3": "FAILURE", "ETHOSCOPE_004": "UNKNOWN"])
        let devices = try await node.get("/api/v1/devices").object["devices"] as? [[String: Any]] ?? []
        #expect(devices.first { $0["id"] as? String == "aaa1" }?["overall_status"] as? String == "success")

        mysql.stop()
        let afterOne = try await node.view("/proxy/controllers/status", ["force_update": true])
        let labStatus = (afterOne["controllers"] as? [[String: Any]])?.first { $0["xid"] as? String == xid }
        #expect(labStatus?["status"] as? String == "ok" && (labStatus?["status_message"] as? String ?? "").isEmpty == false, "\(String(describing: labStatus))")
        let halfDown = try await node.get("/backup/status").object
        #expect(halfDown["mysql_backup"] as? [String: String] == ["error": "MySQL backup service unavailable", "service": "mysql_backup"])
        #expect((halfDown["unified_devices"] as? [String: [String: Any]])?["aaa1"]?["overall_status"] as? String == "partial")
        let halfDevices = try await node.get("/api/v1/devices").object["devices"] as? [[String: Any]] ?? []
        #expect(halfDevices.first { $0["id"] as? String == "aaa1" }?["overall_status"] as? String == "partial", "the dead daemon still counts")

        rsync.stop()
        let afterBoth = try await node.view("/proxy/controllers/status", ["force_update": true])
        #expect((afterBoth["controllers"] as? [[String: Any]])?.first { $0["xid"] as? String == xid }?["status"] as? String == "failed")
        let down = try await node.get("/backup/status").object
        #expect(down["rsync_backup"] as? [String: String] == ["error": "Rsync backup service unavailable", "service": "rsync_backup"])
        #expect((down["unified_devices"] as? [String: Any])?.isEmpty == true)
        let kept = try await node.view("/proxy/clusters/list", Self.onlyXID(xid))
        #expect(kept["total"] as? Int == 3, "the views keep the last good data (rsync's three devices, from when only MySQL was down)")
        await node.stop()
    }

    @Test func anotherKeepwatchNodeIsASourceWithItsJobsRunsAndFailures() async throws {
        let remote = try NodeProcess()
        try await remote.start()
        for (id, command) in [("nightly", ["true"]), ("broken", ["false"])] {
            let job: [String: Any] = ["job_id": id, "job_schedule": ["status": "stop"],
                                      "job_actions": [["freezer_action": ["action": "exec", "command": command]]]]
            #expect(try await remote.request(.POST, "/api/v1/jobs", json: job).status == 201)
            #expect(try await remote.request(.POST, "/api/v1/jobs/\(id)/run").status == 202)
        }
        #expect(try await remote.eventually { try await remote.runs("broken").contains { $0["status"] as? String == "fail" } })
        #expect(try await remote.eventually { try await remote.runs("nightly").contains { $0["status"] as? String == "success" } })
        let viewerToken = try await remote.makeToken(role: "viewer", name: "hub")
        let hub = try NodeProcess()
        try await hub.start()
        let added = try await hub.addSource(["kind": "keepwatch", "url": remote.baseURL, "name": "site-b", "token": viewerToken])
        #expect(added["status"] as? String == "ok", "\(added)")
        let xid = try #require(added["xid"] as? String)
        let clusters = try await hub.view("/proxy/clusters/list", Self.onlyXID(xid))
        let states = Dictionary(uniqueKeysWithValues: (clusters["clusters"] as? [[String: Any]] ?? []).map {
            ($0["cluster_name"] as? String ?? "", $0["state"] as? String ?? "")
        })
        #expect(states == ["nightly": "STARTED", "broken": "FAILURE"], "\(clusters)")
        let alarms = try await hub.view("/proxy/alarms/list", ["filters": [["key": "xid", "value": xid], ["key": "severity_name", "value": "ALARM_CRITICAL"]]])
        #expect((alarms["alarms"] as? [Any])?.count == 1)
        let jobs = try await hub.view("/proxy/jobs/status")
        #expect(((jobs["by_controller"] as? [String: Any])?[remote.baseURL] as? [String: Any])?["job_count"] as? [String: Int] == ["FINISHED": 1, "FAILED": 1])
        let badToken = try await hub.request(.POST, "/proxy/controllers/test", json: ["controller": ["kind": "keepwatch", "url": remote.baseURL, "token": "kw_wrong"]])
        #expect((badToken.object["controller"] as? [String: Any])?["status"] as? String == "authentication-error", "\(badToken.body)")
        await hub.stop()
        await remote.stop()
    }

    @Test func aMisbehavingSourceFailsAloneAndKeepsItsLastGoodData() async throws {
        let node = try NodeProcess()
        let cmon = try await FakeSource(kind: "cmon", fixture: HubFixtures.cmon(), in: node.root)
        let steady = try await FakeSource(kind: "cmon", fixture: HubFixtures.cmon(), in: node.root)
        try await node.start()
        let xid = try #require(try await node.addSource(["url": cmon.url, "username": "admin", "password": "secret", "timeout": 3])["xid"] as? String)
        let steadyXID = try #require(try await node.addSource(["url": steady.url, "username": "admin", "password": "secret"])["xid"] as? String)
        for (mode, words) in [("garbage", "not valid JSON"), ("500", "500"), ("oversized", "larger than"), ("hang", "timeout")] {
            try await cmon.control(["mode": mode])
            let started = Date()
            let reply = try await node.view("/proxy/controllers/status", ["force_update": true])
            #expect(Date().timeIntervalSince(started) < 20, "force_update waits at most the source's timeout")
            let controllers = reply["controllers"] as? [[String: Any]] ?? []
            let status = controllers.first { $0["xid"] as? String == xid }
            #expect(status?["status"] as? String == "failed", "\(mode): \(String(describing: status))")
            #expect((status?["status_message"] as? String)?.contains(words) == true, "\(mode): \(String(describing: status))")
            #expect(controllers.first { $0["xid"] as? String == steadyXID }?["status"] as? String == "ok", "one bad source changes nothing for the others")
            let kept = try await node.view("/proxy/clusters/list", Self.onlyXID(xid))
            #expect(kept["total"] as? Int == 2, "\(mode): the last good data stays")
        }
        try await cmon.control(["mode": "ok"])
        #expect(try await node.controllerStatus(xid)?["status"] as? String != nil)
        #expect(try await node.get("/healthz").status == 200)
        await node.stop()
    }

    @Test func aSourceRemovedMidRefreshLeavesEveryViewAndDoesNotComeBack() async throws {
        let node = try NodeProcess()
        let cmon = try await FakeSource(kind: "cmon", fixture: HubFixtures.cmon(), in: node.root)
        try await node.start()
        let xid = try #require(try await node.addSource(["url": cmon.url, "username": "admin", "password": "secret", "timeout": 4])["xid"] as? String)
        try await cmon.control(["mode": "hang"])
        let refresh = Task { try await node.view("/proxy/controllers/status", ["force_update": true]).count }
        try await Task.sleep(nanoseconds: 500_000_000)
        let removed = try await node.request(.POST, "/proxy/controllers/remove", json: ["controllerXid": xid])
        #expect(removed.status == 200 && removed.object["message"] as? String == "The controller is removed.", "\(removed.body)")
        let listed = try await node.view("/proxy/clusters/list", Self.onlyXID(xid))
        #expect((listed["clusters"] as? [Any])?.isEmpty == true, "\(listed)")
        _ = try await refresh.value
        try await Task.sleep(nanoseconds: 500_000_000)
        #expect(try await node.controllerStatus(xid) == nil)
        #expect((try await node.view("/proxy/clusters/status")["clusters_count"] as? [String: Int])?[cmon.url] == nil)
        let again = try await node.request(.POST, "/proxy/controllers/remove", json: ["xid": xid])
        #expect(again.status == 404)
        await node.stop()
    }

    @Test func onlyAdminsManageSourcesAndNoSecretIsEverShownLoggedOrStoredInClear() async throws {
        let node = try NodeProcess()
        let password = "S3cr3t-pa55-QZX"
        let cmon = try await FakeSource(kind: "cmon", fixture: HubFixtures.cmon(password: password), in: node.root)
        try await node.start()
        let viewer = try await node.makeToken(role: "viewer", name: "viewer")
        let operatorToken = try await node.makeToken(role: "operator", name: "operator")
        let controller: [String: Any] = ["url": cmon.url, "username": "admin", "password": password]
        for token in [viewer, operatorToken] {
            let refused = try await node.request(.POST, "/proxy/controllers/add", json: ["controller": controller], credentials: .bearer(token))
            #expect(refused.status == 403)
        }
        let added = try await node.addSource(controller)
        let xid = try #require(added["xid"] as? String)
        #expect(added["status"] as? String == "ok")
        for path in ["/proxy/clusters/list", "/proxy/alarms/status", "/proxy/controllers/status", "/api/v1/sources", "/api/v1/devices"] {
            let read = try await node.request(.POST, path, json: [:], credentials: .bearer(viewer))
            let got = try await node.get(path, credentials: .bearer(viewer))
            #expect(got.status == 200, "viewers read \(path)")
            #expect(path.hasPrefix("/api") || read.status == 200, "viewers POST \(path) filters")
            #expect(!got.body.contains(password) && !read.body.contains(password))
        }
        let remove = try await node.request(.POST, "/proxy/controllers/remove", json: ["controllerXid": xid], credentials: .bearer(operatorToken))
        #expect(remove.status == 403)
        let listed = try await node.admin(["listcontrollers", "--json"])
        #expect(listed.status == 0 && listed.stdout.contains(xid) && !listed.stdout.contains(password))
        let toLocal = try await node.request(.POST, "/proxy/controllers/update", json: ["controller": ["xid": xid, "kind": "local"]])
        #expect(toLocal.status == 400 && toLocal.object["field"] as? String == "controller.kind", "\(toLocal.body)")
        let schemeless = cmon.url.replacingOccurrences(of: "http://", with: "")
        let sameURL = try await node.request(.POST, "/proxy/controllers/add", json: ["controller": ["kind": "mgob", "url": cmon.url]])
        #expect(sameURL.status == 425 && (sameURL.object["message"] as? String)?.contains("duplicated URL") == true, "\(sameURL.body)")
        let local = try await node.request(.POST, "/proxy/controllers/add", json: ["controller": ["kind": "local", "url": schemeless]])
        #expect(local.status == 400)
        let updated = try await node.request(.POST, "/proxy/controllers/update", json: ["controller": ["xid": xid, "name": "renamed"]])
        #expect((updated.object["controller"] as? [String: Any])?["status"] as? String == "ok", "an update keeps the password: \(updated.body)")
        let audit = try await node.admin(["audit", "--json"])
        #expect(audit.stdout.contains("addcontroller") && audit.stdout.contains("updatecontroller"), "source changes are audited: \(audit.stdout.prefix(400))")
        await node.stop()
        #expect(!node.log.contains(password))
        let files = FileManager.default.enumerator(atPath: node.dataPath)?.compactMap { $0 as? String } ?? []
        for file in files {
            let data = (try? Data(contentsOf: URL(fileURLWithPath: node.dataPath).appendingPathComponent(file))) ?? Data()
            #expect(data.range(of: Data(password.utf8)) == nil, "\(file) holds the password in clear")
        }
    }

    @Test func theCommandLineManagesSourcesOnARunningNodeAndTheyOutliveARestart() async throws {
        let node = try NodeProcess()
        let cmon = try await FakeSource(kind: "cmon", fixture: HubFixtures.cmon(), in: node.root)
        try await node.start()
        let add = try await node.admin(["addcontroller", "-u", "admin", "-p", "secret", "-n", "cli1", "-f", "https://cc.example", cmon.url])
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout.contains("* \(cmon.url) [cli1] Static user: admin Web-UI:https://cc.example"), "\(add.stdout)")
        let seen = try await node.eventually(20) {
            let controllers = try await node.get("/proxy/controllers/status").object["controllers"] as? [[String: Any]] ?? []
            return controllers.contains { $0["controller_name"] as? String == "cli1" && $0["status"] as? String == "ok" }
        }
        #expect(seen, "the running node picks the controller up without a restart")
        let duplicate = try await node.admin(["addcontroller", "-u", "admin", "-p", "secret", cmon.url])
        #expect(duplicate.status == 1 && duplicate.stderr.contains("duplicated URL"))
        let bad = try await node.admin(["addcontroller", "--kind", "nagios", cmon.url])
        #expect(bad.status == 1 && bad.stderr.contains("kind"))
        let list = try await node.admin(["listcontrollers"])
        #expect(list.stdout.contains("Controllers from configuration:") && list.stdout.contains("[cli1]"))
        let update = try await node.admin(["updatecontroller", "--refresh-interval", "120", "cli1"])
        #expect(update.status == 0, "\(update.stderr)")
        await node.stop()
        try await node.start()
        let kept = try await node.eventually(20) {
            let controllers = try await node.get("/proxy/controllers/status").object["controllers"] as? [[String: Any]] ?? []
            return controllers.contains { $0["controller_name"] as? String == "cli1" && $0["refresh_interval"] as? Int == 120 && $0["status"] as? String == "ok" }
        }
        #expect(kept, "sources and their sealed passwords outlive a restart")
        let drop = try await node.admin(["dropcontroller", cmon.url])
        #expect(drop.status == 0, "dropcontroller by URL works: \(drop.stderr)")
        let gone = try await node.eventually(20) {
            let controllers = try await node.get("/proxy/controllers/status").object["controllers"] as? [[String: Any]] ?? []
            return !controllers.contains { $0["controller_name"] as? String == "cli1" }
        }
        #expect(gone)
        #expect(try await node.admin(["dropcontroller", "nosuch"]).status == 1)
        await node.stop()
    }
}
