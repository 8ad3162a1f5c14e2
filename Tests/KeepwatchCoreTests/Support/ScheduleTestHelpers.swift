@testable import KeepwatchCore

/// Parses an ISO-8601 instant in test code, where a bad literal is a test bug.
func instant(_ text: String) -> Instant {
    guard case .instant(let value)? = try? ISO8601.parse(text) else {
        preconditionFailure("test literal \(text) is not an ISO-8601 instant with offset")
    }
    return value
}

/// The next `count` fire times of a cron expression, formatted in its zone.
func fires(_ expression: String, tz: String = "UTC", after: String, count: Int = 1) throws -> [String] {
    let schedule = try Schedule.cron(expression, timeZone: tz, createdAt: instant(after))
    return schedule.upcoming(after: instant(after), count: count).map { ISO8601.format($0, in: schedule.zone) }
}

/// The error a schedule expression is rejected with, as the CLI prints it.
func parseError(_ expression: String) -> String? {
    do {
        _ = try Schedule.cron(expression, createdAt: Instant(secondsSince1970: 0))
        return nil
    } catch {
        return error.description
    }
}
