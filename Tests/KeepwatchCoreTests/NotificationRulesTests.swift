@testable import KeepwatchCore
import Testing

/// The notification rules that need no node: routes, placeholders, backoff, quiet hours, channel documents.
@Suite struct NotificationRulesTests {
    func event(_ kind: NotificationEvent.Kind, _ target: String = "nightly", tags: [String] = [], source: String = "local") -> NotificationEvent {
        NotificationEvent(kind: kind, targetKind: .job, target: target, source: source, tags: tags, message: "exit \"2\"\nsecond line", at: 1_800_000_000)
    }

    @Test func routesPickChannelsAndTheDefaultIsEveryFailureAndRecovery() throws {
        #expect(NotificationRoute.channels(for: event(.runFailed), routes: [], existing: ["a", "b"]) == ["a", "b"])
        #expect(NotificationRoute.channels(for: event(.runSucceeded), routes: [], existing: ["a", "b"]).isEmpty, "plain successes are opt-in")
        let route = try NotificationRoute(json: ["on": ["fail"], "tags": ["prod"], "channels": ["b", "gone"]], field: "[0]")
        #expect(NotificationRoute.channels(for: event(.runFailed, tags: ["prod"]), routes: [route], existing: ["a", "b"]) == ["b"])
        #expect(NotificationRoute.channels(for: event(.runFailed, tags: ["lab"]), routes: [route], existing: ["a", "b"]).isEmpty)
        #expect(throws: DocumentError.self) { try NotificationRoute(json: ["on": ["often"]], field: "[0]") }
    }

    @Test func placeholdersAreFilledOnceAndEscapedForJSONAndURLs() throws {
        let message = NotificationMessage(events: [event(.runFailed)], node: "db1", nodeURL: "http://db1", now: 1_800_000_000)
        #expect(message.fill("$NAME is $STATUS") == "nightly is down")
        #expect(message.fill("{\"m\": \"$MESSAGE\"}", json: true) == "{\"m\": \"exit \\\"2\\\"\\nsecond line\"}")
        #expect(message.fill("/hook?m=$MESSAGE", urlEncoded: true) == "/hook?m=exit%20%222%22%0Asecond%20line")
        #expect(message.fill("$NAMES $$ $UNKNOWN") == "nightlyS $$ $UNKNOWN", "the longest key matches first; unknown ones stay")
        let body = message.fill("{\"events\": $EVENTS, \"name\": \"$NAME\"}", json: true)
        #expect((try? JSONParser.parse(body))?.objectValue?["events"]?.arrayValue?.count == 1, "$EVENTS is JSON, inserted as it is: \(body)")
        #expect(try ChannelDefinition(json: ["name": "local", "kind": "smtp", "host": "127.0.0.1", "tls": "none", "username": "u",
                                             "password": "p", "from": "a@b", "to": ["a@b"]]).smtp?.tls == ChannelDefinition.TLSMode.none,
                "a relay on this machine may take AUTH in clear, as Go's net/smtp allows")
        let many = NotificationMessage(events: [event(.runFailed, "a"), event(.runRecovered, "b")], node: "db1", nodeURL: "", now: 0)
        #expect(many.subject == "DOWN | 2 events (1 failing): a, b" && many.status == "down")
    }

    @Test func retriesBackOffAndStopAtTheMaximumAge() {
        #expect((1...12).map { OutboxEntry.backoff(afterAttempts: $0) } == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 600, 600])
        var entry = OutboxEntry(channel: "a", events: [], createdAt: 1_000, groupUntil: 1_000, dueAt: 1_000)
        entry.recordFailure("refused", at: 1_010, maximumAge: 60)
        #expect(entry.state == .queued && entry.dueAt == 1_011 && entry.attempts == 1)
        entry.recordFailure("refused", at: 1_060, maximumAge: 60)
        #expect(entry.state == .failed && entry.lastError == "refused")
    }

    @Test func quietHoursEndWhenTheyEndEvenPastMidnight() throws {
        let paris = try ZoneDatabase.rules(for: "Europe/Paris")
        let night = QuietHours(from: 22 * 60, to: 7 * 60, zone: "Europe/Paris")
        // 2026-12-01 23:30 in Paris (22:30 UTC) ends at 2026-12-02 07:00 Paris (06:00 UTC).
        #expect(night.end(containing: 1_796_164_200, rules: paris) == 1_796_191_200)
        #expect(night.end(containing: 1_796_164_200 - 3 * 3600, rules: paris) == nil, "20:30 is not quiet")
        #expect(night.end(containing: 1_796_185_800, rules: paris) == 1_796_191_200, "05:30 the next morning is")
    }

    @Test func channelDocumentsAreStrictAndHideTheirSecrets() throws {
        let channel = try ChannelDefinition(json: ["name": "ops", "kind": "smtp", "host": "mail", "username": "u", "password": "pw-123456",
                                                   "from": "k@example.org", "to": ["a@example.org"], "quiet_hours": ["from": "22:00", "to": "07:00"]])
        #expect(channel.smtp?.port == 587 && channel.smtp?.tls == .starttls)
        #expect(!JSONWriter.text(channel.shown).contains("pw-123456") && JSONWriter.text(channel.document).contains("pw-123456"))
        #expect(try ChannelDefinition(json: channel.document) == channel, "the stored document reads back the same")
        for (body, field) in [
            (["name": "x", "kind": "smtp", "host": "h", "from": "a@b", "to": ["a@b"], "password": "p"] as JSONValue, "username"),
            (["name": "x", "kind": "webhook", "url": "http://h", "url_file": "/f"], "url"),
            (["name": "x", "kind": "webhook", "preset": "pagerduty"], "routing_key"),
            (["name": "x y", "kind": "slack", "url": "http://h"], "name"),
            (["name": "x", "kind": "command", "command": []], "command"),
            (["name": "x", "kind": "slack", "url": "http://h", "quiet_hours": ["from": "25:00", "to": "07:00"]], "quiet_hours.from"),
            (["name": "x", "kind": "smtp", "host": "mail.example.org", "tls": "none", "username": "u", "password": "p", "from": "a@b", "to": ["a@b"]], "tls"),
            (["name": "x", "kind": "command", "command": "echo hi"], "command"),
            (["name": "x", "kind": "webhook", "url": "http://[bad/path"], "url"),
            (["name": "x", "kind": "webhook", "url": "http:///path"], "url"),
        ] {
            #expect(throws: DocumentError.self) { try ChannelDefinition(json: body) }
            do {
                _ = try ChannelDefinition(json: body)
            } catch {
                #expect(error.field == field, "\(body): \(error)")
            }
        }
    }

    @Test func mailIsMultipartWithQuotedPrintableParts() {
        let mail = MailMessage(from: "k@example.org", to: ["a@example.org"], subject: "DOWN | nightly — é", text: "a=b " + String(repeating: "x", count: 100),
                               html: "<p>é</p>", date: 1_800_000_000, token: "t1")
        let text = String(decoding: mail.bytes, as: UTF8.self)
        #expect(text.contains("Subject: =?utf-8?b?") && text.contains("multipart/alternative; boundary=\"keepwatch-t1\""))
        #expect(text.contains("a=3Db ") && text.contains("=\r\n") && text.contains("<p>=C3=A9</p>"))
        #expect(text.split(separator: "\r\n", omittingEmptySubsequences: false).allSatisfy { $0.utf8.count <= 998 })
    }
}
