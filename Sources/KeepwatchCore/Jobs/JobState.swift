/// `job_schedule.status`: where a job is in its life (Freezer's values, plus `aborting` while a kill is under way).
public enum JobStatus: String, Codable, Sendable, CaseIterable {
    case none = ""
    case scheduled, running, completed, stop, aborting, removed
}

/// `job_schedule.event`: what an operator asked for and the node has not yet fully carried out.
public enum JobEvent: String, Codable, Sendable, CaseIterable {
    case none = ""
    case start, stop, abort, remove
}

/// `job_schedule.result`: how the last run ended.
public enum JobResult: String, Codable, Sendable, CaseIterable {
    case none = ""
    case success, fail, aborted
}

/// The run-state keys of a Freezer `job_schedule`. Times are Unix seconds, -1 when unset.
public struct JobState: Hashable, Sendable {
    public var status: JobStatus = .none
    public var event: JobEvent = .none
    public var result: JobResult = .none
    public var timeCreated: Int64 = -1
    public var timeStarted: Int64 = -1
    public var timeEnded: Int64 = -1
    public var currentPID: Int?

    public init() {}
}
