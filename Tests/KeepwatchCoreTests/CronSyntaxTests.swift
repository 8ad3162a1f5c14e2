@testable import KeepwatchCore
import Testing

@Suite struct CronSyntaxTests {
    static let after = "2026-01-01T00:00:00Z"

    @Test(arguments: [
        ("* * * * *", ["2026-01-01T00:01:00+00:00", "2026-01-01T00:02:00+00:00"]),
        ("5,10 * * * *", ["2026-01-01T00:05:00+00:00", "2026-01-01T00:10:00+00:00"]),
        ("5, 10 * * * *", ["2026-01-01T00:05:00+00:00", "2026-01-01T00:10:00+00:00"]),
        ("10-11 * * * *", ["2026-01-01T00:10:00+00:00", "2026-01-01T00:11:00+00:00"]),
        ("*/15 * * * *", ["2026-01-01T00:15:00+00:00", "2026-01-01T00:30:00+00:00"]),
        ("10-50/20 * * * *", ["2026-01-01T00:10:00+00:00", "2026-01-01T00:30:00+00:00"]),
        ("5/25 * * * *", ["2026-01-01T00:05:00+00:00", "2026-01-01T00:30:00+00:00"]),
        ("5-5/3 * * * *", ["2026-01-01T00:05:00+00:00", "2026-01-01T01:05:00+00:00"]),
        ("0 0 1 jan,Jul *", ["2026-07-01T00:00:00+00:00", "2027-01-01T00:00:00+00:00"]),
        ("0 0 1 FEB-mar *", ["2026-02-01T00:00:00+00:00", "2026-03-01T00:00:00+00:00"]),
        ("0 0 ? * 7", ["2026-01-04T00:00:00+00:00", "2026-01-11T00:00:00+00:00"]),
        ("0 0 * * sun", ["2026-01-04T00:00:00+00:00", "2026-01-11T00:00:00+00:00"]),
        ("0 0 * * Mon-Wed", ["2026-01-05T00:00:00+00:00", "2026-01-06T00:00:00+00:00"]),
        ("0 0 L * *", ["2026-01-31T00:00:00+00:00", "2026-02-28T00:00:00+00:00"]),
        ("0 0 LW * *", ["2026-01-30T00:00:00+00:00", "2026-02-27T00:00:00+00:00"]),
        ("0 4 * * 5L", ["2026-01-30T04:00:00+00:00", "2026-02-27T04:00:00+00:00"]),
        ("0 4 * * 5#2", ["2026-01-09T04:00:00+00:00", "2026-02-13T04:00:00+00:00"]),
        ("0 4 * * FRI#5", ["2026-01-30T04:00:00+00:00", "2026-05-29T04:00:00+00:00"]),
        ("0 0 13 * 5", ["2026-01-02T00:00:00+00:00", "2026-01-09T00:00:00+00:00"]),
        ("0 0 */10 * 1", ["2026-05-11T00:00:00+00:00", "2026-06-01T00:00:00+00:00"]),
        ("30 */20 * * * *", ["2026-01-01T00:00:30+00:00", "2026-01-01T00:20:30+00:00"]),
        ("@yearly", ["2027-01-01T00:00:00+00:00", "2028-01-01T00:00:00+00:00"]),
        ("@annually", ["2027-01-01T00:00:00+00:00", "2028-01-01T00:00:00+00:00"]),
        ("@monthly", ["2026-02-01T00:00:00+00:00", "2026-03-01T00:00:00+00:00"]),
        ("@weekly", ["2026-01-04T00:00:00+00:00", "2026-01-11T00:00:00+00:00"]),
        ("@daily", ["2026-01-02T00:00:00+00:00", "2026-01-03T00:00:00+00:00"]),
        ("@midnight", ["2026-01-02T00:00:00+00:00", "2026-01-03T00:00:00+00:00"]),
        ("@hourly", ["2026-01-01T01:00:00+00:00", "2026-01-01T02:00:00+00:00"]),
        ("@every 1h30m", ["2026-01-01T01:30:00+00:00", "2026-01-01T03:00:00+00:00"]),
        ("@every 2d", ["2026-01-03T00:00:00+00:00", "2026-01-05T00:00:00+00:00"]),
        ("0 0 29 2 *", ["2028-02-29T00:00:00+00:00", "2032-02-29T00:00:00+00:00"]),
    ])
    func syntaxElement(expression: String, expected: [String]) throws {
        #expect(try fires(expression, after: Self.after, count: 2) == expected)
    }

    @Test func dayFieldsBothRestrictedMatchEither() throws {
        // The 13th, or any Friday (Vixie cron): Jan 2 and 9 are Fridays, Jan 13 a Tuesday.
        #expect(try fires("0 0 13 * 5", after: Self.after, count: 3)
            == ["2026-01-02T00:00:00+00:00", "2026-01-09T00:00:00+00:00", "2026-01-13T00:00:00+00:00"])
        // A star in either day field makes both required.
        #expect(try fires("0 0 */13 * 5", after: Self.after, count: 2)
            == ["2026-02-27T00:00:00+00:00", "2026-03-27T00:00:00+00:00"])
    }

    @Test func nextIsStrictlyAfter() throws {
        #expect(try fires("0 0 * * *", after: "2026-01-01T00:00:00Z") == ["2026-01-02T00:00:00+00:00"])
        #expect(try fires("0 0 * * *", after: "2025-12-31T23:59:59Z") == ["2026-01-01T00:00:00+00:00"])
    }

    @Test func impossibleDayMeansNoFireTimesAfterTheHorizon() throws {
        // Feb 5th Monday exists only in leap years that start Feb on a Monday (2044).
        #expect(try fires("0 0 * 2 MON#5", after: Self.after) == ["2044-02-29T00:00:00+00:00"])
    }

    @Test(arguments: [
        ("61 * * * *", "minute: 61 is outside 0-59"),
        ("* 24 * * *", "hour: 24 is outside 0-23"),
        ("* * 0 * *", "day-of-month: 0 is outside 1-31"),
        ("* * 32 * *", "day-of-month: 32 is outside 1-31"),
        ("* * * 13 *", "month: 13 is outside 1-12"),
        ("* * * * 8", "day-of-week: 8 is outside 0-7"),
        ("60 * * * * *", "second: 60 is outside 0-59"),
        ("* * * * FOO", "day-of-week: 'FOO' is not a number or a name (SUN-SAT)"),
        ("* * * FOO *", "month: 'FOO' is not a number or a name (JAN-DEC)"),
        ("x * * * *", "minute: 'X' is not a number"),
        ("*/0 * * * *", "minute: step 0 in '*/0' must be at least 1"),
        ("*/x * * * *", "minute: step 'X' in '*/X' is not a number"),
        ("50-10 * * * *", "minute: range 50-10 runs backwards (50 is after 10)"),
        ("1,,2 * * * *", "minute: empty entry in list '1,,2'"),
        ("1- * * * *", "minute: a value is missing"),
        ("? * * * *", "minute: ? is only allowed in day-of-month and day-of-week"),
        ("L * * * *", "minute: 'L' is only allowed in day-of-month or day-of-week"),
        ("* * * * 5#6", "day-of-week: '#6' in '5#6' must be #1 to #5"),
        ("* * 15W * *", "day-of-month: '15W' is not understood (day-of-month takes numbers, ranges, steps, L and LW)"),
        ("0 0 30 2 *", "day-of-month: day 30 never occurs in the selected months"),
        ("0 0 31 4,6 *", "day-of-month: day 31 never occurs in the selected months"),
        ("* * * *", "expression: expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, got 4"),
        ("* * * * * * *", "expression: expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, got 7"),
        ("", "expression: expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, got 0"),
        ("@reboot", "expression: @reboot is not supported: a Keepwatch schedule needs a clock time"),
        ("@fortnightly", "expression: unknown macro '@fortnightly' (use @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or @every 1h30m)"),
        ("@every", "expression: '@every' is not a period like @every 1h30m (units d, h, m, s), at least 1s"),
        ("@every 10x", "expression: '@every 10x' is not a period like @every 1h30m (units d, h, m, s)"),
        ("@every 0s", "expression: '@every 0s' is not a period like @every 1h30m (units d, h, m, s), at least 1s"),
    ])
    func rejected(expression: String, message: String) {
        #expect(parseError(expression) == message)
    }

    @Test func unknownTimeZoneIsNamed() {
        #expect(throws: ScheduleError.self) { try Schedule.cron("* * * * *", timeZone: "Europe/Rigaa", createdAt: Instant(secondsSince1970: 0)) }
        do {
            _ = try Schedule.cron("* * * * *", timeZone: "../etc/passwd", createdAt: Instant(secondsSince1970: 0))
            Issue.record("a path is not a zone")
        } catch {
            #expect(error.field == "time zone")
            #expect(error.message.contains("not an IANA zone name"))
        }
    }
}
