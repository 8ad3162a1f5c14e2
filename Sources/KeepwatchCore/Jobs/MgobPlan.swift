/// An mgob plan (`plans/<id>.yml`) read as a Keepwatch job `<id>`: a `mongo` backup named after the plan,
/// `scheduler.cron` as its schedule, `scheduler.retention` as a keep-last admin action and
/// `scheduler.timeout` (minutes) as its timeout.
public enum MgobPlan {
    public struct Conversion: Sendable {
        public var job: Job
        /// Plan blocks this node does not carry out yet, named for the log.
        public var ignoredBlocks: [String]
    }

    static let supportedBlocks: Set<String> = ["scheduler", "target", "name", "smtp", "slack"]
    static let targetKeys = ["host", "port", "uri", "username", "password", "database", "params"]

    public static func convert(id: String, plan: JSONValue, container: String) throws(DocumentError) -> Conversion {
        try JobDocumentParser.checkIdentifier(id, field: "plan file name")
        guard let object = plan.objectValue else {
            throw DocumentError(field: "", "a plan must be a YAML mapping, not \(plan.typeName)")
        }
        let scheduler = try block(object, "scheduler")
        guard let cron = scheduler["cron"]?.stringValue else {
            throw DocumentError(field: "scheduler.cron", "is required (a cron expression such as \"0 3 * * *\")")
        }
        var backup: [String: JSONValue] = ["action": "backup", "mode": "mongo", "backup_name": .string(id), "container": .string(container)]
        let target = try block(object, "target")
        for key in targetKeys {
            if let value = target[key], !value.isNull { backup[key] = value }
        }
        var actions = [JobAction(freezerAction: FreezerAction(backup))]
        let retention = try integer(scheduler, "retention", field: "scheduler.retention")
        if let retention, retention > 0 {
            let prune: [String: JSONValue] = ["action": "admin", "backup_name": .string(id), "container": .string(container),
                                              "keep_last": .number(Double(retention))]
            actions.append(JobAction(freezerAction: FreezerAction(prune)))
        }
        var schedule = FreezerSchedule(cron: cron)
        schedule.timeZone = scheduler["time_zone"]?.stringValue
        do {
            _ = try schedule.schedule(createdAt: Instant(secondsSince1970: 0))
        } catch {
            throw DocumentError(field: "scheduler.cron", error.description)
        }
        var job = Job(jobID: id, actions: actions, schedule: schedule, description: "mgob plan \(id)")
        if let minutes = try integer(scheduler, "timeout", field: "scheduler.timeout"), minutes > 0 {
            job.timeout = minutes * 60
        }
        let smtp = object["smtp"] == nil ? nil : try block(object, "smtp")
        let slack = object["slack"] == nil ? nil : try block(object, "slack")
        job.notify = try JobNotify.mgob(plan: id, smtp: smtp, slack: slack)
        let ignored = object.keys.filter { !supportedBlocks.contains($0) }.sorted()
        return Conversion(job: job, ignoredBlocks: ignored)
    }

    private static func block(_ object: [String: JSONValue], _ key: String) throws(DocumentError) -> [String: JSONValue] {
        guard let value = object[key], !value.isNull else { return [:] }
        guard let block = value.objectValue else {
            throw DocumentError(field: key, "must be a mapping, not \(value.typeName)")
        }
        return block
    }

    private static func integer(_ object: [String: JSONValue], _ key: String, field: String) throws(DocumentError) -> Int? {
        switch object[key] {
        case nil, .null?: return nil
        case .number(let value)? where value.rounded() == value && value >= 0 && value < 1e9: return Int(value)
        case let other?: throw DocumentError(field: field, "must be a whole number, 0 or more, not \(other.typeName)")
        }
    }
}
