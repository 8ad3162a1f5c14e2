/// A Healthchecks `oncalendar` schedule: one `OnCalendar=` expression per line, firing when any line does.
public struct OnCalendarSchedule: Sendable, Equatable {
    public let lines: [OnCalendarExpression]

    public static func parse(_ text: String) throws(OnCalendarExpression.Invalid) -> OnCalendarSchedule {
        var lines: [OnCalendarExpression] = []
        for line in text.trimmingWhitespace.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lines.append(try OnCalendarExpression.parse(String(line)))
        }
        return OnCalendarSchedule(lines: lines)
    }

    /// The first time after `instant` (Unix seconds) that any line names; nil when none ever will.
    public func next(after instant: Int64, in zone: ZoneRules) -> Int64? {
        lines.compactMap { $0.next(after: instant, in: zone) }.min()
    }
}
