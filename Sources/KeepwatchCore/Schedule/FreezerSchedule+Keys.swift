extension FreezerSchedule {
    /// The `job_schedule` keys that carry the schedule itself (the others are run state).
    public static let ruleKeys: Set<String> = [
        "schedule_date", "schedule_interval", "schedule_cron", "schedule_start_date", "schedule_end_date",
        "schedule_time_zone", "schedule_year", "schedule_month", "schedule_day", "schedule_week",
        "schedule_day_of_week", "schedule_hour", "schedule_minute", "schedule_second",
    ]

    /// Builds the schedule keys from `key: value` strings; an unknown key is an error naming it.
    public init(keys: [String: String]) throws(ScheduleError) {
        for key in keys.keys.sorted() where !Self.ruleKeys.contains(key) {
            throw ScheduleError(field: key, "is not a schedule key (known: \(Self.ruleKeys.sorted().joined(separator: ", ")))")
        }
        self.init(
            date: keys["schedule_date"], interval: keys["schedule_interval"], cron: keys["schedule_cron"],
            fields: FreezerCronFields(
                year: keys["schedule_year"], month: keys["schedule_month"], day: keys["schedule_day"],
                week: keys["schedule_week"], dayOfWeek: keys["schedule_day_of_week"], hour: keys["schedule_hour"],
                minute: keys["schedule_minute"], second: keys["schedule_second"]),
            startDate: keys["schedule_start_date"], endDate: keys["schedule_end_date"],
            timeZone: keys["schedule_time_zone"])
    }
}
