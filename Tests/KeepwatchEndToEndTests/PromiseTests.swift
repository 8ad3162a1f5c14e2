import Foundation
import Testing

/// SlapOS-style promises through the real binary: scripts written here, run by the node, their files compared
/// field by field with what SlapOS's monitor writes, the feed read by feedparser.
@Suite(.serialized) struct PromiseTests {
    static func write(_ node: NodeProcess, _ name: String, _ script: String, cfg: String? = nil) throws {
        let directory = node.dataPath + "/promises"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/" + name
        try ("#!/bin/sh\n" + script + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        if let cfg {
            try cfg.write(toFile: directory + "/" + ((name as NSString).deletingPathExtension) + ".cfg", atomically: true, encoding: .utf8)
        }
    }

    static func json(_ path: String) -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    func rerun(_ node: NodeProcess, _ name: String) async throws -> UInt {
        try await node.request(.POST, "/cgi-bin/monitor-run-promise.cgi?service=\(name)").status
    }

    func status(_ node: NodeProcess, _ name: String) -> [String: Any] { Self.json(node.dataPath + "/public/\(name).status.json") }

    @Test func eachKindOfPromiseIsJudgedAndWrittenAsSlapOSWritesIt() async throws {
        let node = try NodeProcess()
        try await node.start()
        let pidFile = node.root.appendingPathComponent("child.pid").path
        try Self.write(node, "good.py", "echo '{\"message\": \"all fine\"}'", cfg: "[service]\ntitle = Good one\nfrequency = 0 0 1 1 *\n")
        try Self.write(node, "failing.sh", "echo '{\"message\": \"disk almost full\"}'; exit 1")
        try Self.write(node, "silent.sh", "exit 0")
        try Self.write(node, "garbage.sh", "echo 'not json'")
        try Self.write(node, "nomessage.sh", "echo '{\"status\": \"fine\"}'")
        try Self.write(node, "slow.sh", "sleep 30", cfg: "[service]\ntimeout = 1\n")
        try Self.write(node, "forker.sh", "sleep 60 &\necho $! > \(pidFile)\necho '{\"message\": \"forked\"}'")
        try Self.write(node, "badcfg.sh", "echo '{\"message\": \"fine\"}'", cfg: "[service]\r\ntimeout = 0\r\n")
        let names = ["good", "failing", "silent", "garbage", "nomessage", "slow", "forker"]
        #expect(try await node.eventually(5) { try await node.get("/api/v1/checks").object["checks"].map { ($0 as? [Any])?.count == 8 } ?? false })
        for name in names { #expect(try await rerun(node, name) == 204) }
        #expect(try await node.eventually(10) { names.allSatisfy { !status(node, $0).isEmpty } })

        let good = status(node, "good")
        #expect(good["title"] as? String == "Good one" && good["name"] as? String == "good.py")
        #expect(good["path"] as? String == node.dataPath + "/promises/good.py")
        #expect(good["status"] as? String == "OK" && (good["execution-time"] as? Double).map { $0 >= 0 } == true)
        let result = try #require(good["result"] as? [String: Any])
        #expect(result["type"] as? String == "Test Result" && result["failed"] as? Bool == false && result["message"] as? String == "all fine")
        let date = try #require(result["date"] as? String)
        #expect(date.hasSuffix("+0000") && date.count == 24, "SlapOS's date form")
        let changed = try #require(good["change-date"] as? String)
        #expect(changed.count == 24 && changed <= date, "the status has not changed since its first run")

        func message(_ name: String) -> String { (status(node, name)["result"] as? [String: Any])?["message"] as? String ?? "" }
        #expect(status(node, "failing")["status"] as? String == "ERROR" && message("failing") == "disk almost full")
        #expect(message("silent") == "Error: No output returned by the promise")
        #expect(message("garbage").hasPrefix("Error: the promise did not print a JSON status") && message("garbage").contains("not json"))
        #expect(message("nomessage").contains("no \"message\""))
        #expect(message("slow") == "Error: Promise timed out after 1 seconds")
        #expect((status(node, "slow")["execution-time"] as? Double ?? 0) >= 1)
        #expect(message("forker") == "forked")
        #expect(try await node.eventually(5) { message("badcfg").contains("badcfg.cfg") && message("badcfg").contains("timeout") },
                "a promise with a broken .cfg fails and says why instead of vanishing: \(message("badcfg"))")
        let child = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try await node.eventually(3) { kill(pid_t(child) ?? 0, 0) != 0 }, "the child the promise left behind is killed")

        // The history keeps the first entry's title and name, and flattens the result.
        let history = Self.json(node.dataPath + "/public/good.history.json")
        let entries = try #require(history["data"] as? [[String: Any]])
        #expect(history["date"] is Int && entries.count == 1)
        #expect(Set(entries[0].keys) == ["title", "name", "execution-time", "status", "failed", "date", "message", "change-date"])

        // The HAL document, the global status, the OPML list and the RSS feed.
        #expect(try await node.eventually(3) { (Self.json(node.dataPath + "/monitor.haljson")["_embedded"] as? [String: Any]).map { (($0["service"] as? [Any])?.count ?? 0) == 8 } ?? false })
        let hal = try await node.get("/monitor.haljson").object
        let services = (hal["_embedded"] as? [String: Any])?["service"] as? [[String: Any]] ?? []
        let goodService = try #require(services.first { $0["id"] as? String == "good" })
        #expect(goodService["title"] as? String == "Good one")
        #expect(((goodService["_links"] as? [String: Any])?["status"] as? [String: Any])?["href"] as? String == node.baseURL + "/public/good.status.json")
        #expect((hal["_links"] as? [String: Any])?["related_monitor"] is [Any] && hal["title"] is String)
        let global = try await node.get("/public/monitor.global.json").object
        #expect(global["status"] as? String == "ERROR")
        let detailed = try await node.get("/private/monitor.global.json").object
        #expect(detailed["state"] as? [String: Int] == ["error": 6, "success": 2], "\(detailed)")
        let opml = try await node.get("/public/feeds").body
        #expect(opml.contains("<opml version=\"1.1\">") && opml.contains("xmlUrl=\"\(node.baseURL)/public/feed\""))

        let feedPath = node.root.appendingPathComponent("feed.xml").path
        try (try await node.get("/public/feed").body).write(toFile: feedPath, atomically: true, encoding: .utf8)
        let parsed = try await Self.python("""
            import feedparser, json, sys
            d = feedparser.parse(sys.argv[1])
            print(json.dumps({"bozo": d.bozo, "title": d.feed.title, "items": [[e.title, e.id, e.category] for e in d.entries]}))
            """, feedPath)
        let feed = try #require(try JSONSerialization.jsonObject(with: Data(parsed.utf8)) as? [String: Any])
        #expect(feed["bozo"] as? Int == 0 || feed["bozo"] as? Bool == false, "well-formed RSS: \(parsed)")
        let items = feed["items"] as? [[String]] ?? []
        #expect(items.count == 8 && items.contains(["[ERROR] failing", items.first { $0[0] == "[ERROR] failing" }?[1] ?? "", "ERROR"]))
        #expect(Set(items.map { $0[1] }).count == 8, "a guid per promise")

        let listed = try await KeepwatchBinary.run(["check", "list"], environment: node.clientEnvironment)
        #expect(listed.status == 0 && listed.stdout.contains("failing") && listed.stdout.contains("disk almost full"), "\(listed.stdout)\(listed.stderr)")
        let ran = try await KeepwatchBinary.run(["check", "run", "good"], environment: node.clientEnvironment)
        #expect(ran.status == 0 && ran.stdout.contains("running good"))
        let changes = try await KeepwatchBinary.run(["check", "history", "failing"], environment: node.clientEnvironment)
        #expect(changes.status == 0 && changes.stdout.contains("ERROR"), "\(changes.stdout)")
        let unknown = try await KeepwatchBinary.run(["check", "show", "nope"], environment: node.clientEnvironment)
        #expect(unknown.status != 0 && unknown.stderr.contains("no such check"), "\(unknown.stderr)")
        #expect(try await node.request(.POST, "/cgi-bin/monitor-run-promise.cgi?service=nope").status == 404)
        #expect(try await node.request(.POST, "/cgi-bin/monitor-run-promise.cgi?service=a/b").status == 400)
        let viewer = try await node.makeToken(role: "viewer")
        #expect(try await node.request(.POST, "/cgi-bin/monitor-run-promise.cgi?service=good", credentials: .bearer(viewer)).status == 403)
        #expect(try await node.get("/monitor.haljson", credentials: .none).status == 401, "behind login unless monitor.public")
        await node.stop()
    }

    @Test func changesArePickedUpAndTheHistoryGrowsOnlyOnChange() async throws {
        let node = try NodeProcess()
        try await node.start()
        let flag = node.root.appendingPathComponent("flag").path
        try Self.write(node, "toggle.sh", "if [ -f \(flag) ]; then echo '{\"message\": \"broken\"}'; exit 1; fi; echo '{\"message\": \"fine\"}'",
                       cfg: "[service]\nfrequency = * * * * * *\nfailure-amount = 2\nresult-count = 3\n")
        func current() -> [String: Any] { status(node, "toggle") }
        #expect(try await node.eventually(6) { current()["status"] as? String == "OK" })
        FileManager.default.createFile(atPath: flag, contents: Data())
        // The anomaly rule: failing only once two of the last three runs failed.
        #expect(try await node.eventually(8) { current()["status"] as? String == "ERROR" })
        let entries = Self.json(node.dataPath + "/public/toggle.history.json")["data"] as? [[String: Any]] ?? []
        // One failed run is not yet an error (1 of the last 3), but its new message is an entry; the second makes it one.
        let lastTwo = entries.suffix(2).map { "\($0["status"] as? String ?? "") \($0["message"] as? String ?? "")" }
        #expect(lastTwo == ["OK broken", "ERROR broken"], "\(entries)")
        #expect(entries.first?["title"] as? String == "toggle" && entries.dropFirst().allSatisfy { $0["title"] == nil })
        let before = entries.count
        try await Task.sleep(nanoseconds: 2_500_000_000)
        let after = (Self.json(node.dataPath + "/public/toggle.history.json")["data"] as? [Any])?.count ?? 0
        #expect(after == before, "the same status and message add nothing")

        try FileManager.default.removeItem(atPath: node.dataPath + "/promises/toggle.sh")
        #expect(try await node.eventually(5) { !FileManager.default.fileExists(atPath: node.dataPath + "/public/toggle.status.json") })
        try Self.write(node, "fresh.sh", "echo '{\"message\": \"new here\"}'", cfg: "[service]\nfrequency = * * * * * *\n")
        #expect(try await node.eventually(6) { status(node, "fresh")["status"] as? String == "OK" }, "a new promise runs without a restart")
        let listed = try await node.get("/api/v1/checks/fresh").object
        #expect(listed["kind"] as? String == "promise" && listed["status"] as? String == "up" && (listed["history"] as? [Any])?.isEmpty == false)
        #expect(try await node.request(.POST, "/api/v1/checks/fresh/run").status == 202)

        let changeDate = status(node, "fresh")["change-date"] as? String
        await node.stop()
        try await node.start()
        try await Task.sleep(nanoseconds: 2_000_000_000)
        #expect(status(node, "fresh")["change-date"] as? String == changeDate, "a restart keeps the change date")
        await node.stop()
    }

    @Test func pathListsServeOnlyTheFilesTheyName() async throws {
        let node = try NodeProcess()
        let logs = node.root.appendingPathComponent("logs", isDirectory: true)
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        try "kvm log\n".write(to: logs.appendingPathComponent("kvm.log"), atomically: true, encoding: .utf8)
        try "secret\n".write(to: node.root.appendingPathComponent("outside.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: logs.appendingPathComponent("escape").path, withDestinationPath: node.root.appendingPathComponent("outside.txt").path)
        try "report\n".write(to: node.root.appendingPathComponent("report.csv"), atomically: true, encoding: .utf8)
        try await node.start()
        try Self.write(node, "kvm-log-parse", "echo '{\"message\": \"ok\"}'",
                       cfg: "[service]\npublic-path-list = \(node.root.path)/report.csv\n  \(logs.path)\nprivate-path-list = \(logs.path)\n")
        #expect(try await node.eventually(5) { try await node.get("/public/kvm-log-parse/report.csv").status == 200 })
        #expect(try await node.get("/public/kvm-log-parse/report.csv").body == "report\n")
        #expect(try await node.get("/public/kvm-log-parse/logs/kvm.log").body == "kvm log\n")
        #expect(try await node.get("/private/kvm-log-parse/logs/kvm.log").body == "kvm log\n")
        #expect(try await node.get("/public/kvm-log-parse/logs/escape").status == 404, "a symlink out of the listed directory")
        #expect(try await node.get("/public/kvm-log-parse/logs/../../outside.txt").status == 404)
        #expect(try await node.get("/public/kvm-log-parse/outside.txt").status == 404)
        #expect(try await node.get("/public/kvm-log-parse/logs/kvm.log", credentials: .none).status == 401)

        try "monitor:\n  public: true\n".write(toFile: node.dataPath + "/keepwatch.yaml", atomically: true, encoding: .utf8)
        kill(node.process?.processIdentifier ?? 0, SIGHUP)
        #expect(try await node.eventually(5) { try await node.get("/public/kvm-log-parse/logs/kvm.log", credentials: .none).status == 200 })
        #expect(try await node.get("/monitor.haljson", credentials: .none).status == 200)
        #expect(try await node.get("/public/feed", credentials: .none).status == 200)
        #expect(try await node.get("/private/kvm-log-parse/logs/kvm.log", credentials: .none).status == 401, "private stays private")
        await node.stop()
    }

    @Test func noPromiseOutlivesItsNode() async throws {
        let node = try NodeProcess()
        try await node.start()
        let pidFile = node.root.appendingPathComponent("hang.pid").path
        try Self.write(node, "hang.sh", "echo $$ > \(pidFile)\nsleep 300", cfg: "[service]\ntimeout = 600\n")
        func running() -> pid_t? {
            guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8), let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)),
                  kill(pid, 0) == 0 else { return nil }
            return pid
        }
        #expect(try await node.eventually(5) { running() != nil })
        await node.stop()
        #expect(try await node.eventually(5) { running() == nil }, "a graceful stop stops running promises")

        try? FileManager.default.removeItem(atPath: pidFile)
        try await node.start()
        #expect(try await node.eventually(5) { running() != nil })
        let first = running()
        await node.stop(signal: SIGKILL)
        #expect(first != nil && kill(first ?? 0, 0) == 0, "kill -9 leaves it running")
        try await node.start()
        #expect(try await node.eventually(5) { first.map { kill($0, 0) != 0 } ?? false }, "the next start kills what the killed node left")
        await node.stop()
    }

    static func python(_ script: String, _ arguments: String...) async throws -> String {
        try await offloaded {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", script] + arguments
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
    }
}
