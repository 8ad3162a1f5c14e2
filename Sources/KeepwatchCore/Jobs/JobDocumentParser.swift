/// Reads and validates a job document (JSON, or YAML turned into the same shape) the way freezer-api's
/// schema does: unknown top-level and `job_schedule` keys are refused, enums and patterns are checked,
/// and every error names its field.
public struct JobDocumentParser: Sendable {
    public static let topLevelKeys: Set<String> = [
        "job_actions", "job_schedule", "job_id", "client_id", "user_id", "session_id", "session_tag",
        "session_name", "project_id", "description", "_version", "action_defaults",
        "timeout", "overlap", "missed", "monitor", "notify",
    ]
    public static let stateKeys: Set<String> = [
        "time_created", "time_started", "time_ended", "event", "status", "result", "current_pid",
    ]
    /// Keys the API returns but that are not part of the definition: ignored when a document is sent back.
    public static let readOnlyKeys: Set<String> = ["next_run", "plan_file", "version"]
    static let jobActionKeys: Set<String> = [
        "freezer_action", "mandatory", "max_retries", "max_retries_interval", "max_retry_interval",
        "action_id", "exit_status", "user_id", "project_id",
    ]

    /// Checks what a node can run (tools, supported modes); nil accepts every well-formed action.
    public var actionChecker: (@Sendable (FreezerAction, String) throws(DocumentError) -> Void)?

    /// Whether `freezer_action` keys are checked against the known ones (off for documents read back from the store,
    /// which were checked when they were submitted, possibly by an older version).
    public var checksActionKeys: Bool

    public init(actionChecker: (@Sendable (FreezerAction, String) throws(DocumentError) -> Void)? = nil, checksActionKeys: Bool = true) {
        self.actionChecker = actionChecker
        self.checksActionKeys = checksActionKeys
    }

    /// A job from a document; `jobID` is used when the document has none (a new job), and must match when it has one.
    public func parse(_ document: JSONValue, jobID fallbackID: String) throws(DocumentError) -> Job {
        guard let object = document.objectValue else {
            throw DocumentError(field: "", "a job must be a JSON object, not \(document.typeName)")
        }
        for key in object.keys.sorted() where !Self.topLevelKeys.contains(key) && !Self.readOnlyKeys.contains(key) {
            if key == "user_credentials" { throw DocumentError(field: key, "is set by the server and cannot be submitted") }
            let hint = NearestName.find(key, among: Array(Self.topLevelKeys)).map { "; did you mean \($0)?" } ?? ""
            throw DocumentError(field: key, "is not a job key\(hint)")
        }
        let jobID = try Self.optionalString(object, "job_id") ?? fallbackID
        try Self.checkIdentifier(jobID, field: "job_id")
        let actions = try parseActions(object)
        let (schedule, state) = try Self.parseSchedule(object["job_schedule"])
        var job = Job(jobID: jobID, actions: actions, schedule: schedule, state: state)
        job.clientID = try Self.optionalString(object, "client_id")
        job.userID = try Self.optionalString(object, "user_id")
        job.projectID = try Self.optionalString(object, "project_id")
        job.description = try Self.optionalString(object, "description")
        job.timeout = try Self.optionalInt(object, "timeout", range: 1...(366 * 86_400))
        job.overlap = try Self.optionalEnum(object, "overlap", OverlapPolicy.self) ?? .skip
        job.missed = try Self.optionalEnum(object, "missed", MissedPolicy.self) ?? .skip
        job.monitored = try Self.optionalBool(object, "monitor", field: "monitor") ?? true
        if let notify = object["notify"], notify != .null { job.notify = try JobNotify(json: notify) }
        job.submitted = Self.definition(object, jobID: jobID)
        return job
    }

    private func parseActions(_ object: [String: JSONValue]) throws(DocumentError) -> [JobAction] {
        guard let value = object["job_actions"] else {
            throw DocumentError(field: "job_actions", "is missing: give a list of actions, each with a freezer_action")
        }
        guard case .array(let items) = value else {
            throw DocumentError(field: "job_actions", "must be an array, not \(value.typeName)")
        }
        if items.isEmpty { throw DocumentError(field: "job_actions", "must hold at least one action") }
        var defaults = FreezerAction([:])
        if let given = object["action_defaults"], !given.isNull {
            guard let values = given.objectValue else {
                throw DocumentError(field: "action_defaults", "must be an object, not \(given.typeName)")
            }
            try Self.refuseSpellingCollisions(values, field: "action_defaults")
            defaults = FreezerAction(values)
            if checksActionKeys { try ActionKeys.checkDefaults(Set(defaults.values.keys)) }
        }
        var actions: [JobAction] = []
        for (index, item) in items.enumerated() {
            actions.append(try parseAction(item, defaults: defaults, field: "job_actions[\(index)]"))
        }
        return actions
    }

    private func parseAction(_ item: JSONValue, defaults: FreezerAction, field: String) throws(DocumentError) -> JobAction {
        guard let object = item.objectValue else {
            throw DocumentError(field: field, "must be an object, not \(item.typeName)")
        }
        guard let freezer = object["freezer_action"] else {
            throw DocumentError(field: "\(field).freezer_action", "is required")
        }
        guard let values = freezer.objectValue else {
            throw DocumentError(field: "\(field).freezer_action", "must be an object, not \(freezer.typeName)")
        }
        try Self.refuseSpellingCollisions(values, field: "\(field).freezer_action")
        let own = FreezerAction(values)
        let action = own.merged(with: defaults)
        try ActionValidator.validate(action, own: checksActionKeys ? Set(own.values.keys) : nil, field: "\(field).freezer_action")
        try actionChecker?(action, "\(field).freezer_action")
        let intervalKey = object["max_retries_interval"] != nil ? "max_retries_interval" : "max_retry_interval"
        return JobAction(
            freezerAction: action,
            mandatory: try Self.optionalBool(object, "mandatory", field: field) ?? false,
            maxRetries: try Self.optionalInt(object, "max_retries", range: 0...100, prefix: field) ?? JobAction.defaultMaxRetries,
            maxRetriesInterval: try Self.optionalInt(object, intervalKey, range: 0...86_400, prefix: field) ?? JobAction.defaultRetryInterval)
    }

    static func parseSchedule(_ value: JSONValue?) throws(DocumentError) -> (FreezerSchedule, JobState) {
        guard let value, !value.isNull else { return (FreezerSchedule(), JobState()) }
        guard let object = value.objectValue else {
            throw DocumentError(field: "job_schedule", "must be an object, not \(value.typeName)")
        }
        var ruleKeys: [String: String] = [:]
        for key in object.keys.sorted() {
            let field = "job_schedule.\(key)"
            if stateKeys.contains(key) { continue }
            guard FreezerSchedule.ruleKeys.contains(key) else { throw DocumentError(field: field, "is not a job_schedule key") }
            switch object[key] {
            case .string(let text)?: ruleKeys[key] = text
            case .number(let number)? where number.rounded() == number:
                guard let whole = Int(exactly: number), abs(whole) < 1_000_000 else {
                    throw DocumentError(field: field, "\(number.formatted) is not a value of \(key)")
                }
                ruleKeys[key] = String(whole)
            case .null?, nil: continue
            case let other?: throw DocumentError(field: field, "must be a string, not \(other.typeName)")
            }
        }
        var state = JobState()
        state.status = try optionalEnum(object, "status", JobStatus.self, prefix: "job_schedule") ?? .none
        state.event = try optionalEnum(object, "event", JobEvent.self, prefix: "job_schedule") ?? .none
        state.result = try optionalEnum(object, "result", JobResult.self, prefix: "job_schedule") ?? .none
        let timeRange = -1...Int(Int32.max) * 4
        state.timeCreated = Int64(try optionalInt(object, "time_created", range: timeRange, prefix: "job_schedule") ?? -1)
        state.timeStarted = Int64(try optionalInt(object, "time_started", range: timeRange, prefix: "job_schedule") ?? -1)
        state.timeEnded = Int64(try optionalInt(object, "time_ended", range: timeRange, prefix: "job_schedule") ?? -1)
        state.currentPID = try optionalInt(object, "current_pid", range: 0...Int(Int32.max), prefix: "job_schedule")
        do {
            let schedule = try FreezerSchedule(keys: ruleKeys)
            if schedule.hasRule { _ = try schedule.schedule(createdAt: Instant(secondsSince1970: 0)) }
            return (schedule, state)
        } catch {
            throw scheduleError(error)
        }
    }

    /// The same key written twice, once with `-` and once with `_` (or as `src_file` and `path_to_backup`),
    /// is refused rather than resolved by chance.
    static func refuseSpellingCollisions(_ values: [String: JSONValue], field: String) throws(DocumentError) {
        var seen: [String: String] = [:]
        for key in values.keys.sorted() where !(values[key]?.isNull ?? true) {
            var normalized = FreezerAction.normalize(key)
            if normalized == "src_file" { normalized = "path_to_backup" }
            if let earlier = seen[normalized] {
                throw DocumentError(field: "\(field).\(key)", "'\(earlier)' and '\(key)' are the same key; give it once")
            }
            seen[normalized] = key
        }
    }

    /// The definition part of a submitted document: read-only keys, run-state keys and null values dropped.
    static func definition(_ object: [String: JSONValue], jobID: String) -> [String: JSONValue] {
        var kept = object.filter { !readOnlyKeys.contains($0.key) }
        kept["job_id"] = .string(jobID)
        if let schedule = kept["job_schedule"]?.objectValue {
            kept["job_schedule"] = .object(schedule.filter { !stateKeys.contains($0.key) })
        }
        return JSONValue.object(kept).droppingNulls.objectValue ?? [:]
    }

    static func scheduleError(_ error: ScheduleError) -> DocumentError {
        if error.field.hasPrefix("schedule_") { return DocumentError(field: "job_schedule.\(error.field)", error.message) }
        if error.field == "job_schedule" { return DocumentError(field: "job_schedule", error.message) }
        return DocumentError(field: "job_schedule.schedule_cron", error.description)
    }

    static func checkIdentifier(_ value: String, field: String) throws(DocumentError) {
        let valid = !value.isEmpty && value.utf8.count <= 128 && value.unicodeScalars.allSatisfy {
            ($0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "_" || $0 == "-") && $0.isASCII
        }
        if !valid { throw DocumentError(field: field, "'\(value.clipped)' may hold only letters, digits, '_' and '-' (at most 128)") }
        if value.hasPrefix("-") { throw DocumentError(field: field, "'\(value.clipped)' must not start with '-' (it would read as an option on the command line)") }
    }

    static func optionalString(_ object: [String: JSONValue], _ key: String) throws(DocumentError) -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case let other?: throw DocumentError(field: key, "must be a string, not \(other.typeName)")
        }
    }

    static func optionalBool(_ object: [String: JSONValue], _ key: String, field: String) throws(DocumentError) -> Bool? {
        switch object[key] {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        case let other?: throw DocumentError(field: "\(field).\(key)", "must be true or false, not \(other.typeName)")
        }
    }

    static func optionalInt(_ object: [String: JSONValue], _ key: String, range: ClosedRange<Int>,
                            prefix: String? = nil) throws(DocumentError) -> Int? {
        let field = prefix.map { "\($0).\(key)" } ?? key
        switch object[key] {
        case nil, .null?: return nil
        case .number(let number)? where number.rounded() == number && abs(number) < 1e15:
            let value = Int(number)
            guard range.contains(value) else { throw DocumentError(field: field, "\(value) is outside \(range.lowerBound)-\(range.upperBound)") }
            return value
        case .number?: throw DocumentError(field: field, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        case let other?: throw DocumentError(field: field, "must be a whole number, not \(other.typeName)")
        }
    }

    static func optionalEnum<T: RawRepresentable & CaseIterable>(_ object: [String: JSONValue], _ key: String, _ type: T.Type,
                                                                 prefix: String? = nil) throws(DocumentError) -> T? where T.RawValue == String {
        let field = prefix.map { "\($0).\(key)" } ?? key
        switch object[key] {
        case nil, .null?: return nil
        case .string(let text)?:
            if let value = T(rawValue: text) { return value }
            let allowed = T.allCases.map { $0.rawValue.isEmpty ? "\"\"" : $0.rawValue }.joined(separator: ", ")
            throw DocumentError(field: field, "'\(text)' is not one of \(allowed)")
        case let other?: throw DocumentError(field: field, "must be a string, not \(other.typeName)")
        }
    }
}
