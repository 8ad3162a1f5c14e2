import Foundation
import Testing

@Suite struct CronCommandTests {
    @Test func nextPrintsOneInstantWithOffsetPerLine() async throws {
        let result = try await KeepwatchBinary.run(["cron", "next", "30 3 * * *", "--count", "3",
                                              "--after", "2026-03-28T00:00:00Z", "--tz", "Europe/Riga"])
        #expect(result.status == 0)
        #expect(result.lines == ["2026-03-28T03:30:00+02:00", "2026-03-29T04:00:00+03:00", "2026-03-30T03:30:00+03:00"])
    }

    @Test func nextDefaultsToOneFireAfterNow() async throws {
        // Bounded by the times before and after the command, so a slow machine cannot make it fail.
        let before = Date()
        let result = try await KeepwatchBinary.run(["cron", "next", "* * * * *"])
        let after = Date()
        #expect(result.status == 0)
        #expect(result.lines.count == 1)
        let fire = try #require(ISO8601DateFormatter().date(from: result.lines.first ?? ""))
        #expect(fire > before.addingTimeInterval(-1))
        #expect(fire < after.addingTimeInterval(61))
    }

    @Test func invalidExpressionExitsTwoWithThePreciseError() async throws {
        let result = try await KeepwatchBinary.run(["cron", "next", "61 * * * *"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "keepwatch: minute: 61 is outside 0-59\n")
        let describe = try await KeepwatchBinary.run(["cron", "describe", "* * * * 5#9"])
        #expect(describe.status == 2)
        #expect(describe.stderr == "keepwatch: day-of-week: '#9' in '5#9' must be #1 to #5\n")
    }

    @Test func badZoneAndBadAfterAreNamed() async throws {
        let zone = try await KeepwatchBinary.run(["cron", "next", "0 0 * * *", "--tz", "Europe/Nowhere"])
        #expect(zone.status == 2)
        #expect(zone.stderr.contains("--tz: unknown time zone 'Europe/Nowhere'"), "errors name the flag: \(zone.stderr)")
        let after = try await KeepwatchBinary.run(["cron", "next", "0 0 * * *", "--after", "yesterday"])
        #expect(after.status == 2)
        #expect(after.stderr.contains("--after: 'yesterday' is not an ISO-8601 date-time"))
    }

    @Test func describeSaysItInEnglish() async throws {
        let result = try await KeepwatchBinary.run(["cron", "describe", "30 3 * * 1"])
        #expect(result.status == 0)
        #expect(result.stdout == "At 03:30 on Monday\n")
    }

    @Test func freezerFormsAreReachable() async throws {
        let interval = try await KeepwatchBinary.run(["cron", "next", "--interval", "2 hours", "--start", "2026-01-01T00:00:00Z",
                                                "--after", "2026-01-01T00:00:00Z", "--count", "2"])
        #expect(interval.lines == ["2026-01-01T02:00:00+00:00", "2026-01-01T04:00:00+00:00"])
        let fields = try await KeepwatchBinary.run(["cron", "next", "--freezer", "schedule_day=mon, wed, fri", "--freezer", "schedule_hour=03",
                                              "--freezer", "schedule_minute=25", "--after", "2026-01-01T00:00:00Z", "--count", "2"])
        #expect(fields.lines == ["2026-01-02T03:25:00+00:00", "2026-01-05T03:25:00+00:00"])
        let date = try await KeepwatchBinary.run(["cron", "next", "--date", "2026-03-29T03:30:00", "--tz", "Europe/Riga",
                                            "--after", "2026-01-01T00:00:00Z"])
        #expect(date.lines == ["2026-03-29T04:00:00+03:00"])
        let past = try await KeepwatchBinary.run(["cron", "next", "--date", "2020-01-01T00:00:00Z", "--after", "2026-01-01T00:00:00Z"])
        #expect(past.status == 1)
        #expect(past.stderr.contains("does not fire after"))
        let conflict = try await KeepwatchBinary.run(["cron", "next", "* * * * *", "--interval", "1 days"])
        #expect(conflict.status == 2)
        #expect(conflict.stderr.contains("give either an expression or --interval, not both"), "\(conflict.stderr)")
    }

    @Test func helpExplainsTheCommands() async throws {
        let result = try await KeepwatchBinary.run(["cron", "next", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("--count"))
        #expect(result.stdout.contains("--tz"))
        #expect(result.stdout.contains("Examples:"))
        let bad = try await KeepwatchBinary.run(["cron", "next", "* * * * *", "--count", "0"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--count must be between 1 and 100000"))
    }
}
