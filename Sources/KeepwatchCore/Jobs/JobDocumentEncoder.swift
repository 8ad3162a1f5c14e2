/// Writes a job back as a Freezer-shaped document, as the APIs return it and the store keeps it.
public enum JobDocumentEncoder {
    /// Keys freezer-api always returns in a `freezer_action`, null when unset.
    static let alwaysPresentActionKeys = ["backup_name", "action", "mode", "container", "timeout", "priority", "path_to_backup", "log_file"]

    public static func document(_ job: Job) -> JSONValue {
        var object: [String: JSONValue] = [
            "job_id": .string(job.jobID),
            "job_actions": .array(job.actions.map(action)),
            "job_schedule": schedule(job),
            "overlap": .string(job.overlap.rawValue),
            "missed": .string(job.missed.rawValue),
        ]
        object["client_id"] = job.clientID.map(JSONValue.string)
        object["user_id"] = job.userID.map(JSONValue.string)
        object["project_id"] = job.projectID.map(JSONValue.string)
        object["description"] = job.description.map(JSONValue.string)
        object["timeout"] = job.timeout.map { .number(Double($0)) }
        return .object(object)
    }

    static func action(_ action: JobAction) -> JSONValue {
        var values = action.freezerAction.values
        for key in alwaysPresentActionKeys where values[key] == nil { values[key] = .null }
        return .object([
            "freezer_action": .object(values),
            "mandatory": .bool(action.mandatory),
            "max_retries": .number(Double(action.maxRetries)),
            "max_retries_interval": .number(Double(action.maxRetriesInterval)),
        ])
    }

    static func schedule(_ job: Job) -> JSONValue {
        let state = job.state
        var object: [String: JSONValue] = [
            "status": .string(state.status.rawValue),
            "event": .string(state.event.rawValue),
            "result": .string(state.result.rawValue),
            "time_created": .number(Double(state.timeCreated)),
            "time_started": .number(Double(state.timeStarted)),
            "time_ended": .number(Double(state.timeEnded)),
        ]
        object["current_pid"] = state.currentPID.map { .number(Double($0)) }
        for (key, value) in job.schedule.keys { object[key] = .string(value) }
        return .object(object)
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
