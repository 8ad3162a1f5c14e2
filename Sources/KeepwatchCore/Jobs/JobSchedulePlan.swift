extension Job {
    /// Seconds after creation at which a job without any schedule key runs once (freezer-scheduler's rule).
    public static let unscheduledDelay: Int64 = 2

    /// The schedule the job fires on. A job with no rule key runs once, shortly after it was created.
    public func firingSchedule() throws(ScheduleError) -> Schedule {
        let created = Instant(secondsSince1970: max(state.timeCreated, 0))
        if !schedule.hasRule {
            return Schedule(rule: .once(created.adding(seconds: Self.unscheduledDelay)), source: "once after creation")
        }
        return try schedule.schedule(createdAt: created)
    }
}
