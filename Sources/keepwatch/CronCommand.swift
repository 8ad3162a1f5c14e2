import ArgumentParser
import Foundation
import KeepwatchCore

struct CronCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cron",
        abstract: "Work out when a schedule fires, and say it in words.",
        discussion: """
        A schedule is a cron expression (5 fields, or 6 with seconds first; macros such as @daily; \
        @every 1h30m) or one of Freezer's forms: --interval, --date, or --freezer schedule_<field>=VALUE keys.
        """,
        subcommands: [CronNextCommand.self, CronDescribeCommand.self]
    )
}

/// The schedule a `cron` subcommand works on, from an expression or Freezer's keys.
struct ScheduleOptions: ParsableArguments {
    @Argument(help: "A cron expression, e.g. '30 3 * * 1' or '@every 1h30m'. Omit it when using Freezer's forms.")
    var expression: String?

    @Option(name: .customLong("tz"), help: "IANA time zone the schedule runs in, e.g. Europe/Riga.")
    var timeZone: String = "UTC"

    @Option(help: "Freezer interval: 'continuous' or 'N weeks|days|hours|minutes|seconds'.")
    var interval: String?

    @Option(help: "Freezer one-shot date (ISO-8601; without an offset it is read in --tz).")
    var date: String?

    @Option(help: "Start of the schedule's window, ISO-8601 (also the anchor of --interval and @every).")
    var start: String?

    @Option(help: "End of the schedule's window, ISO-8601.")
    var end: String?

    @Option(name: .customLong("freezer"), parsing: .singleValue,
            help: ArgumentHelp("A Freezer job_schedule key, e.g. schedule_hour=3 or 'schedule_day=mon, wed'. Repeatable.",
                               valueName: "KEY=VALUE"))
    var freezerKeys: [String] = []

    func schedule(createdAt: Instant) throws(ScheduleError) -> Schedule {
        var keys: [String: String] = [:]
        for pair in freezerKeys {
            guard let equals = pair.firstIndex(of: "=") else {
                throw ScheduleError(field: "--freezer", "'\(pair)' is not KEY=VALUE")
            }
            keys[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        if let interval { keys["schedule_interval"] = interval }
        if let date { keys["schedule_date"] = date }
        if let start { keys["schedule_start_date"] = start }
        if let end { keys["schedule_end_date"] = end }
        if let expression { keys["schedule_cron"] = expression }
        keys["schedule_time_zone"] = keys["schedule_time_zone"] ?? timeZone
        return try FreezerSchedule(keys: keys).schedule(createdAt: createdAt)
    }
}

/// Prints a schedule error the way the CLI promises: one line on stderr, exit status 2.
func failWithScheduleError(_ error: ScheduleError) -> ExitCode {
    FileHandle.standardError.write(Data("keepwatch: \(error)\n".utf8))
    return ExitCode(2)
}

func currentInstant() -> Instant {
    Instant(secondsSince1970: Int64(Date().timeIntervalSince1970.rounded(.down)))
}

struct CronNextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "next",
        abstract: "Print the next fire times, one ISO-8601 instant with offset per line.",
        discussion: """
        Examples:
          keepwatch cron next '*/15 9-17 * * 1-5' --count 5 --tz Europe/Riga
          keepwatch cron next '30 2 * * *' --after 2026-03-28T00:00:00Z --tz Europe/Riga --count 3
          keepwatch cron next --interval '2 hours' --start 2026-01-01T00:00:00Z --count 4
          keepwatch cron next --freezer 'schedule_day=mon, wed, fri' --freezer schedule_hour=03 --freezer schedule_minute=25
        An invalid schedule exits with status 2 and says which field is wrong and why.
        """
    )

    @OptionGroup var schedule: ScheduleOptions

    @Option(help: "How many fire times to print (1-100000).")
    var count: Int = 1

    @Option(help: "Print fire times strictly after this ISO-8601 instant (default: now).")
    var after: String?

    func validate() throws {
        guard (1...100_000).contains(count) else { throw ValidationError("--count must be between 1 and 100000") }
    }

    func run() throws {
        let now = currentInstant()
        do {
            let parsed = try schedule.schedule(createdAt: now)
            let from = try after.map { text throws(ScheduleError) in try parseAfter(text, zone: parsed.zone) } ?? now
            let fires = parsed.upcoming(after: from, count: count)
            if fires.isEmpty {
                FileHandle.standardError.write(Data("keepwatch: the schedule does not fire after \(ISO8601.format(from, in: parsed.zone))\n".utf8))
                throw ExitCode(1)
            }
            print(fires.map { ISO8601.format($0, in: parsed.zone) }.joined(separator: "\n"))
        } catch let error as ScheduleError {
            throw failWithScheduleError(error)
        }
    }

    private func parseAfter(_ text: String, zone: ZoneRules) throws(ScheduleError) -> Instant {
        do {
            return try ISO8601.parse(text).instant(in: zone)
        } catch {
            throw ScheduleError(field: "--after", error.description)
        }
    }
}

struct CronDescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Say in one English line when a schedule fires.",
        discussion: "Example: keepwatch cron describe '30 3 * * 1'   →   At 03:30 on Monday"
    )

    @OptionGroup var schedule: ScheduleOptions

    func run() throws {
        do {
            print(try schedule.schedule(createdAt: currentInstant()).summary)
        } catch {
            throw failWithScheduleError(error)
        }
    }
}
