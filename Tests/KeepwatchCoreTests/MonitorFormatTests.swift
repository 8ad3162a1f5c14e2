import KeepwatchCore
import Testing

/// The promise rules and SlapOS's file formats, without a node.
struct MonitorFormatTests {
    @Test func aServiceCfgIsReadAsSlapOSWritesIt() throws {
        let config = try PromiseConfig(text: """
            [service]
            title = "Kvm log parse"
            frequency = */5 * * * *
            public-path-list = /srv/a.log
              /srv/b.log
            private-path-list = /srv/logs
            failure-amount = 2
            result-count = 3

            [other]
            whatever = 1
            """, file: "kvm.cfg")
        #expect(config.title == "Kvm log parse" && config.frequency == "*/5 * * * *")
        #expect(config.publicPaths == ["/srv/a.log", "/srv/b.log"] && config.privatePaths == ["/srv/logs"])
        #expect(config.failureAmount == 2 && config.resultCount == 3 && config.timeout == 20)
        #expect(throws: PromiseConfig.Invalid(description: "kvm.cfg: [service] has no key colour (known: failure-amount, frequency, private-path-list, public-path-list, result-count, timeout, title)")) {
            try PromiseConfig(text: "[service]\ncolour = red\n", file: "kvm.cfg")
        }
        #expect(throws: PromiseConfig.Invalid(description: "kvm.cfg: failure-amount cannot exceed result-count")) {
            try PromiseConfig(text: "[service]\nfailure-amount = 3\n", file: "kvm.cfg")
        }
    }

    @Test func aRunIsJudgedByTheSeedsRules() {
        func judge(_ output: String, exit: Int32? = 0, timedOut: Int? = nil) -> PromiseRun {
            PromiseRun.judge(date: 0, seconds: 0.12, exit: exit, timedOut: timedOut, output: Array(output.utf8), errors: [])
        }
        #expect(judge("{\"message\": \"fine\"}") == PromiseRun(date: 0, executionTime: 0.15, failed: false, message: "fine"), "0.05 s steps")
        #expect(judge("{\"message\": \"bad\"}", exit: 2).failed)
        #expect(judge("").message == "Error: No output returned by the promise")
        #expect(judge("", timedOut: 20).message == "Error: Promise timed out after 20 seconds")
        #expect(judge("[1]").failed && judge("{\"msg\": 1}").message.contains("no \"message\""))
        #expect(judge("{\"message\": \"\(String(repeating: "x", count: 6_000))\"}").message.count == 5_003, "the last 5,000 characters")
    }

    @Test func theAnomalyRuleCountsTheLastRuns() {
        #expect(PromiseAnomaly.failing([true], failureAmount: 1, resultCount: 1))
        #expect(!PromiseAnomaly.failing([true, false], failureAmount: 1, resultCount: 1), "the newest run decides first")
        #expect(!PromiseAnomaly.failing([false, false, true], failureAmount: 2, resultCount: 3))
        #expect(PromiseAnomaly.failing([true, false, true], failureAmount: 2, resultCount: 3))
        #expect(!PromiseAnomaly.failing([true, true, false, false, true], failureAmount: 2, resultCount: 3))
    }

    @Test func datesAreWrittenInSlapOSsAndRSSsForms() {
        #expect(MonitorDocuments.slaposDate(1_776_958_197) == "2026-04-23T15:29:57+0000")
        #expect(MonitorDocuments.rfc822(1_776_958_197) == "Thu, 23 Apr 2026 15:29:57 GMT")
        #expect(MonitorDocuments.rfc822(0, zone: "+0000") == "Thu, 01 Jan 1970 00:00:00 +0000")
        #expect(MonitorDocuments.escaped("a<b & \"c\"\u{1}") == "a&lt;b &amp; &quot;c&quot;", "no control characters in XML")
    }

    @Test func theHistoryGrowsOnlyWhenTheStatusOrTheMessageChanges() throws {
        let run = PromiseRun(date: 100, executionTime: 0.1, failed: false, message: "ok")
        let promise = MonitorDocuments.Promise(id: "p", file: "p.sh", path: "/p.sh", title: "P", run: run, failed: false, changeDate: 100)
        let first = try #require(MonitorDocuments.history(nil, adding: promise, created: 100))
        var later = promise
        later.run.date = 160
        #expect(MonitorDocuments.history(first, adding: later, created: 160) == nil, "same change date and message")
        later.run.message = "still ok"
        let second = try #require(MonitorDocuments.history(first, adding: later, created: 160))
        let entries = second.objectValue?["data"]?.arrayValue ?? []
        #expect(entries.count == 2 && entries[1].objectValue?["title"] == nil && entries[0].objectValue?["title"] == "P")
        #expect(second.objectValue?["date"] == .number(100))
    }

    @Test func builtInChecksNameTheFieldAtFault() {
        func refusal(_ json: JSONValue) -> String? {
            do {
                _ = try BuiltInCheck(json: json)
                return nil
            } catch {
                return error.field
            }
        }
        #expect(refusal(["name": "a", "kind": "disk_space", "path": "/", "min_free": "10%"]) == nil)
        #expect(refusal(["name": "a", "kind": "disk_space", "path": "/", "min_free": "5 GiB"]) == nil)
        #expect(refusal(["name": "a", "kind": "disk_space", "path": "/", "min_free": "101%"]) == "min_free")
        #expect(refusal(["name": "a", "kind": "backup_freshness", "max_age": "1h"]) == "job")
        #expect(refusal(["name": "a", "kind": "nope"]) == "kind")
        #expect(refusal(["kind": "job", "job": "j"]) == "name")
        #expect(refusal(["name": "a", "kind": "job", "job": "j", "failure_amount": 2]) == "failure_amount", "more than result_count")
        let check = try? BuiltInCheck(json: ["name": "a", "kind": "disk_space", "path": "/", "min_free": "10%"])
        #expect(check.map { (try? BuiltInCheck(json: $0.document)) == $0 } == true, "a document reads back as it was")
    }
}
