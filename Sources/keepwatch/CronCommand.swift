import ArgumentParser
import Foundation
import KeepwatchCore

struct CronCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cron",
        abstract: "Work out when a schedule fires, and say it in words.",
        discussion: """
        A schedule is a cron expression (5 fields, or 6 with seconds first; macros such as @daily; @every 1h30m) or one of Freezer's forms: --interval, --date, or --freezer schedule_<field>=VALUE keys. Give exactly one. An invalid schedule exits with status 2 and names the option that is wrong.

        Examples:
          keepwatch cron next '30 3 * * 1' --count 3 --tz Europe/Riga
          keepwatch cron describe '0 4 * * 5L'
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

    /// The schedule the arguments describe. Errors name the option (`--tz`, `--interval` …), not the job-document key.
    func schedule(createdAt: Instant) throws(ScheduleError) -> Schedule {
        var keys = try freezerKeyValues()
        try checkOneRule(keys)
        if let interval { keys["schedule_interval"] = interval }
        if let date { keys["schedule_date"] = date }
        if let start { keys["schedule_start_date"] = start }
        if let end { keys["schedule_end_date"] = end }
        if let expression { keys["schedule_cron"] = expression }
        if keys["schedule_time_zone"] == nil {
            try checkTimeZone(timeZone, option: "--tz")
            keys["schedule_time_zone"] = timeZone
        }
        do {
            return try FreezerSchedule(keys: keys).schedule(createdAt: createdAt)
        } catch {
            throw namingOptions(error)
        }
    }

    /// The Freezer cron-field keys (`schedule_hour` …), which together make one rule.
    private static let cronFieldKeys: Set<String> = [
        "schedule_year", "schedule_month", "schedule_day", "schedule_week", "schedule_day_of_week",
        "schedule_hour", "schedule_minute", "schedule_second",
    ]

    private func freezerKeyValues() throws(ScheduleError) -> [String: String] {
        var keys: [String: String] = [:]
        for pair in freezerKeys {
            guard let equals = pair.firstIndex(of: "=") else {
                throw ScheduleError(field: "--freezer", "'\(pair)' is not KEY=VALUE")
            }
            let key = String(pair[..<equals])
            guard FreezerSchedule.ruleKeys.contains(key) else {
                throw ScheduleError(field: "--freezer", "'\(key)' is not a schedule key (known: \(FreezerSchedule.ruleKeys.sorted().joined(separator: ", ")))")
            }
            keys[key] = String(pair[pair.index(after: equals)...])
        }
        return keys
    }

    /// Exactly one rule: an expression, --interval, --date, or Freezer keys.
    private func checkOneRule(_ keys: [String: String]) throws(ScheduleError) {
        var given: [String] = []
        if expression != nil { given.append("an expression") }
        if keys["schedule_cron"] != nil { given.append("--freezer schedule_cron") }
        if interval != nil { given.append("--interval") }
        if keys["schedule_interval"] != nil { given.append("--freezer schedule_interval") }
        if date != nil { given.append("--date") }
        if keys["schedule_date"] != nil { given.append("--freezer schedule_date") }
        if keys.keys.contains(where: { Self.cronFieldKeys.contains($0) }) { given.append("--freezer schedule_<field> keys") }
        switch given.count {
        case 0: throw ScheduleError(field: "", "give an expression, --interval, --date or --freezer KEY=VALUE")
        case 1: return
        case 2: throw ScheduleError(field: "", "give either \(given[0]) or \(given[1]), not both")
        default: throw ScheduleError(field: "", "give only one of \(given.joined(separator: ", "))")
        }
    }

    private func checkTimeZone(_ name: String, option: String) throws(ScheduleError) {
        do {
            _ = try ZoneDatabase.rules(for: name)
        } catch {
            let hint = FileManager.default.fileExists(atPath: ZoneDatabase.directory)
                ? "" : " (no time zone data in \(ZoneDatabase.directory); is tzdata installed?)"
            throw ScheduleError(field: option, "unknown time zone '\(name)'\(hint)")
        }
    }

    /// The library's error with the job-document key replaced by the option the value came from.
    private func namingOptions(_ error: ScheduleError) -> ScheduleError {
        guard let option = optionName(for: error.field) else { return error }
        return ScheduleError(field: option, error.message)
    }

    /// The option behind a job-document key, or nil when the value came from `--freezer KEY=VALUE` (whose key the user typed).
    private func optionName(for field: String) -> String? {
        switch field {
        case "schedule_time_zone", "time zone":
            return freezerKeys.contains(where: { $0.hasPrefix("schedule_time_zone=") }) ? nil : "--tz"
        case "schedule_start_date", "start": return start == nil ? nil : "--start"
        case "schedule_end_date", "end": return end == nil ? nil : "--end"
        case "schedule_interval": return interval == nil ? nil : "--interval"
        case "schedule_date": return date == nil ? nil : "--date"
        case "schedule_cron": return expression == nil ? nil : "expression"
        default: return nil
        }
    }
}

/// Prints a schedule error the way the CLI promises: one line on stderr, exit status 2.
func failWithScheduleError(_ error: ScheduleError) -> ExitCode {
    reportFailure(error.field.isEmpty ? error.message : error.description)
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
        An invalid schedule exits with status 2 and says which option is wrong and why; a schedule that never fires again exits with status 1.

        Examples:
          keepwatch cron next '*/15 9-17 * * 1-5' --count 5 --tz Europe/Riga
          keepwatch cron next '30 2 * * *' --tz Europe/Riga --count 3 \\
            --after 2026-03-28T00:00:00Z
          keepwatch cron next --interval '2 hours' --count 4 \\
            --start 2026-01-01T00:00:00Z
          keepwatch cron next --freezer 'schedule_day=mon, wed, fri' \\
            --freezer schedule_hour=03 --freezer schedule_minute=25
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
                reportFailure("the schedule does not fire after \(ISO8601.format(from, in: parsed.zone))")
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
        discussion: """
        Examples:
          keepwatch cron describe '30 3 * * 1'          (At 03:30 on Monday)
          keepwatch cron describe --interval '6 hours'
        """
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
