import KeepwatchCore
import Testing

/// Healthchecks's state machine (`Check.get_status`, `Check.ping`), case by case, with microsecond clocks.
struct HeartbeatRulesTests {
    static let second: Int64 = 1_000_000
    let simple = HeartbeatRules(nextCron: { _ in nil })

    func check(timeout: Int64 = 60, grace: Int64 = 30) -> HeartbeatCheck {
        var check = HeartbeatCheck(uuid: "3f2504e0-4f89-41d3-9a0c-0305e82c3301", createdAt: 0)
        check.timeout = timeout
        check.grace = grace
        return check
    }

    @Test func aSimpleCheckIsUpThenLateThenDown() {
        var check = check()
        #expect(simple.status(check, at: 0) == "new")
        _ = simple.apply(.success, method: "GET", rid: nil, at: 100 * Self.second, to: &check)
        #expect(simple.status(check, at: 159 * Self.second) == "up")
        #expect(simple.status(check, at: 160 * Self.second) == "grace")
        #expect(simple.status(check, at: 190 * Self.second) == "down")
        #expect(simple.goingDownAfter(check) == 190 * Self.second)
        var late = check
        let flip = simple.timeout(&late, at: 191 * Self.second)
        #expect(flip == HeartbeatFlip(created: 190 * Self.second, old: "up", new: "down", reason: "timeout"), "dated when it went down")
        #expect(simple.timeout(&late, at: 200 * Self.second) == nil, "once")
    }

    @Test func aRunIsTimedByItsRunIDAndOverrunsItsGrace() {
        var check = check()
        _ = simple.apply(.success, method: "GET", rid: nil, at: 0, to: &check)
        _ = simple.apply(.start, method: "GET", rid: "a", at: 10 * Self.second, to: &check)
        #expect(simple.graceStart(check) == 10 * Self.second, "a run in progress counts from its start")
        #expect(simple.status(check, at: 40 * Self.second) == "down", "start + grace passed")
        _ = simple.apply(.success, method: "GET", rid: "b", at: 20 * Self.second, to: &check)
        #expect(check.lastStart == 10 * Self.second, "a success of another run keeps the newest start")
        _ = simple.apply(.success, method: "GET", rid: "a", at: 25 * Self.second, to: &check)
        #expect(check.lastStart == nil && check.lastDuration == 15)
        _ = simple.apply(.start, method: "GET", rid: "c", at: 30 * Self.second, to: &check)
        _ = simple.apply(.fail, method: "GET", rid: "d", at: 31 * Self.second, to: &check)
        #expect(check.lastStart == nil && check.lastDuration == nil, "a failure of another run ends the watch without a duration")
        _ = simple.apply(.start, method: "GET", rid: nil, at: 40 * Self.second, to: &check)
        _ = simple.apply(.success, method: "GET", rid: nil, at: 43 * Self.second, to: &check)
        #expect(check.lastDuration == 3, "no run id on both sides counts as the same run")
    }

    @Test func flipsAndWhatPausingDoes() {
        var check = check()
        #expect(simple.apply(.fail, method: "GET", rid: nil, at: 0, to: &check).flip?.new == "down", "new → down alerts")
        #expect(simple.apply(.log, method: "GET", rid: nil, at: 1, to: &check).flip == nil)
        #expect(check.status == .down && check.pingCount == 2)
        #expect(HeartbeatRules.pause(&check, at: 2)?.new == "paused")
        #expect(simple.goingDownAfter(check) == nil && simple.status(check, at: 10_000 * Self.second) == "paused")
        #expect(simple.apply(.success, method: "GET", rid: nil, at: 3, to: &check).flip == HeartbeatFlip(created: 3, old: "paused", new: "up", reason: ""))
        check.manualResume = true
        _ = HeartbeatRules.pause(&check, at: 4)
        #expect(simple.apply(.success, method: "GET", rid: nil, at: 5, to: &check).kind == .ign)
        #expect(HeartbeatRules.resume(&check, at: 6)?.new == "new" && check.lastPing == nil)
        #expect(HeartbeatRules.resume(&check, at: 7) == nil)
    }

    @Test func aCronCheckIsExpectedAtItsNextTime() {
        var check = check(grace: 60)
        check.kind = .cron
        let hourly = HeartbeatRules(nextCron: { ($0 / 3600 + 1) * 3600 })
        _ = hourly.apply(.success, method: "GET", rid: nil, at: 7_200 * Self.second + 5, to: &check)
        #expect(hourly.graceStart(check) == 10_800 * Self.second)
        #expect(hourly.status(check, at: 10_859 * Self.second) == "grace")
        #expect(hourly.status(check, at: 10_860 * Self.second) == "down")
    }

    @Test func bodyKeywordsDecideWhenAsked() {
        var keywords = HeartbeatCheck.Keywords()
        keywords.filterHTTPBody = true
        keywords.failure = "ERROR, FATAL"
        keywords.success = "finished"
        #expect(HeartbeatRules.classify(.start, body: Array("backup finished".utf8), keywords: keywords) == .success)
        #expect(HeartbeatRules.classify(.success, body: Array("FATAL: disk".utf8), keywords: keywords) == .fail)
        #expect(HeartbeatRules.classify(.success, body: Array("fatal: lower case".utf8), keywords: keywords) == .ign, "case-sensitive")
        keywords.filterDefaultFail = true
        #expect(HeartbeatRules.classify(.success, body: [], keywords: keywords) == .fail)
        keywords.filterHTTPBody = false
        #expect(HeartbeatRules.classify(.log, body: Array("FATAL".utf8), keywords: keywords) == .log)
    }

    @Test func timesAreWrittenAsPythonWritesThem() {
        #expect(HeartbeatDocuments.isoSeconds(1_585_058_523_123_456) == "2020-03-24T14:02:03+00:00")
        #expect(HeartbeatDocuments.isoMicros(1_585_058_523_000_456) == "2020-03-24T14:02:03.000456+00:00")
        #expect(HeartbeatDocuments.isoMicros(1_585_058_523_000_000) == "2020-03-24T14:02:03+00:00")
    }
}
