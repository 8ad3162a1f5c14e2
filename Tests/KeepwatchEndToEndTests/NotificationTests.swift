import Foundation
import Testing

/// Notifications through the real binary, to real receivers on 127.0.0.1: webhooks and presets, Slack, a program,
/// mail over STARTTLS with AUTH; a receiver that is down, then fails, then recovers; a node killed before it sends;
/// grouping, reminders, silences; and secrets that never show.
@Suite(.serialized) struct NotificationTests {
    func failingJob(_ node: NodeProcess, _ id: String) async throws {
        let made = try await node.request(.POST, "/api/v1/jobs", json: [
            "job_id": id, "job_actions": [["freezer_action": ["action": "exec", "command": "echo broken >&2; exit 3"]]],
            "job_schedule": ["schedule_cron": "0 0 1 1 *"],
        ])
        #expect(made.status == 201, "\(made.body)")
    }

    func run(_ node: NodeProcess, _ id: String) async throws {
        let started = try await node.request(.POST, "/api/v1/jobs/\(id)/run")
        #expect(started.status == 202, "\(started.body)")
    }

    func write(_ node: NodeProcess, _ yaml: String) throws {
        try FileManager.default.createDirectory(atPath: node.dataPath, withIntermediateDirectories: true)
        try yaml.write(toFile: node.dataPath + "/keepwatch.yaml", atomically: true, encoding: .utf8)
    }

    @Test func webhooksSlackPresetsAndProgramsCarryTheEvent() async throws {
        let node = try NodeProcess()
        let receiver = try await NotificationReceiver.http(in: node.root)
        let url = receiver.url
        let out = node.root.appendingPathComponent("command-out").path
        try write(node, """
            channels:
              - {name: slack, kind: slack, url: "\(url)/slack", group_window: 0}
              - name: hook
                kind: webhook
                url: "\(url)/hook/$STATUS"
                headers: {Content-Type: application/json, X-Token: sekrit-header-value}
                body: '{"text": "$NAME is $STATUS: $MESSAGE", "target": "$TARGET", "at": "$NOW"}'
                group_window: 0
              - {name: ntfy, kind: webhook, preset: ntfy, url: "\(url)/ntfy/topic", group_window: 0}
              - {name: discord, kind: webhook, preset: discord, url: "\(url)/discord", group_window: 0}
              - {name: teams, kind: webhook, preset: teams, url: "\(url)/teams", group_window: 0}
              - {name: gotify, kind: webhook, preset: gotify, url: "\(url)/gotify/message?token=abc", group_window: 0}
              - {name: pager, kind: webhook, preset: pagerduty, url: "\(url)/pagerduty", routing_key: R0UT1NGKEY, group_window: 0}
              - name: program
                kind: command
                command: ["/bin/sh", "-c", 'printf "%s|%s|%s\\n" "$KEEPWATCH_STATUS" "$KEEPWATCH_NAME" "$1" >> \(out)', "sh", "$TARGET"]
                group_window: 0
            """)
        try await node.start()
        try await failingJob(node, "nightly")
        try await run(node, "nightly")
        #expect(try await node.eventually(15) { receiver.requests.count >= 7 && FileManager.default.fileExists(atPath: out) },
                "\(receiver.requests.map(\.path)) \(node.log)")

        let slack = try #require(receiver.requests(to: "/slack").first?.json)
        let attachment = try #require((slack["attachments"] as? [[String: Any]])?.first)
        #expect(attachment["color"] as? String == "danger" && (attachment["title"] as? String)?.contains("nightly") == true, "\(slack)")
        #expect((attachment["text"] as? String)?.contains("exit") == true || (attachment["text"] as? String)?.isEmpty == false)

        let hook = try #require(receiver.requests(to: "/hook/down").first, "$STATUS in the URL: \(receiver.requests.map(\.path))")
        #expect(hook.headers["X-Token"] == "sekrit-header-value" && hook.headers["Content-Type"] == "application/json")
        let body = hook.json
        #expect((body["text"] as? String)?.hasPrefix("nightly is down: ") == true && body["target"] as? String == "nightly", "\(hook.body)")

        let ntfy = try #require(receiver.requests(to: "/ntfy/topic").first)
        #expect(ntfy.headers["Title"]?.contains("nightly") == true && ntfy.headers["Priority"] == "high" && ntfy.body.contains("nightly"))
        let discord = try #require(receiver.requests(to: "/discord").first?.json)
        #expect((discord["content"] as? String)?.contains("DOWN") == true && (discord["embeds"] as? [[String: Any]])?.count == 1)
        let teams = try #require(receiver.requests(to: "/teams").first?.json)
        #expect(teams["@type"] as? String == "MessageCard" && teams["themeColor"] as? String == "C0392B")
        let gotify = try #require(receiver.requests(to: "/gotify/message?token=abc").first?.json)
        #expect(gotify["priority"] as? Int == 8 && (gotify["title"] as? String)?.contains("nightly") == true)
        let pager = try #require(receiver.requests(to: "/pagerduty").first?.json)
        #expect(pager["routing_key"] as? String == "R0UT1NGKEY" && pager["event_action"] as? String == "trigger"
                && (pager["payload"] as? [String: Any])?["severity"] as? String == "critical", "\(pager)")
        let program = try String(contentsOfFile: out, encoding: .utf8)
        #expect(program == "down|nightly|nightly\n", "\(program)")

        // A job that succeeds after failing: a recovery, green, to every channel.
        let fixed = try await node.request(.PATCH, "/api/v1/jobs/nightly", json: [
            "job_actions": [["freezer_action": ["action": "exec", "command": "true"]]],
        ])
        #expect(fixed.status == 200, "\(fixed.body)")
        try await run(node, "nightly")
        #expect(try await node.eventually(15) { receiver.requests(to: "/slack").count == 2 })
        let recovered = try #require((receiver.requests(to: "/slack").last?.json["attachments"] as? [[String: Any]])?.first)
        #expect(recovered["color"] as? String == "good" && (recovered["title"] as? String)?.contains("UP") == true)
        #expect(try await node.eventually(5) { receiver.requests(to: "/hook/up").count == 1 })

        // Nothing secret in any reply or in the log.
        let channels = try await node.get("/api/v1/channels").body
        for secret in ["R0UT1NGKEY", "sekrit-header-value", "token=abc"] {
            #expect(!channels.contains(secret), "\(secret) shows in /api/v1/channels")
            #expect(!node.log.contains(secret), "\(secret) shows in the log")
        }
        #expect(try await node.eventually(10) { try await node.get("/metrics").body.contains("keepwatch_notifications_queued 0") })
        let metrics = try await node.get("/metrics").body
        #expect(metrics.contains("keepwatch_notifications_sent_total{channel=\"slack\"} 2") && metrics.contains("keepwatch_notifications_queued 0"),
                "\(metrics)")
        let listed = try await node.get("/api/v1/notifications").object
        #expect((listed["outbox"] as? [[String: Any]])?.allSatisfy { $0["state"] as? String == "sent" } == true, "\(listed)")
        await node.stop()
        receiver.stop()
    }

    @Test func aReceiverThatIsDownThenFailsGetsEachMessageOnceItRecovers() async throws {
        let node = try NodeProcess()
        let probe = try await NotificationReceiver.http(in: node.root, name: "probe")
        let port = probe.port
        probe.stop()
        try write(node, "channels:\n  - {name: hook, kind: webhook, url: \"http://127.0.0.1:\(port)/hook\", group_window: 0}\n")
        try await node.start()
        try await failingJob(node, "flaky")
        try await run(node, "flaky")
        #expect(try await node.eventually(10) {
            let channel = (try await node.get("/api/v1/notifications").object["channels"] as? [[String: Any]])?.first
            return (channel?["last_error"] as? String)?.isEmpty == false
        }, "the first try fails: nobody listens")
        await node.stop()
        // The receiver comes back on the same port, answers 500 twice, then 200; the node was restarted meanwhile.
        let receiver = try await NotificationReceiver.start(["http"], in: node.root, name: "again", port: port)
        try receiver.answer(500, times: 2)
        try await node.start()
        #expect(try await node.eventually(30) { receiver.requests.contains { $0.status == 200 } }, "\(receiver.requests.map(\.status))")
        try await Task.sleep(nanoseconds: 3_000_000_000)
        #expect(receiver.requests.map(\.status) == [500, 500, 200], "retried with backoff, delivered once: \(receiver.requests.map(\.status))")
        let entry = try #require((try await node.get("/api/v1/notifications").object["outbox"] as? [[String: Any]])?.first)
        #expect(entry["state"] as? String == "sent" && (entry["attempts"] as? Int ?? 0) >= 3, "\(entry)")
        await node.stop()
        receiver.stop()
    }

    @Test func aNodeKilledBeforeSendingSendsOnceAfterItRestarts() async throws {
        let node = try NodeProcess()
        let receiver = try await NotificationReceiver.http(in: node.root)
        try write(node, "channels:\n  - {name: hook, kind: webhook, url: \"\(receiver.url)/hook\", group_window: 3}\n")
        try await node.start()
        try await failingJob(node, "nightly")
        try await run(node, "nightly")
        #expect(try await node.eventually(5) { (try await node.get("/api/v1/notifications").object["queued"] as? Int) == 1 })
        await node.stop(signal: SIGKILL)
        #expect(receiver.requests.isEmpty)
        try await node.start()
        #expect(try await node.eventually(10) { receiver.requests.count == 1 })
        try await Task.sleep(nanoseconds: 2_000_000_000)
        #expect(receiver.requests.count == 1, "delivered once")
        await node.stop()
        receiver.stop()
    }

    @Test func fiftyFailuresInTheSameSecondAreOneMessagePerChannel() async throws {
        let node = try NodeProcess()
        let receiver = try await NotificationReceiver.http(in: node.root)
        try write(node, """
            channels:
              - {name: slack, kind: slack, url: "\(receiver.url)/slack", group_window: 4}
              - {name: hook, kind: webhook, url: "\(receiver.url)/hook", group_window: 4}
            """)
        try await node.start()
        let ids = (0..<50).map { "job-\($0)" }
        for id in ids { try await failingJob(node, id) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in ids { group.addTask { try await run(node, id) } }
            try await group.waitForAll()
        }
        #expect(try await node.eventually(20) { receiver.requests.count >= 2 })
        try await Task.sleep(nanoseconds: 5_000_000_000)
        #expect(receiver.requests(to: "/slack").count == 1 && receiver.requests(to: "/hook").count == 1, "\(receiver.requests.map(\.path))")
        let attachments = receiver.requests(to: "/slack").first?.json["attachments"] as? [[String: Any]] ?? []
        #expect(attachments.count == 50, "one message listing all 50: \(attachments.count)")
        let events = receiver.requests(to: "/hook").first?.json["events"] as? [[String: Any]] ?? []
        #expect(Set(events.compactMap { $0["target"] as? String }) == Set(ids))
        await node.stop()
        receiver.stop()
    }

    @Test func remindersRepeatUntilTheRecoveryAndSilencesHoldBack() async throws {
        let node = try NodeProcess()
        let receiver = try await NotificationReceiver.http(in: node.root)
        try write(node, "channels:\n  - {name: hook, kind: webhook, url: \"\(receiver.url)/hook\", group_window: 0, repeat_every: 2}\n")
        try await node.start()
        let check = try await node.makeHeartbeat(["name": "db-dump", "period": 1, "grace": 1])
        let ping = try #require(check["ping_url"] as? String)
        #expect(try await Curl.ping(ping).status == 200)
        #expect(try await node.eventually(8) { receiver.requests.count >= 1 }, "down after period and grace")
        #expect(try await node.eventually(8) { receiver.requests.count >= 3 }, "reminders every 2 s while down")
        let subjects = receiver.requests.map { $0.json["subject"] as? String ?? "" }
        #expect(subjects.first?.hasPrefix("DOWN | db-dump") == true && subjects.dropFirst().allSatisfy { $0.hasPrefix("Reminder: DOWN") }, "\(subjects)")
        #expect(try await Curl.ping(ping).status == 200)
        #expect(try await node.eventually(5) { receiver.requests.contains { ($0.json["subject"] as? String)?.hasPrefix("UP | db-dump") == true } })
        let checkID = try #require(check["id"] as? String)
        #expect(try await node.request(.PUT, "/api/v1/checks/\(checkID)", json: ["period": 600, "grace": 600]).status == 200)
        let afterRecovery = receiver.requests.count
        try await Task.sleep(nanoseconds: 3_000_000_000)
        #expect(receiver.requests.count == afterRecovery, "no reminder once it is up: \(receiver.requests.map { $0.json["subject"] as? String ?? "" })")

        // A silence on the check holds its next failure back; removing the silence sends it.
        let silence = try await node.request(.POST, "/api/v1/silences", json: ["target": "db-dump", "for": "1h", "reason": "maintenance"])
        #expect(silence.status == 201, "\(silence.body)")
        let silenceID = try #require(silence.object["id"] as? String)
        let listed = try await KeepwatchBinary.run(["silence", "list"], environment: node.clientEnvironment)
        #expect(listed.status == 0 && listed.stdout.contains("maintenance"), "\(listed.stdout)\(listed.stderr)")
        let before = receiver.requests.count
        #expect(try await Curl.ping(ping + "/fail").status == 200)
        try await Task.sleep(nanoseconds: 2_000_000_000)
        #expect(receiver.requests.count == before, "held while silenced")
        let held = (try await node.get("/api/v1/notifications").object["outbox"] as? [[String: Any]])?.first
        #expect((held?["held"] as? String)?.hasPrefix("silenced until") == true, "\(String(describing: held))")
        let removed = try await KeepwatchBinary.run(["silence", "remove", silenceID], environment: node.clientEnvironment)
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(try await node.eventually(5) { receiver.requests.count > before }, "released once the silence is gone")
        await node.stop()
        receiver.stop()
    }

    @Test func mailGoesOverSTARTTLSWithAuthAndBothParts() async throws {
        let node = try NodeProcess()
        let smtp = try await NotificationReceiver.smtp(in: node.root, user: "keepwatch", password: "mail-pass-9271")
        let passwordFile = node.root.appendingPathComponent("smtp.pass").path
        try "mail-pass-9271\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
        try await node.start()
        let made = try await node.request(.POST, "/api/v1/channels", json: [
            "name": "ops-mail", "kind": "smtp", "host": "127.0.0.1", "port": smtp.port, "tls": "starttls", "ca_file": smtp.certificate,
            "username": "keepwatch", "password_file": passwordFile, "from": "Keepwatch <keepwatch@example.org>",
            "to": ["ops@example.org", "oncall@example.org"], "group_window": 0,
        ])
        #expect(made.status == 201 && made.object["has_password"] as? Bool == true && !made.body.contains("mail-pass"), "\(made.body)")
        let tested = try await KeepwatchBinary.run(["notify", "test", "ops-mail"], environment: node.clientEnvironment)
        #expect(tested.status == 0 && tested.stdout.contains("delivered"), "\(tested.stdout)\(tested.stderr)")
        try await failingJob(node, "nightly")
        try await run(node, "nightly")
        #expect(try await node.eventually(15) { smtp.mails.count == 2 }, "\(node.log)")
        let mail = try #require(smtp.mails.last)
        #expect(mail.envelope["tls"] as? Bool == true && mail.envelope["login"] as? String == "keepwatch")
        #expect(Set(mail.envelope["to"] as? [String] ?? []) == ["ops@example.org", "oncall@example.org"])
        let file = smtp.directory.appendingPathComponent("2.eml").path
        let parsed = try NotificationReceiver.parseMail(file)
        #expect((parsed["subject"] as? String)?.contains("DOWN | nightly") == true, "\(parsed)")
        #expect(parsed["multipart"] as? String == "multipart/alternative" && (parsed["defects"] as? [Any])?.isEmpty == true)
        #expect((parsed["text"] as? String)?.contains("nightly") == true && (parsed["html"] as? String)?.contains("<table") == true)
        #expect((parsed["from"] as? String)?.contains("keepwatch@example.org") == true && parsed["message_id"] as? String != "None")

        // A wrong password is the server's refusal, said plainly; the password is in no reply and no log.
        try "wrong\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
        let refused = try await node.request(.POST, "/api/v1/channels/ops-mail/test")
        #expect(refused.status == 502 && refused.body.contains("AUTH") && refused.body.contains("535"), "\(refused.body)")
        let shown = try await node.get("/api/v1/channels").body
        #expect(!node.log.contains("mail-pass-9271") && !shown.contains("mail-pass"))
        let bad = try await node.request(.POST, "/api/v1/channels", json: ["name": "x", "kind": "smtp", "host": "h", "from": "a@b", "to": ["nobody"]])
        #expect(bad.status == 422 && bad.object["field"] as? String == "to", "\(bad.body)")
        await node.stop()
        smtp.stop()
    }

    @Test func channelsMadeThroughTheAPIAreSealedInTheStore() async throws {
        let node = try NodeProcess()
        try await node.start()
        let secretURL = "http://127.0.0.1:9/hooks/T0KEN-55aa77bb99"
        let made = try await node.request(.POST, "/api/v1/channels", json: ["name": "team", "kind": "slack", "url": secretURL])
        #expect(made.status == 201 && made.object["url"] as? String == "(secret)", "\(made.body)")
        #expect(try await node.request(.POST, "/api/v1/channels", json: ["name": "team", "kind": "slack", "url": secretURL]).status == 409)
        #expect(try await node.request(.POST, "/api/v1/channels", json: ["name": "t2", "kind": "slack", "url": "ftp://x"]).object["field"] as? String == "url")
        #expect(try await node.request(.POST, "/api/v1/channels", json: ["name": "t3", "kind": "pager"]).object["field"] as? String == "kind")
        #expect(try await node.request(.POST, "/api/v1/channels", json: ["name": "t4", "kind": "slack", "url": secretURL, "colour": "red"]).object["field"] as? String == "colour")
        await node.stop()
        try await node.start()
        #expect(try await node.get("/api/v1/channels/team").object["kind"] as? String == "slack", "kept across a restart")
        await node.stop()
        let grep = Process()
        grep.executableURL = URL(fileURLWithPath: "/bin/grep")
        grep.arguments = ["-r", "-a", "-l", "T0KEN-55aa77bb99", node.dataPath]
        grep.standardOutput = Pipe()
        try grep.run()
        grep.waitUntilExit()
        #expect(grep.terminationStatus == 1, "the webhook URL is nowhere in the data directory in clear")
    }

    @Test func aJobsOwnNotifyAndAnMgobPlansSlackBlockAreHonoured() async throws {
        let node = try NodeProcess()
        let receiver = try await NotificationReceiver.http(in: node.root)
        try write(node, """
            channels:
              - {name: hook, kind: webhook, url: "\(receiver.url)/hook", group_window: 0}
            routes:
              - {on: [fail], channels: [hook]}
            """)
        try FileManager.default.createDirectory(atPath: node.dataPath + "/plans", withIntermediateDirectories: true)
        try """
            scheduler:
              cron: "0 0 1 1 *"
            target:
              host: 127.0.0.1
              port: 1
            slack:
              url: \(receiver.url)/plan
              channel: backups
              warnOnly: true
            """.write(toFile: node.dataPath + "/plans/mplan.yml", atomically: true, encoding: .utf8)
        try await node.start()
        let made = try await node.request(.POST, "/api/v1/jobs", json: [
            "job_id": "quiet", "job_actions": [["freezer_action": ["action": "exec", "command": "true"]]],
            "job_schedule": ["schedule_cron": "0 0 1 1 *"], "notify": ["on": ["success"], "channels": ["hook"]],
        ])
        #expect(made.status == 201, "\(made.body)")
        let wrong = try await node.request(.POST, "/api/v1/jobs", json: [
            "job_id": "bad", "job_actions": [["freezer_action": ["action": "exec", "command": "true"]]], "notify": ["on": ["sometimes"], "channels": ["hook"]],
        ])
        #expect(wrong.status == 400 || wrong.status == 422, "\(wrong.body)")
        #expect(wrong.object["field"] as? String == "notify.on", "\(wrong.body)")
        try await run(node, "quiet")
        #expect(try await node.eventually(10) { receiver.requests(to: "/hook").count == 1 }, "a success goes where the job says, past the routes")
        #expect((receiver.requests(to: "/hook").first?.json["subject"] as? String)?.contains("run succeeded") == true)
        try await run(node, "mplan")
        #expect(try await node.eventually(20) { receiver.requests(to: "/plan").count == 1 }, "\(receiver.requests.map(\.path)) \(node.log)")
        let attachment = (receiver.requests(to: "/plan").first?.json["attachments"] as? [[String: Any]])?.first
        #expect(attachment?["color"] as? String == "danger")
        #expect(try await node.eventually(5) { receiver.requests(to: "/hook").count == 2 }, "the failure also follows the routes")
        await node.stop()
        receiver.stop()
    }

    @Test func aFailedRestoreOrVerifyFromTheCommandLineIsSentByTheNode() async throws {
        let node = try NodeProcess()
        let receiver = try await NotificationReceiver.http(in: node.root)
        try write(node, "channels:\n  - {name: hook, kind: webhook, url: \"\(receiver.url)/hook\", group_window: 0}\n")
        try await node.start()
        let source = try node.makeDirectory("source", files: ["a.txt": "alpha\n"])
        let made = try await node.request(.POST, "/api/v1/jobs", json: [
            "job_id": "files", "job_actions": [["freezer_action": ["action": "backup", "mode": "fs", "src_file": source, "backup_name": "files"]]],
            "job_schedule": ["schedule_cron": "0 0 1 1 *"],
        ])
        #expect(made.status == 201)
        try await run(node, "files")
        #expect(try await node.eventually(20) { try await node.runs("files").first?["status"] as? String == "success" })
        let backups = try await node.get("/api/v1/backups?backup_name=files").object["backups"] as? [[String: Any]] ?? []
        let file = try #require(backups.first?["file"] as? String)
        try Data("not an archive".utf8).write(to: URL(fileURLWithPath: file))

        let verify = try await KeepwatchBinary.run(["backup", "verify", "files", "--data", node.dataPath])
        #expect(verify.status == 1 && verify.stderr.contains("verify_failed queued for 1 channel"), "\(verify.stdout)\(verify.stderr)")
        let restore = try await KeepwatchBinary.run(["restore", "files", "--to", node.root.appendingPathComponent("out").path, "--data", node.dataPath])
        #expect(restore.status == 1 && restore.stderr.contains("restore_failed queued"), "\(restore.stderr)")
        let usage = try await KeepwatchBinary.run(["restore", "files", "--data", node.dataPath])
        #expect(usage.status == 1 && !usage.stderr.contains("queued"), "a wrong command line is not a failed restore: \(usage.stderr)")
        #expect(try await node.eventually(10) { receiver.requests.count == 2 }, "\(receiver.requests.map(\.body))")
        let kinds = receiver.requests.flatMap { ($0.json["events"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String } }
        #expect(Set(kinds) == ["verify_failed", "restore_failed"], "\(kinds)")
        await node.stop()
        receiver.stop()
    }

    @Test func quietHoursHoldMessagesUntilTheyEnd() async throws {
        let node = try NodeProcess()
        let receiver = try await NotificationReceiver.http(in: node.root)
        // Quiet from a minute ago to two minutes from now (UTC), then not quiet at all.
        let minute = Int(Date().timeIntervalSince1970 / 60) % 1440
        func clock(_ minutes: Int) -> String { String(format: "%02d:%02d", ((minutes + 1440) % 1440) / 60, ((minutes + 1440) % 1440) % 60) }
        let quiet = "channels:\n  - {name: hook, kind: webhook, url: \"\(receiver.url)/hook\", group_window: 0, quiet_hours: {from: \"\(clock(minute - 1))\", to: \"\(clock(minute + 3))\"}}\n"
        try write(node, quiet)
        try await node.start()
        try await failingJob(node, "nightly")
        try await run(node, "nightly")
        #expect(try await node.eventually(10) {
            let entry = (try await node.get("/api/v1/notifications").object["outbox"] as? [[String: Any]])?.first
            return (entry?["held"] as? String)?.hasPrefix("quiet hours until") == true
        })
        try await Task.sleep(nanoseconds: 1_500_000_000)
        #expect(receiver.requests.isEmpty, "held in quiet hours")
        try write(node, "channels:\n  - {name: hook, kind: webhook, url: \"\(receiver.url)/hook\", group_window: 0}\n")
        kill(node.process?.processIdentifier ?? 0, SIGHUP)
        #expect(try await node.eventually(10) { receiver.requests.count == 1 }, "released once the quiet hours are gone")
        await node.stop()
        receiver.stop()
    }

    @Test func mailGoesOverImplicitTLSAndASourceThatStopsAnsweringIsHeardOf() async throws {
        let node = try NodeProcess()
        let smtps = try await NotificationReceiver.smtp(in: node.root, user: "kw", password: "implicit-pass-1", implicitTLS: true)
        let receiver = try await NotificationReceiver.http(in: node.root)
        try write(node, """
            channels:
              - {name: smtps, kind: smtp, host: 127.0.0.1, port: \(smtps.port), tls: implicit, ca_file: \(smtps.certificate),
                 username: kw, password: implicit-pass-1, from: k@example.org, to: [ops@example.org], group_window: 0}
              - {name: hook, kind: webhook, url: "\(receiver.url)/hook", group_window: 0}
            routes:
              - {events: [source_down, source_up], channels: [hook]}
              - {events: [run_failed], channels: [smtps]}
            """)
        try await node.start()
        let tested = try await node.request(.POST, "/api/v1/channels/smtps/test")
        #expect(tested.status == 200, "\(tested.body)")
        #expect(smtps.mails.count == 1 && smtps.mails.first?.envelope["login"] as? String == "kw")

        // A hub source on a port nobody listens on: source_down, to the hook only.
        let dead = try await NotificationReceiver.http(in: node.root, name: "dead")
        let deadPort = dead.port
        dead.stop()
        _ = try await node.request(.POST, "/proxy/controllers/add", json: ["controller": ["kind": "keepwatch", "url": "http://127.0.0.1:\(deadPort)",
                                                                                       "name": "far-node", "token": "x"]])
        #expect(try await node.eventually(15) { receiver.requests.contains { ($0.json["events"] as? [[String: Any]])?.first?["kind"] as? String == "source_down" } },
                "\(receiver.requests.map(\.body)) \(node.log)")
        let event = receiver.requests.first?.json["events"] as? [[String: Any]]
        #expect(event?.first?["target"] as? String == "far-node" && smtps.mails.count == 1, "the route keeps sources off the mail")
        await node.stop()
        receiver.stop()
        smtps.stop()
    }
}
