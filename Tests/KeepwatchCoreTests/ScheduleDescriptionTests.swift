@testable import KeepwatchCore
import Testing

@Suite struct ScheduleDescriptionTests {
    func describe(_ expression: String, tz: String = "UTC") throws -> String {
        try Schedule.cron(expression, timeZone: tz, createdAt: instant("2026-01-01T00:00:00Z")).summary
    }

    @Test(arguments: [
        ("30 3 * * 1", "At 03:30 on Monday"),
        ("*/15 9-17 * * 1-5", "Every 15 minutes, between 09:00 and 17:59 on Monday through Friday"),
        ("0 4 * * 5L", "At 04:00 on the last Friday of the month"),
        ("0 4 * * 5#2", "At 04:00 on the second Friday of the month"),
        ("0 0 L * *", "At 00:00 on the last day of the month"),
        ("0 0 1,15 * *", "At 00:00 on days 1 and 15 of the month"),
        ("0 0 13 * 5", "At 00:00 on day 13 of the month or on Friday"),
        ("* * * * *", "Every minute"),
        ("15 * * * *", "At minute 15"),
        ("0,30 9,17 * * *", "At 09:00, 09:30, 17:00 and 17:30"),
        ("0 0 1 1-6 *", "At 00:00 on day 1 of the month in January through June"),
        ("*/10 * * * * *", "Every 10 seconds"),
        ("0 0 * * 0,6", "At 00:00 on Sunday and Saturday"),
        ("0 0 * * 1-5,0", "At 00:00 on Monday through Friday and Sunday"),
    ])
    func cron(expression: String, expected: String) throws {
        #expect(try describe(expression) == expected)
    }

    @Test func zoneAndForms() throws {
        #expect(try describe("30 2 * * *", tz: "Europe/Riga") == "At 02:30 (Europe/Riga)")
        let interval = try FreezerSchedule(keys: ["schedule_interval": "90 minutes", "schedule_start_date": "2026-01-01T00:00:00Z"])
            .schedule(createdAt: instant("2026-01-01T00:00:00Z"))
        #expect(interval.summary == "Every 1 hour and 30 minutes, from 2026-01-01T00:00:00+00:00")
        let once = try FreezerSchedule(keys: ["schedule_date": "2026-05-01T10:00:00Z"]).schedule(createdAt: instant("2026-01-01T00:00:00Z"))
        #expect(once.summary == "Once at 2026-05-01T10:00:00+00:00")
        #expect(try describe("@every 1h30m") == "Every 1 hour and 30 minutes, counted from 2026-01-01T00:00:00+00:00")
    }
}
