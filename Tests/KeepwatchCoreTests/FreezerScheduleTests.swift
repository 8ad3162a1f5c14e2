@testable import KeepwatchCore
import Testing

@Suite struct FreezerScheduleTests {
    func fires(_ keys: [String: String], after: String, count: Int = 3) throws -> [String] {
        let schedule = try FreezerSchedule(keys: keys).schedule(createdAt: instant("2026-01-01T00:00:00Z"))
        return schedule.upcoming(after: instant(after), count: count).map { ISO8601.format($0, in: schedule.zone) }
    }

    func error(_ keys: [String: String]) -> String? {
        do {
            _ = try FreezerSchedule(keys: keys).schedule(createdAt: instant("2026-01-01T00:00:00Z"))
            return nil
        } catch {
            return error.description
        }
    }

    @Test func seedExampleWithWeekdayNamesInScheduleDay() throws {
        let keys = ["schedule_month": "1-6, 9-12", "schedule_day": "mon, wed, fri",
                    "schedule_hour": "03", "schedule_minute": "25"]
        #expect(try fires(keys, after: "2026-06-25T00:00:00Z", count: 4)
            == ["2026-06-26T03:25:00+00:00", "2026-06-29T03:25:00+00:00", "2026-09-02T03:25:00+00:00", "2026-09-04T03:25:00+00:00"])
    }

    @Test func apschedulerDefaults() throws {
        #expect(try fires(["schedule_hour": "3"], after: "2026-01-01T00:00:00Z", count: 2)
            == ["2026-01-01T03:00:00+00:00", "2026-01-02T03:00:00+00:00"])
        #expect(try fires(["schedule_minute": "30"], after: "2026-01-01T00:00:00Z", count: 2)
            == ["2026-01-01T00:30:00+00:00", "2026-01-01T01:30:00+00:00"])
        #expect(try fires(["schedule_second": "*/20"], after: "2026-01-01T00:00:00Z", count: 2)
            == ["2026-01-01T00:00:20+00:00", "2026-01-01T00:00:40+00:00"])
        #expect(try fires(["schedule_month": "6"], after: "2026-01-01T00:00:00Z", count: 2)
            == ["2026-06-01T00:00:00+00:00", "2027-06-01T00:00:00+00:00"])
    }

    @Test func dayOfWeekNumbersMondayAsZero() throws {
        // 2026-01-05 is a Monday, 2026-01-11 a Sunday.
        #expect(try fires(["schedule_day_of_week": "0"], after: "2026-01-01T00:00:00Z", count: 1) == ["2026-01-05T00:00:00+00:00"])
        #expect(try fires(["schedule_day_of_week": "6"], after: "2026-01-01T00:00:00Z", count: 1) == ["2026-01-04T00:00:00+00:00"])
        #expect(try fires(["schedule_day_of_week": "mon-fri", "schedule_hour": "8"], after: "2026-01-02T09:00:00Z", count: 2)
            == ["2026-01-05T08:00:00+00:00", "2026-01-06T08:00:00+00:00"])
    }

    @Test func dayExpressions() throws {
        #expect(try fires(["schedule_day": "last"], after: "2026-01-01T00:00:00Z", count: 2)
            == ["2026-01-31T00:00:00+00:00", "2026-02-28T00:00:00+00:00"])
        #expect(try fires(["schedule_day": "2nd fri"], after: "2026-01-01T00:00:00Z", count: 2)
            == ["2026-01-09T00:00:00+00:00", "2026-02-13T00:00:00+00:00"])
        #expect(try fires(["schedule_day": "last sun"], after: "2026-01-01T00:00:00Z", count: 1)
            == ["2026-01-25T00:00:00+00:00"])
    }

    @Test func weekAndYear() throws {
        // ISO week 10 of 2026 runs Monday 2 March to Sunday 8 March.
        #expect(try fires(["schedule_week": "10", "schedule_hour": "12"], after: "2026-01-01T00:00:00Z", count: 2)
            == ["2026-03-02T12:00:00+00:00", "2026-03-03T12:00:00+00:00"])
        #expect(try fires(["schedule_year": "2027", "schedule_month": "2"], after: "2026-01-01T00:00:00Z", count: 2)
            == ["2027-02-01T00:00:00+00:00"])
    }

    @Test func intervalAnchoredAtStartDate() throws {
        let keys = ["schedule_interval": "2 hours", "schedule_start_date": "2026-03-01T00:00:00Z"]
        #expect(try fires(keys, after: "2026-01-01T00:00:00Z", count: 2) == ["2026-03-01T00:00:00+00:00", "2026-03-01T02:00:00+00:00"])
        #expect(try fires(keys, after: "2026-03-01T03:00:00Z", count: 1) == ["2026-03-01T04:00:00+00:00"])
    }

    @Test func intervalAnchoredAtCreation() throws {
        #expect(try fires(["schedule_interval": "1 days"], after: "2026-01-01T00:00:00Z", count: 2)
            == ["2026-01-02T00:00:00+00:00", "2026-01-03T00:00:00+00:00"])
        #expect(try fires(["schedule_interval": "continuous"], after: "2026-01-01T00:00:00Z", count: 2)
            == ["2026-01-01T00:00:01+00:00", "2026-01-01T00:00:02+00:00"])
        #expect(try fires(["schedule_interval": "1 week"], after: "2026-01-01T00:00:00Z", count: 1) == ["2026-01-08T00:00:00+00:00"])
    }

    @Test func oneShotDateInTheSchedulesZone() throws {
        let keys = ["schedule_date": "2026-03-29T03:30:00", "schedule_time_zone": "Europe/Riga"]
        #expect(try fires(keys, after: "2026-01-01T00:00:00Z") == ["2026-03-29T04:00:00+03:00"])
        #expect(try fires(keys, after: "2026-06-01T00:00:00Z").isEmpty)
        #expect(try fires(["schedule_date": "2015-06-02T16:20:00"], after: "2015-01-01T00:00:00Z") == ["2015-06-02T16:20:00+00:00"])
    }

    @Test func windowLimitsEveryForm() throws {
        let keys = ["schedule_cron": "0 0 * * *", "schedule_start_date": "2026-02-01T00:00:00Z", "schedule_end_date": "2026-02-02T00:00:00Z"]
        #expect(try fires(keys, after: "2026-01-01T00:00:00Z", count: 5) == ["2026-02-01T00:00:00+00:00", "2026-02-02T00:00:00+00:00"])
        let fields = ["schedule_hour": "1", "schedule_end_date": "2026-01-02T00:00:00Z"]
        #expect(try fires(fields, after: "2026-01-01T00:00:00Z", count: 5) == ["2026-01-01T01:00:00+00:00"])
    }

    @Test(arguments: [
        (["schedule_hour": "24"], "schedule_hour: 24 is outside 0-23"),
        (["schedule_day_of_week": "7"], "schedule_day_of_week: 7 is outside 0-6"),
        (["schedule_day_of_week": "funday"], "schedule_day_of_week: 'FUNDAY' is not a number or a name (MON-SUN)"),
        (["schedule_day": "mon", "schedule_day_of_week": "1"], "schedule_day: names weekdays while schedule_day_of_week is also set; use one of them"),
        (["schedule_day": "6th fri"], "schedule_day: '6TH FRI' is not understood (use 1st-5th or last before a weekday, e.g. '2nd fri')"),
        (["schedule_year": "*/2"], "schedule_year: '*/2' is not understood (use a 4-digit year, a list or a range)"),
        (["schedule_interval": "2 fortnights"], "schedule_interval: unit 'fortnights' in '2 fortnights' is not weeks, days, hours, minutes or seconds"),
        (["schedule_interval": "0 days"], "schedule_interval: '0 days' is not 'continuous' or 'N weeks|days|hours|minutes|seconds' with N ≥ 1"),
        (["schedule_date": "2026-02-30T00:00:00"], "schedule_date: '2026-02-30T00:00:00' is not an ISO-8601 date-time: day 30 does not exist in 2026-02"),
        (["schedule_date": "tomorrow"], "schedule_date: 'tomorrow' is not an ISO-8601 date-time: expected YYYY-MM-DD"),
        (["schedule_cron": "61 * * * *"], "minute: 61 is outside 0-59"),
        (["schedule_interval": "1 days", "schedule_cron": "* * * * *"], "job_schedule: schedule_interval and schedule_cron are both set: set exactly one of schedule_date, schedule_interval, schedule_cron or the schedule_<field> cron keys"),
        ([:], "job_schedule: no rule given: set exactly one of schedule_date, schedule_interval, schedule_cron or the schedule_<field> cron keys"),
        (["schedule_time_zone": "Mars/Olympus", "schedule_hour": "1"], "schedule_time_zone: unknown time zone 'Mars/Olympus': no such zone in /usr/share/zoneinfo (is tzdata installed?)"),
        (["schedule_hour": "1", "schedule_start_date": "2026-02-01T00:00:00Z", "schedule_end_date": "2026-01-01T00:00:00Z"],
         "schedule_end_date: 2026-01-01T00:00:00+00:00 is before the start 2026-02-01T00:00:00+00:00"),
        (["schedule_hourly": "1"], "schedule_hourly: is not a schedule key (known: schedule_cron, schedule_date, schedule_day, schedule_day_of_week, schedule_end_date, schedule_hour, schedule_interval, schedule_minute, schedule_month, schedule_second, schedule_start_date, schedule_time_zone, schedule_week, schedule_year)"),
    ])
    func rejected(keys: [String: String], message: String) {
        #expect(error(keys) == message)
    }
}
