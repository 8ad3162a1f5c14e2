@testable import KeepwatchCore
import Testing

/// The ISC cron rule: a fixed time skipped by a spring-forward jump fires once right after it;
/// a fixed time inside a repeated fall-back hour fires once; wildcard times follow real time.
@Suite struct DaylightSavingTests {
    @Test func rigaSpringForwardFiresOnceAfterTheJump() throws {
        #expect(try fires("30 3 * * *", tz: "Europe/Riga", after: "2026-03-28T12:00:00Z", count: 2)
            == ["2026-03-29T04:00:00+03:00", "2026-03-30T03:30:00+03:00"])
        #expect(try fires("0,30 3,4 * * *", tz: "Europe/Riga", after: "2026-03-28T23:00:00Z", count: 3)
            == ["2026-03-29T04:00:00+03:00", "2026-03-29T04:30:00+03:00", "2026-03-30T03:00:00+03:00"])
    }

    @Test func rigaFallBackFiresOnceInTheRepeatedHour() throws {
        #expect(try fires("30 3 * * *", tz: "Europe/Riga", after: "2026-10-24T12:00:00Z", count: 2)
            == ["2026-10-25T03:30:00+03:00", "2026-10-26T03:30:00+02:00"])
    }

    @Test func wildcardMinutesFollowRealTime() throws {
        #expect(try fires("*/30 3 * * *", tz: "Europe/Riga", after: "2026-10-24T12:00:00Z", count: 5)
            == ["2026-10-25T03:00:00+03:00", "2026-10-25T03:30:00+03:00",
                "2026-10-25T03:00:00+02:00", "2026-10-25T03:30:00+02:00", "2026-10-26T03:00:00+02:00"])
        #expect(try fires("*/30 3 * * *", tz: "Europe/Riga", after: "2026-03-28T12:00:00Z", count: 1)
            == ["2026-03-30T03:00:00+03:00"])
        #expect(try fires("0 * * * *", tz: "America/New_York", after: "2026-03-08T05:30:00Z", count: 3)
            == ["2026-03-08T01:00:00-05:00", "2026-03-08T03:00:00-04:00", "2026-03-08T04:00:00-04:00"])
    }

    @Test func sixFieldExpressionsFollowRealTime() throws {
        #expect(try fires("0 30 2 * * *", tz: "America/New_York", after: "2026-03-07T12:00:00Z", count: 1)
            == ["2026-03-09T02:30:00-04:00"])
    }

    @Test func newYork() throws {
        #expect(try fires("30 2 * * *", tz: "America/New_York", after: "2026-03-07T12:00:00Z", count: 2)
            == ["2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00"])
        #expect(try fires("30 1 * * *", tz: "America/New_York", after: "2026-10-31T12:00:00Z", count: 2)
            == ["2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"])
    }

    @Test func lordHoweThirtyMinuteShift() throws {
        #expect(try fires("15 2 * * *", tz: "Australia/Lord_Howe", after: "2026-10-03T00:00:00Z", count: 2)
            == ["2026-10-04T02:30:00+11:00", "2026-10-05T02:15:00+11:00"])
        #expect(try fires("45 1 * * *", tz: "Australia/Lord_Howe", after: "2026-04-04T00:00:00Z", count: 2)
            == ["2026-04-05T01:45:00+11:00", "2026-04-06T01:45:00+10:30"])
        #expect(try fires("15 */11 * * *", tz: "Australia/Lord_Howe", after: "2029-10-06T05:14:53Z", count: 3)
            == ["2029-10-06T22:15:00+10:30", "2029-10-07T00:15:00+10:30", "2029-10-07T11:15:00+11:00"])
    }

    @Test func kathmanduQuarterHourOffset() throws {
        #expect(try fires("0 0 * * *", tz: "Asia/Kathmandu", after: "2026-01-01T00:00:00Z", count: 1)
            == ["2026-01-02T00:00:00+05:45"])
        #expect(try fires("0 0 1 1 *", tz: "Asia/Kathmandu", after: "1985-06-01T00:00:00Z", count: 2)
            == ["1986-01-01T00:15:00+05:45", "1987-01-01T00:00:00+05:45"], "midnight 1986-01-01 was skipped by a 15-minute jump")
    }

    @Test func zoneRulesResolveWallClockTimes() throws {
        let riga = try ZoneDatabase.rules(for: "Europe/Riga")
        let skipped = LocalDateTime(year: 2026, month: 3, day: 29, hour: 3, minute: 30).localSeconds
        #expect(riga.resolve(localSeconds: skipped) == .skipped(transition: instant("2026-03-29T01:00:00Z").secondsSince1970, offsetAfter: 10_800))
        let repeated = LocalDateTime(year: 2026, month: 10, day: 25, hour: 3, minute: 30).localSeconds
        #expect(riga.resolve(localSeconds: repeated) == .repeated(instant("2026-10-25T00:30:00Z").secondsSince1970,
                                                                   instant("2026-10-25T01:30:00Z").secondsSince1970))
        #expect(riga.offset(at: instant("2300-07-01T00:00:00Z").secondsSince1970) == 10_800)
        #expect(riga.offset(at: instant("2300-01-01T00:00:00Z").secondsSince1970) == 7_200)
    }

    @Test func posixRuleFooters() throws {
        let lordHowe = try #require(PosixTimeZoneRule("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0"))
        #expect(lordHowe.standardOffset == 37_800)
        #expect(lordHowe.daylight?.offset == 39_600)
        let transitions = lordHowe.transitions(inYear: 2030)
        #expect(transitions.map { ISO8601.format(Instant(secondsSince1970: $0.0), in: .utc) }
            == ["2030-04-06T15:00:00+00:00", "2030-10-05T15:30:00+00:00"])
        #expect(PosixTimeZoneRule("<+0545>-5:45")?.standardOffset == 20_700)
        #expect(PosixTimeZoneRule("EST5EDT")?.daylight?.offset == -14_400)
        #expect(PosixTimeZoneRule("nonsense,") == nil)
    }

    @Test func brokenZoneFilesAreRejected() {
        #expect(throws: TZifParser.Failure.self) { try TZifParser.parse(Array("TZif2".utf8)) }
        #expect(throws: TZifParser.Failure.self) { try TZifParser.parse([UInt8](repeating: 0, count: 64)) }
    }
}
