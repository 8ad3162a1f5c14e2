/// The scheduling keys of a Freezer `job_schedule` (plus Keepwatch's `schedule_cron` and
/// `schedule_time_zone`), turned into one `Schedule`.
public struct FreezerSchedule: Hashable, Sendable {
    public var date: String?
    public var interval: String?
    public var cron: String?
    public var fields = FreezerCronFields()
    public var startDate: String?
    public var endDate: String?
    public var timeZone: String?

    public init(date: String? = nil, interval: String? = nil, cron: String? = nil,
                fields: FreezerCronFields = FreezerCronFields(), startDate: String? = nil,
                endDate: String? = nil, timeZone: String? = nil) {
        self.date = date
        self.interval = interval
        self.cron = cron
        self.fields = fields
        self.startDate = startDate
        self.endDate = endDate
        self.timeZone = timeZone
    }

    public var hasRule: Bool { date != nil || interval != nil || cron != nil || !fields.isEmpty }

    /// The schedule these keys describe. Exactly one of `schedule_date`, `schedule_interval`,
    /// `schedule_cron` or the `schedule_<field>` keys must be set.
    public func schedule(createdAt: Instant) throws(ScheduleError) -> Schedule {
        let zone = try Schedule.zoneRules(timeZone ?? "UTC", field: "schedule_time_zone")
        let window = try Schedule.Window(start: startDate, end: endDate, zone: zone,
                                         startField: "schedule_start_date", endField: "schedule_end_date")
        let given = [date.map { _ in "schedule_date" }, interval.map { _ in "schedule_interval" },
                     cron.map { _ in "schedule_cron" }, fields.isEmpty ? nil : "schedule_<field>"].compactMap { $0 }
        guard given.count == 1 else {
            let reason = given.isEmpty ? "no rule given" : "\(given.joined(separator: " and ")) are \(given.count == 2 ? "both" : "all") set"
            throw ScheduleError(field: "job_schedule",
                                "\(reason): set exactly one of schedule_date, schedule_interval, schedule_cron or the schedule_<field> cron keys")
        }
        let rule: Schedule.Rule
        let source: String
        if let date {
            rule = .once(try Schedule.instant(date, zone: zone, field: "schedule_date"))
            source = date
        } else if let interval {
            let seconds = try IntervalRule.parseFreezerInterval(interval)
            rule = .interval(IntervalRule(seconds: seconds, anchor: window.start ?? createdAt, firesAtAnchor: window.start != nil))
            source = interval
        } else if let cron {
            return try Schedule.cron(cron, timeZone: timeZone ?? "UTC", start: startDate, end: endDate, createdAt: createdAt)
        } else {
            rule = .cron(try fields.spec())
            source = fields.effectiveExpressions().joined(separator: " ")
        }
        return Schedule(rule: rule, zone: zone, start: window.start, end: window.end, source: source)
    }
}
