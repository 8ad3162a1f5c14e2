/// Writes a job back as a Freezer-shaped document, as the APIs return it and the store keeps it.
public enum JobDocumentEncoder {
    /// The job as submitted (or, for a job from an mgob plan, as converted), with its run state in `job_schedule`
    /// and its `version`. No key is added that the submitter did not send, except those two.
    public static func document(_ job: Job) -> JSONValue {
        var object = job.submitted ?? generated(job)
        object["job_id"] = .string(job.jobID)
        var schedule = object["job_schedule"]?.objectValue ?? [:]
        for (key, value) in state(job.state) { schedule[key] = value }
        object["job_schedule"] = .object(schedule)
        object["version"] = .number(Double(job.version))
        return .object(object)
    }

    /// A document for a job that was never submitted as one (an mgob plan).
    static func generated(_ job: Job) -> [String: JSONValue] {
        var object: [String: JSONValue] = [
            "job_actions": .array(job.actions.map(action)),
            "job_schedule": .object(job.schedule.keys.mapValues(JSONValue.string)),
        ]
        object["description"] = job.description.map(JSONValue.string)
        object["timeout"] = job.timeout.map { .number(Double($0)) }
        return object
    }

    static func action(_ action: JobAction) -> JSONValue {
        var object: [String: JSONValue] = ["freezer_action": .object(action.freezerAction.values)]
        if action.mandatory { object["mandatory"] = .bool(true) }
        if action.maxRetries != JobAction.defaultMaxRetries { object["max_retries"] = .number(Double(action.maxRetries)) }
        if action.maxRetriesInterval != JobAction.defaultRetryInterval {
            object["max_retries_interval"] = .number(Double(action.maxRetriesInterval))
        }
        return .object(object)
    }

    /// The run-state keys that carry information: `status` always, the others once they are set.
    static func state(_ state: JobState) -> [String: JSONValue] {
        var object: [String: JSONValue] = ["status": .string(state.status.rawValue)]
        if state.event != .none { object["event"] = .string(state.event.rawValue) }
        if state.result != .none { object["result"] = .string(state.result.rawValue) }
        if state.timeCreated >= 0 { object["time_created"] = .number(Double(state.timeCreated)) }
        if state.timeStarted >= 0 { object["time_started"] = .number(Double(state.timeStarted)) }
        if state.timeEnded >= 0 { object["time_ended"] = .number(Double(state.timeEnded)) }
        object["current_pid"] = state.currentPID.map { .number(Double($0)) }
        return object
    }
}

extension FreezerSchedule {
    /// The rule keys that are set, by their `job_schedule` names.
    public var keys: [String: String] {
        var keys: [String: String] = [:]
        keys["schedule_date"] = date
        keys["schedule_interval"] = interval
        keys["schedule_cron"] = cron
        keys["schedule_start_date"] = startDate
        keys["schedule_end_date"] = endDate
        keys["schedule_time_zone"] = timeZone
        keys["schedule_year"] = fields.year
        keys["schedule_month"] = fields.month
        keys["schedule_day"] = fields.day
        keys["schedule_week"] = fields.week
        keys["schedule_day_of_week"] = fields.dayOfWeek
        keys["schedule_hour"] = fields.hour
        keys["schedule_minute"] = fields.minute
        keys["schedule_second"] = fields.second
        return keys
    }
}
