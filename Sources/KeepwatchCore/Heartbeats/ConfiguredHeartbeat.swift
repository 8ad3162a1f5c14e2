/// A heartbeat check defined in keepwatch.yaml's `checks:` (`kind: heartbeat`): made or brought in line at start
/// and on SIGHUP, removed when it leaves the file. `uuid` keeps the ping URL a tool already knows (a check moved
/// from Healthchecks); without it the check keeps the UUID it was first given.
public struct ConfiguredHeartbeat: Sendable, Equatable {
    public var name: String
    public var uuid: String?
    public var spec: HeartbeatSpec

    public init(json: JSONValue, now: Int64? = nil) throws(HeartbeatSpec.Invalid) {
        guard case .object(let fields) = json else { throw HeartbeatSpec.Invalid(message: "is not a mapping") }
        guard case .string(let name)? = fields["name"], !name.isEmpty else {
            throw HeartbeatSpec.Invalid(message: "is missing (every check has a name)", field: "name")
        }
        if let given = fields["uuid"] {
            guard case .string(let uuid) = given, HeartbeatCheck.isUUIDText(uuid) else {
                throw HeartbeatSpec.Invalid(message: "must be a UUID such as 5d1f4a3e-6b9c-4e0a-9a51-3c2b8f7d6e10", field: "uuid")
            }
            self.uuid = uuid.lowercased()
        }
        self.name = name
        spec = try NativeHeartbeatSpec.parse(json, extraKeys: ["uuid"], now: now)
    }

    /// Makes the check's definition exactly the file's (what the file leaves out takes its default), keeping its
    /// state, pings and keys. A name that is a valid slug is also the slug, for `/ping/<ping key>/<name>`.
    public func apply(to check: inout HeartbeatCheck) {
        let defaults = HeartbeatCheck(uuid: check.uuid, createdAt: check.createdAt)
        check.name = defaults.name
        check.slug = defaults.slug
        check.tags = defaults.tags
        check.desc = defaults.desc
        check.kind = defaults.kind
        check.timeout = defaults.timeout
        check.grace = defaults.grace
        check.schedule = defaults.schedule
        check.tz = defaults.tz
        check.manualResume = defaults.manualResume
        check.methods = defaults.methods
        check.keywords = defaults.keywords
        check.channels = defaults.channels
        var spec = spec
        spec.takeSlugFromName()
        spec.apply(to: &check)
    }
}
