import Foundation
import Testing

/// Heartbeat checks as Healthchecks keeps them, through the real binary: pinged with curl, watched by the node's
/// sweeper, managed through the Healthchecks API v3 with both kinds of key.
@Suite(.serialized) struct HeartbeatTests {
    func withNode(_ body: (NodeProcess) async throws -> Void) async throws {
        let node = try NodeProcess()
        try await node.start()
        try await body(node)
        await node.stop()
    }

    @Test func pingsAndTheClockTakeACheckThroughEveryState() async throws {
        try await withNode { node in
            let check = try await node.makeHeartbeat(["name": "nightly", "period": "2s", "grace": 3])
            let id = try #require(check["id"] as? String)
            let url = try #require(check["ping_url"] as? String)
            #expect(check["status"] as? String == "new" && check["period"] as? Int == 2)
            #expect(url == node.baseURL + "/ping/" + id)

            #expect(try await Curl.ping(url).body == "OK")
            #expect(try await node.heartbeat(id)["status"] as? String == "up")
            // Period 2 s, then grace 3 s: late after 2 s, down after 5 s, with a flip dated when it went down.
            #expect(try await node.eventually(5) { try await node.heartbeat(id)["status"] as? String == "grace" })
            #expect(try await node.eventually(6) { try await node.heartbeat(id)["status"] as? String == "down" })
            // The sweeper (four times a second) stores the flip, dated when the grace time ended.
            #expect(try await node.eventually(2) {
                let history = try await node.heartbeat(id)["history"] as? [[String: Any]] ?? []
                return history.first?["reason"] as? String == "timeout" && history.first?["to"] as? String == "down"
            })
            #expect(node.log.contains("heartbeat check nightly is down"), "\(node.log)")

            // A run with a run id: started, then its success gives the duration.
            let rid = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
            #expect(try await Curl.ping(url + "/start?rid=" + rid).status == 200)
            var state = try await node.heartbeat(id)
            #expect(state["started"] as? Bool == true && state["status"] as? String == "down", "a down check stays down while it runs")
            try await Task.sleep(nanoseconds: 1_100_000_000)
            // (within the grace time of 3 s, so the run has not overrun)
            #expect(try await Curl.ping(url + "?rid=" + rid, method: "POST", body: "done").status == 200)
            state = try await node.heartbeat(id)
            #expect(state["status"] as? String == "up" && state["started"] as? Bool == false)
            #expect((1...3).contains(state["last_duration"] as? Int ?? 0), "\(state)")

            // Exit statuses, /fail and /log.
            #expect(try await Curl.ping(url + "/3").status == 200)
            #expect(try await node.heartbeat(id)["status"] as? String == "down")
            #expect(try await Curl.ping(url + "/0").status == 200)
            #expect(try await node.heartbeat(id)["status"] as? String == "up")
            #expect(try await Curl.ping(url + "/fail").status == 200)
            #expect(try await node.heartbeat(id)["status"] as? String == "down")
            #expect(try await Curl.ping(url + "/log", method: "POST", body: "just saying").status == 200)
            #expect(try await node.heartbeat(id)["status"] as? String == "down", "a log ping changes nothing")

            // Paused: the next ping resumes it, unless it resumes only by hand.
            #expect(try await node.request(.POST, "/api/v1/checks/\(id)/pause").object["status"] as? String == "paused")
            try await Task.sleep(nanoseconds: 5_500_000_000)
            #expect(try await node.heartbeat(id)["status"] as? String == "paused", "a paused check never goes down")
            #expect(try await Curl.ping(url).status == 200)
            #expect(try await node.heartbeat(id)["status"] as? String == "up")
            _ = try await node.request(.PUT, "/api/v1/checks/\(id)", json: ["manual_resume": true])
            _ = try await node.request(.POST, "/api/v1/checks/\(id)/pause")
            #expect(try await Curl.ping(url).status == 200)
            #expect(try await node.heartbeat(id)["status"] as? String == "paused")
            #expect(try await node.request(.POST, "/api/v1/checks/\(id)/resume").object["status"] as? String == "new")
            #expect(try await node.request(.POST, "/api/v1/checks/\(id)/resume").status == 409)

            let pings = try await node.heartbeat(id)["pings"] as? [[String: Any]] ?? []
            #expect(pings.first?["type"] as? String == "ign", "the ping a hand-resumed check ignores is still kept")
            #expect(pings.map { $0["type"] as? String ?? "" }.contains("log"))
            #expect(pings.first(where: { $0["type"] as? String == "success" && $0["rid"] as? String == rid })?["duration"] != nil)
        }
    }

    @Test func pingURLsAnswerInHealthchecksWords() async throws {
        try await withNode { node in
            let key = try #require(try await node.admin(["pingkey"]).lines.first)
            #expect(key.count == 22)
            let base = node.baseURL + "/ping/"
            let created = try await Curl.ping(base + key + "/db-backup?create=1")
            #expect(created.status == 201 && created.body == "Created")
            #expect(created.headers["ping-body-limit"] == "10000" && created.headers["access-control-allow-origin"] == "*")
            #expect(try await Curl.ping(base + key + "/db-backup?create=1").body == "OK", "created once")
            #expect(try await Curl.ping(base + key + "/db-backup/start").status == 200)
            #expect(try await Curl.ping(base + key + "/ghost/256?create=1").status == 400)
            #expect(try await Curl.ping(base + key + "/ghost?create=1&rid=bad").status == 400)
            #expect(try await Curl.ping(base + key + "/ghost").status == 404, "a refused ping makes no check")
            #expect(try await Curl.ping(base.dropLast() + "").body == "not found", "/ping alone")
            let missing = try await Curl.ping(base + key + "/unknown")
            #expect(missing.status == 404 && missing.body == "not found")
            #expect(try await Curl.ping(base + "aaaaaaaaaaaaaaaaaaaaaa/other?create=1").status == 404, "a wrong ping key creates nothing")
            let upper = try await Curl.ping(base + key + "/DB-Backup")
            #expect(upper.status == 400 && upper.body == "invalid url format")

            let check = try await node.makeHeartbeat(["name": "files", "period": 60])
            let uuid = try #require(check["id"] as? String)
            #expect(try await Curl.ping(base + uuid + "/").body == "OK", "a trailing slash on the uuid")
            #expect(try await Curl.ping(base + uuid.uppercased()).status == 404, "UUIDs are lowercase")
            #expect(try await Curl.ping(base + uuid.replacingOccurrences(of: "-", with: "")).status == 404)
            let big = try await Curl.ping(base + uuid + "/256")
            #expect(big.status == 400 && big.body == "invalid url format")
            let rid = try await Curl.ping(base + uuid + "?rid=not-a-uuid")
            #expect(rid.status == 400 && rid.body == "invalid uuid format")
            #expect(try await Curl.ping(base + uuid + "?rid=3F2504E0-4F89-41D3-9A0C-0305E82C3301").status == 200, "rids in any case")
            for method in ["HEAD", "PUT", "DELETE"] {
                #expect(try await Curl.ping(base + uuid, method: method).status == 200, "\(method) is a ping too")
            }

            // Bodies are cut at the limit, silently.
            let long = String(repeating: "0123456789", count: 1_500)
            #expect(try await Curl.ping(base + uuid + "/fail", method: "POST", body: long).status == 200)
            let pings = try await node.heartbeat(uuid)["pings"] as? [[String: Any]] ?? []
            let bodyURL = try #require(pings.first?["body_url"] as? String)
            let stored = try await node.get(String(bodyURL.dropFirst(node.baseURL.count)))
            #expect(stored.status == 200 && stored.body == String(long.prefix(10_000)))
            let apiKey = try await node.apiKey()
            let throughV3 = try await node.v3(.GET, "checks/\(uuid)/pings/\(pings.first?["n"] as? Int ?? 0)/body", key: apiKey)
            #expect(throughV3.status == 200 && throughV3.body == String(long.prefix(10_000)))
            #expect(pings.first?["ua"] as? String == "curl/" + (pings.first?["ua"] as? String ?? "").dropFirst(5))
            #expect(pings.first?["remote_addr"] as? String == "127.0.0.1")
            let forwarded = try await Curl.ping(base + uuid, headers: ["X-Forwarded-For: 203.0.113.9:5555, 10.0.0.1", "X-Forwarded-Proto: https"])
            #expect(forwarded.status == 200)
            let newest = (try await node.heartbeat(uuid)["pings"] as? [[String: Any]])?.first
            #expect(newest?["remote_addr"] as? String == "203.0.113.9" && newest?["scheme"] as? String == "https")
        }
    }

    @Test func theManagementAPITakesBothKindsOfKey() async throws {
        try await withNode { node in
            let write = try await node.apiKey()
            let read = try await node.apiKey(readOnly: true)
            #expect(write.hasPrefix("hcw_") && read.hasPrefix("hcr_"))
            let missing = try await node.v3(.GET, "checks/", key: nil)
            #expect(missing.status == 401 && missing.object["error"] as? String == "missing api key")
            #expect(try await node.v3(.GET, "checks/", key: String(repeating: "x", count: 32)).object["error"] as? String == "wrong api key")

            let spec: [String: Any] = ["name": "Backups", "slug": "backups", "tags": "prod db", "timeout": 3600, "grace": 60, "unique": ["name"]]
            let first = try await node.v3(.POST, "checks/", key: write, json: spec)
            #expect(first.status == 201, "\(first.body)")
            let uuid = try #require(first.object["uuid"] as? String)
            #expect(first.object["ping_url"] as? String == node.baseURL + "/ping/" + uuid)
            #expect(first.object["update_url"] as? String == node.baseURL + "/api/v3/checks/" + uuid)
            #expect(first.object["status"] as? String == "new" && first.object["timeout"] as? Int == 3600)
            let again = try await node.v3(.POST, "checks/", key: write, json: spec.merging(["grace": 120]) { $1 })
            #expect(again.status == 200 && again.object["uuid"] as? String == uuid && again.object["grace"] as? Int == 120, "unique: an upsert")

            let refused = try await node.v3(.POST, "checks/", key: read, json: ["name": "x"])
            #expect(refused.status == 401 && refused.object["error"] as? String == "wrong api key", "a read-only key writes nothing")
            let listed = try await node.v3(.GET, "checks/?tag=prod&tag=db", key: read)
            let entry = try #require((listed.object["checks"] as? [[String: Any]])?.first)
            #expect(entry["uuid"] == nil && entry["ping_url"] == nil && (entry["unique_key"] as? String)?.count == 40)
            #expect((try await node.v3(.GET, "checks/?tag=test", key: read).object["checks"] as? [Any])?.isEmpty == true)
            let byKey = try await node.v3(.GET, "checks/\(entry["unique_key"] as? String ?? "")", key: read)
            #expect(byKey.object["name"] as? String == "Backups")

            let errors: [([String: Any], String)] = [
                (["grace": 10], "json validation error: grace is too small"),
                (["timeout": 40_000_000], "json validation error: timeout is too large"),
                (["name": String(repeating: "n", count: 101)], "json validation error: name is too long"),
                (["name": 5], "json validation error: name is not a string"),
                (["tz": "Mars/Olympus"], "json validation error: tz is not a valid timezone"),
                (["schedule": "61 * * * *"], "json validation error: schedule is not a valid cron or OnCalendar expression"),
                (["methods": "GET"], "json validation error: methods has unexpected value"),
                (["slug": "Has Spaces"], "json validation error: slug does not match pattern"),
                (["unique": ["color"]], "json validation error: an item in 'unique' has unexpected value"),
                (["manual_resume": NSNull()], "json validation error: manual_resume is not a boolean"),
            ]
            for (body, message) in errors {
                let reply = try await node.v3(.POST, "checks/", key: write, json: body)
                #expect(reply.status == 400 && reply.object["error"] as? String == message, "\(body): \(reply.body)")
            }
            let garbage = try await node.v3(.POST, "checks/", key: write, rawBody: "{nope")
            #expect(garbage.status == 400 && garbage.object["error"] as? String == "could not parse request body")
            #expect(try await node.v3(.POST, "checks/", key: write, rawBody: "[1]").object["error"] as? String
                    == "json validation error: value is not an object")

            let cron = try await node.v3(.POST, "checks/\(uuid)", key: write, json: ["schedule": "0 3 * * *", "tz": "Europe/Riga"])
            #expect(cron.object["schedule"] as? String == "0 3 * * *" && cron.object["tz"] as? String == "Europe/Riga" && cron.object["timeout"] == nil)
            #expect(try await Curl.ping(node.baseURL + "/ping/" + uuid).status == 200)
            let paused = try await node.v3(.POST, "checks/\(uuid)/pause", key: write)
            #expect(paused.object["status"] as? String == "paused")
            #expect(try await node.v3(.POST, "checks/\(uuid)/resume", key: write).object["status"] as? String == "new")
            let notPaused = try await node.v3(.POST, "checks/\(uuid)/resume", key: write)
            #expect(notPaused.status == 409 && notPaused.body == "check is not paused")
            let flips = try await node.v3(.GET, "checks/\(uuid)/flips/", key: read)
            #expect((flips.object["flips"] as? [[String: Any]])?.map { $0["up"] as? Int } == [0, 0, 1], "\(flips.body)")
            #expect(try await node.v3(.GET, "checks/\(uuid)/flips/?seconds=-1", key: read).status == 400)
            let pings = try await node.v3(.GET, "checks/\(uuid)/pings/", key: write)
            #expect((pings.object["pings"] as? [[String: Any]])?.first?["n"] as? Int == 1)
            #expect(try await node.v3(.GET, "checks/\(uuid)/pings/", key: read).status == 401, "pings need a read-write key")
            let options = try await node.v3(.OPTIONS, "checks/", key: nil)
            #expect(options.status == 204 && options.headers["Access-Control-Allow-Headers"].first == "X-Api-Key")

            let badge = try #require(first.object["badge_url"] as? String)
            #expect(badge.hasPrefix(node.baseURL + "/b/2/") && badge.hasSuffix(".svg") && !badge.contains(uuid), "the badge key is not the uuid")
            let svg = try await Curl.ping(badge)
            #expect(svg.status == 200 && svg.headers["content-type"] == "image/svg+xml" && svg.body.contains("<svg") && svg.body.contains(">up<"))
            let badgeJSON = try await node.request(.GET, String(badge.dropFirst(node.baseURL.count).dropLast(4)) + ".json", credentials: .none)
            #expect(badgeJSON.object["status"] as? String == "up" && badgeJSON.object["total"] as? Int == 1)
            let shields = try await node.request(.GET, String(badge.dropFirst(node.baseURL.count).replacingOccurrences(of: "/b/2/", with: "/b/3/").dropLast(4)) + ".shields", credentials: .none)
            #expect(shields.object["schemaVersion"] as? Int == 1 && shields.object["color"] as? String == "success" && shields.object["label"] as? String == "Backups")
            #expect(try await node.request(.GET, "/b/2/nope.svg", credentials: .none).status == 404)
            let deleted = try await node.v3(.DELETE, "checks/\(uuid)", key: write)
            #expect(deleted.status == 200 && deleted.object["uuid"] as? String == uuid)
            #expect(try await node.v3(.GET, "checks/\(uuid)", key: write).status == 404)
            #expect(try await Curl.ping(node.baseURL + "/ping/" + uuid).status == 404)
            #expect(try await node.admin(["apikey", "revoke", "e2e"]).status != 0, "two keys share the name: refused, not guessed")
        }
    }

    @Test func aFloodOnOneCheckIsThrottledAndOthersAreNot() async throws {
        try await withNode { node in
            let flooded = try #require(try await node.makeHeartbeat(["name": "flooded", "period": 60])["ping_url"] as? String)
            let quiet = try #require(try await node.makeHeartbeat(["name": "quiet", "period": 60])["ping_url"] as? String)
            let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                for _ in 0..<400 { group.addTask { try await node.request(.GET, String(flooded.dropFirst(node.baseURL.count)), credentials: .none).status } }
                var all: [UInt] = []
                for try await status in group { all.append(status) }
                return all
            }
            #expect(statuses.contains(200) && statuses.contains(429), "\(Set(statuses))")
            #expect(statuses.allSatisfy { $0 == 200 || $0 == 429 })
            let other = try await Curl.ping(quiet)
            #expect(other.status == 200, "another check is not throttled")
            let accepted = statuses.filter { $0 == 200 }.count
            let counted = try await node.heartbeat(String(flooded.split(separator: "/").last ?? ""))["n_pings"] as? Int
            #expect(counted == accepted, "only accepted pings are recorded")
        }
    }

    @Test func aKilledNodeKeepsStatesPingsAndFlips() async throws {
        let node = try NodeProcess()
        try await node.start()
        let check = try await node.makeHeartbeat(["name": "kept", "period": "2s", "grace": "1s"])
        let id = try #require(check["id"] as? String)
        let url = try #require(check["ping_url"] as? String)
        #expect(try await Curl.ping(url, method: "POST", body: "first run").status == 200)
        #expect(try await Curl.ping(url + "/fail", method: "POST", body: "second run").status == 200)
        #expect(try await Curl.ping(url).status == 200)
        await node.stop(signal: SIGKILL)
        try await node.start()
        let state = try await node.heartbeat(id)
        #expect(state["status"] as? String == "up" && state["n_pings"] as? Int == 3, "every acknowledged ping was stored: \(state)")
        #expect((state["pings"] as? [[String: Any]])?.count == 3)
        #expect((state["history"] as? [[String: Any]])?.map { $0["to"] as? String } == ["up", "down", "up"])
        #expect(try await node.eventually(5) { try await node.heartbeat(id)["status"] as? String == "down" }, "the clock still runs after a restart")
        await node.stop()
    }

    @Test func aFailingCheckIsAnAlarmOfItsNodeInTheHub() async throws {
        let hub = try NodeProcess()
        let remote = try NodeProcess()
        try await hub.start()
        try await remote.start()
        let local = try await hub.makeHeartbeat(["name": "local-db", "period": 60])
        let far = try await remote.makeHeartbeat(["name": "site-b-files", "period": 60])
        #expect(try await Curl.ping(try #require(local["ping_url"] as? String) + "/fail").status == 200)
        #expect(try await Curl.ping(try #require(far["ping_url"] as? String) + "/1").status == 200)
        let viewer = try await remote.makeToken(role: "viewer", name: "hub")
        let added = try await hub.addSource(["kind": "keepwatch", "url": remote.baseURL, "name": "site-b", "token": viewer])
        #expect(added["status"] as? String == "ok", "\(added)")
        let alarms = try await hub.view("/proxy/alarms/list", ["force_update": true, "filters": [["key": "type_name", "value": "HeartbeatDown"]]])
        let listed = alarms["alarms"] as? [[String: Any]] ?? []
        #expect(Set(listed.compactMap { $0["title"] as? String })
                == ["Heartbeat check local-db is down", "Heartbeat check site-b-files is down"], "\(alarms)")
        #expect(listed.allSatisfy { $0["severity_name"] as? String == "ALARM_CRITICAL" && $0["cluster_id"] as? Int == 0 })
        let summary = try await hub.view("/proxy/alarms/status", ["force_update": true])
        #expect((summary["alarm_types"] as? [String: Int])?["HeartbeatDown"] == 2, "\(summary)")
        await hub.stop()
        await remote.stop()
    }

    @Test func theNativeAPIRefusesWhatItCannotTakeAndSaysWhichField() async throws {
        try await withNode { node in
            let cases: [([String: Any], String, String)] = [
                (["name": "a", "perod": "2s"], "perod", "unknown key perod"),
                (["name": "a", "period": true], "period", "period is not a number"),
                (["name": "a", "period": "-5s"], "period", "period"),
                (["name": "a", "period": 0], "period", "period is too small"),
                (["name": "a", "period": 60, "schedule": "0 3 * * *"], "period", "not both"),
                (["name": "a", "tags": [1, 2]], "tags", "tags must be a list of texts"),
                (["name": "a\u{0}b"], "name", "control characters"),
                (["name": "a", "schedule": "every day"], "schedule", "schedule is not a cron expression"),
                (["kind": "promise", "name": "a"], "kind", "a promise is an executable in the promise directory"),
            ]
            for (body, field, words) in cases {
                let reply = try await node.request(.POST, "/api/v1/checks", json: body)
                #expect(reply.status == 422 && reply.object["field"] as? String == field
                        && (reply.object["error"] as? String ?? "").contains(words), "\(body): \(reply.body)")
            }
            let made = try await node.makeHeartbeat(["name": "five", "period": "5", "grace": "1m"])
            #expect(made["period"] as? Int == 5 && made["grace"] as? Int == 60)
            let id = try #require(made["id"] as? String)
            let back = try await node.request(.PUT, "/api/v1/checks/\(id)", json: made.merging(["grace": 30]) { $1 })
            #expect(back.status == 200 && back.object["grace"] as? Int == 30, "a document read back is taken as it is: \(back.body)")
            _ = try await node.apiKey()
            _ = try await node.apiKey()
            let ambiguous = try await node.admin(["apikey", "revoke", "e2e"])
            #expect(ambiguous.status != 0 && ambiguous.stderr.contains("2 active keys are named e2e"), "\(ambiguous.stderr)")
        }
    }

    @Test func heartbeatChecksAreInTheMonitorsFiles() async throws {
        try await withNode { node in
            let check = try await node.makeHeartbeat(["name": "Nightly DB", "slug": "nightly-db", "period": 60])
            let url = try #require(check["ping_url"] as? String)
            let statusFile = node.dataPath + "/public/heartbeat-nightly-db.status.json"
            #expect(try await node.eventually(5) { PromiseTests.json(statusFile)["status"] as? String == "OK" })
            #expect(try await Curl.ping(url + "/fail").status == 200)
            #expect(try await node.eventually(5) { PromiseTests.json(statusFile)["status"] as? String == "ERROR" })
            let status = PromiseTests.json(statusFile)
            #expect(status["title"] as? String == "Nightly DB" && status["path"] as? String == "keepwatch:heartbeat")
            #expect(((status["result"] as? [String: Any])?["message"] as? String) == "down: the job reported a failure")
            for _ in 0..<3 { _ = try await Curl.ping(url + "/fail") }
            try await Task.sleep(nanoseconds: 1_500_000_000)
            let history = PromiseTests.json(node.dataPath + "/public/heartbeat-nightly-db.history.json")["data"] as? [[String: Any]] ?? []
            #expect(history.map { $0["status"] as? String ?? "" } == ["OK", "ERROR"], "more failures are the same state: \(history)")
            let hal = try await node.get("/monitor.haljson").object
            let ids = ((hal["_embedded"] as? [String: Any])?["service"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(ids.contains("heartbeat-nightly-db"), "\(ids)")
        }
    }

    @Test func keepwatchYAMLDefinesHeartbeatChecks() async throws {
        let node = try NodeProcess()
        try await node.start()
        let apiMade = try await node.makeHeartbeat(["name": "api-made", "period": 60])
        await node.stop()
        let fixed = "5d1f4a3e-6b9c-4e0a-9a51-3c2b8f7d6e10"
        let yaml = node.dataPath + "/keepwatch.yaml"
        try """
        checks:
          - name: borg-nightly
            kind: heartbeat
            uuid: \(fixed)
            period: 2s
            grace: 2s
            tags: [borg, nightly]
          - name: cron-dump
            kind: heartbeat
            schedule: "0 3 * * *"
            tz: Europe/Paris
            grace: 1h
        """.write(toFile: yaml, atomically: true, encoding: .utf8)
        try await node.start()
        let borg = try await node.heartbeat(fixed)
        #expect(borg["name"] as? String == "borg-nightly" && borg["period"] as? Int == 2 && borg["status"] as? String == "new", "\(borg)")
        #expect(borg["ping_url"] as? String == node.baseURL + "/ping/" + fixed, "the uuid given is the ping URL")
        let listed = try await node.get("/api/v1/checks").object["checks"] as? [[String: Any]] ?? []
        let cron = try #require(listed.first { $0["name"] as? String == "cron-dump" })
        let cronID = try #require(cron["id"] as? String)
        #expect(cron["schedule"] as? String == "0 3 * * *" && cron["tz"] as? String == "Europe/Paris")
        #expect(listed.contains { $0["name"] as? String == "api-made" }, "checks made through the API stay")

        let key = try #require(try await node.admin(["pingkey"]).lines.first)
        #expect(try await Curl.ping(node.baseURL + "/ping/\(key)/cron-dump").body == "OK", "a name that is a slug is the slug")
        #expect(try await Curl.ping(node.baseURL + "/ping/" + fixed).body == "OK")
        #expect(try await node.heartbeat(fixed)["status"] as? String == "up")
        #expect(try await node.eventually(8) { try await node.heartbeat(fixed)["status"] as? String == "down" })

        let edit = try await node.request(.PUT, "/api/v1/checks/\(fixed)", json: ["name": "renamed", "period": 60])
        #expect(edit.status == 409 && edit.body.contains("keepwatch.yaml"), "\(edit.body)")
        #expect(try await node.request(.DELETE, "/api/v1/checks/\(fixed)").status == 409)
        let writeKey = try await node.apiKey()
        #expect(try await node.v3(.DELETE, "checks/\(fixed)", key: writeKey).status == 403)
        #expect(try await node.request(.POST, "/api/v1/checks/\(fixed)/pause").status == 200, "pausing is for operators, not the file")

        // The file changes: borg gets a longer period, cron-dump leaves; on SIGHUP, the file is the truth again.
        try """
        checks:
          - name: borg-nightly
            kind: heartbeat
            uuid: \(fixed)
            period: 1h
        """.write(toFile: yaml, atomically: true, encoding: .utf8)
        kill(node.process?.processIdentifier ?? 0, SIGHUP)
        #expect(try await node.eventually(5) { try await node.heartbeat(fixed)["period"] as? Int == 3600 })
        let again = try await node.heartbeat(fixed)
        #expect(again["status"] as? String == "paused" && (again["n_pings"] as? Int ?? 0) >= 1, "state and pings stay: \(again)")
        #expect(try await node.eventually(5) { try await node.get("/api/v1/checks/\(cronID)").status == 404 }, "gone from the file, gone")
        #expect(try await node.get("/api/v1/checks/\(apiMade["id"] as? String ?? "")").status == 200)
        await node.stop()
        try await node.start()
        #expect(try await node.heartbeat(fixed)["period"] as? Int == 3600, "the same check after a restart")
        #expect(try await node.request(.DELETE, "/api/v1/checks/\(fixed)").status == 409)
        await node.stop()

        try "checks:\n  - name: bad\n    kind: heartbeat\n    uuid: not-a-uuid\n    period: 1h\n".write(toFile: yaml, atomically: true, encoding: .utf8)
        let refused = try await KeepwatchBinary.run(["serve", "--data", node.dataPath, "--port", "0"])
        #expect(refused.status != 0 && refused.stderr.contains("[0].uuid"), "\(refused.stderr)")
        try "checks:\n  - name: bad\n    kind: heartbeat\n    period: soon\n".write(toFile: yaml, atomically: true, encoding: .utf8)
        let badPeriod = try await KeepwatchBinary.run(["serve", "--data", node.dataPath, "--port", "0"])
        #expect(badPeriod.status != 0 && badPeriod.stderr.contains("[0].period"), "\(badPeriod.stderr)")
    }

    @Test func onCalendarSchedulesAreTakenAsHealthchecksTakesThem() async throws {
        try await withNode { node in
            let key = try await node.apiKey()
            let made = try await node.v3(.POST, "checks/", key: key, json: ["name": "weekdays", "schedule": "Mon..Fri 09:00", "tz": "Europe/Riga", "grace": 600])
            #expect(made.status == 201, "\(made.body)")
            #expect(made.object["schedule"] as? String == "Mon..Fri 09:00" && made.object["tz"] as? String == "Europe/Riga" && made.object["timeout"] == nil)
            for bad in ["Mon..Fri 25:00", "Fri..Mon", "*-*-* 12:00 Nowhere/Town", "1999-01-01"] {
                let refused = try await node.v3(.POST, "checks/", key: key, json: ["name": "bad", "schedule": bad])
                #expect(refused.status == 400 && refused.object["error"] as? String == "json validation error: schedule is not a valid cron or OnCalendar expression",
                        "\(bad): \(refused.body)")
            }
            // Every second, with a second of grace: a ping makes it up, and two quiet seconds later it is down.
            let quick = try await node.makeHeartbeat(["name": "every-second", "schedule": "*:*:*", "grace": 1])
            let url = try #require(quick["ping_url"] as? String)
            let id = try #require(quick["id"] as? String)
            #expect(try await Curl.ping(url).body == "OK")
            #expect(try await node.eventually(5) { try await node.heartbeat(id)["status"] as? String == "down" })
            let native = try await node.request(.POST, "/api/v1/checks", json: ["kind": "heartbeat", "name": "x", "schedule": "Mon 25:00"])
            #expect(native.status == 422 && native.object["field"] as? String == "schedule", "\(native.body)")
        }
    }

    @Test func tagBadgesSumUpTheirChecks() async throws {
        try await withNode { node in
            let key = try await node.apiKey(readOnly: true)
            let web = try #require(try await node.makeHeartbeat(["name": "web", "tags": ["prod"], "period": 60])["ping_url"] as? String)
            let db = try #require(try await node.makeHeartbeat(["name": "db", "tags": ["prod", "db"], "period": 1, "grace": 30])["ping_url"] as? String)
            _ = try await node.makeHeartbeat(["name": "lab", "period": 60])
            let first = try await Curl.ping(web).status
            let second = try await Curl.ping(db).status
            #expect(first == 200 && second == 200)
            let listed = try await node.v3(.GET, "badges/", key: key)
            #expect(listed.status == 200, "\(listed.body)")
            let badges = try #require(listed.object["badges"] as? [String: [String: String]])
            #expect(Set(badges.keys) == ["*", "prod", "db"] && Set(badges["prod"]?.keys ?? [:].keys) == ["svg", "svg3", "json", "json3", "shields", "shields3"])
            let prod = try #require(badges["prod"])
            #expect(prod["json3"]?.hasPrefix(node.baseURL + "/badge/") == true && prod["json3"]?.hasSuffix("/prod.json") == true, "\(prod)")

            // db goes late (in its grace time): a three-state badge says late, a two-state one up.
            let dbID = try #require(db.split(separator: "/").last.map(String.init))
            #expect(try await node.eventually(5) { try await node.heartbeat(dbID)["status"] as? String == "grace" })
            let three = try await Curl.ping(try #require(prod["json3"]))
            #expect(three.status == 200, "\(three.body)")
            let threeJSON = try JSONSerialization.jsonObject(with: Data(three.body.utf8)) as? [String: Any] ?? [:]
            #expect(threeJSON["status"] as? String == "late" && threeJSON["total"] as? Int == 2 && threeJSON["grace"] as? Int == 1, "\(threeJSON)")
            let two = try JSONSerialization.jsonObject(with: Data(try await Curl.ping(try #require(prod["json"])).body.utf8)) as? [String: Any] ?? [:]
            #expect(two["status"] as? String == "up", "\(two)")

            #expect(try await Curl.ping(web + "/fail").status == 200)
            let shields = try JSONSerialization.jsonObject(with: Data(try await Curl.ping(try #require(prod["shields3"])).body.utf8)) as? [String: Any] ?? [:]
            #expect(shields["message"] as? String == "down" && shields["color"] as? String == "critical" && shields["label"] as? String == "prod")
            let all = try JSONSerialization.jsonObject(with: Data(try await Curl.ping(try #require(badges["*"]?["json3"])).body.utf8)) as? [String: Any] ?? [:]
            #expect(all["total"] as? Int == 3 && all["down"] as? Int == 1, "\(all)")
            let svg = try await Curl.ping(try #require(prod["svg"]))
            #expect(svg.status == 200 && svg.headers["content-type"] == "image/svg+xml" && svg.body.contains(">prod<") && svg.body.contains(">down<"))

            let dbURL = try #require(badges["db"]?["json3"])
            let forged = dbURL.replacingOccurrences(of: "/db.json", with: "/prod.json")
            #expect(try await Curl.ping(forged).status == 404, "one tag's signature does not open another's")
            #expect(try await Curl.ping(dbURL.replacingOccurrences(of: ".json", with: ".png")).status == 404)
            #expect(try await Curl.ping(dbURL.replacingOccurrences(of: "/badge/", with: "/badge/x")).status == 404, "another node's key")
        }
    }

    @Test func checksAreFoundByNameAndTheirBodiesThroughTheNativeAPI() async throws {
        try await withNode { node in
            let made = try await node.makeHeartbeat(["name": "short-job", "period": 60])
            #expect(made["slug"] as? String == "short-job", "a name that is a slug is the slug: \(made)")
            let uuid = try #require(made["id"] as? String)
            #expect(try await node.get("/api/v1/checks/short-job").object["id"] as? String == uuid, "found by name")
            let key = try #require(try await node.admin(["pingkey"]).lines.first)
            #expect(try await Curl.ping(node.baseURL + "/ping/\(key)/short-job", method: "POST", body: "log line").body == "OK")
            let pings = try await node.get("/api/v1/checks/short-job").object["pings"] as? [[String: Any]] ?? []
            let bodyURL = try #require(pings.first?["body_url"] as? String)
            #expect(bodyURL.contains("/api/v1/checks/"), "\(bodyURL)")
            #expect(try await node.get(String(bodyURL.dropFirst(node.baseURL.count))).body == "log line")
            let past = try await node.request(.POST, "/api/v1/checks", json: ["kind": "heartbeat", "name": "once", "schedule": "2020-01-01 00:00"])
            #expect(past.status == 422 && past.object["field"] as? String == "schedule", "\(past.body)")
            let key3 = try await node.apiKey()
            let huge = String(repeating: "x", count: 2 << 20)
            let big = try await node.v3(.POST, "checks/", key: key3, rawBody: "{\"name\": \"\(huge)\"}")
            #expect(big.status == 413, "\(big.status)")
            let badge = try #require(try await node.v3(.GET, "checks/\(uuid)", key: key3).object["badge_url"] as? String)
            #expect(try await Curl.ping(badge, method: "HEAD").status == 200)
            _ = try await node.makeHeartbeat(["name": "short-job", "period": 60])
            let twice = try await node.get("/api/v1/checks/short-job")
            #expect(twice.status == 409 && twice.body.contains("2 checks are named short-job"), "a shared name says so: \(twice.body)")
            #expect(try await node.get("/api/v1/checks/\(uuid)").status == 200, "the uuid still names it")
        }
    }
}
