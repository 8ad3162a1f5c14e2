/// One execution of a job: why it started, how each action went, and how it ended.
public struct Run: Codable, Hashable, Sendable {
    public enum Trigger: String, Codable, Sendable {
        case schedule, manual, missed, queued
    }

    public enum Status: String, Codable, Sendable {
        case running, success, fail, aborted

        public var jobResult: JobResult {
            switch self {
            case .running: return .none
            case .success: return .success
            case .fail: return .fail
            case .aborted: return .aborted
            }
        }
    }

    public var runID: String
    public var jobID: String
    public var trigger: Trigger
    public var status: Status
    /// Unix seconds.
    public var startedAt: Int64
    public var endedAt: Int64?
    public var actions: [ActionOutcome]
    /// Wall time of the whole run, measured on a monotonic clock.
    public var elapsedNanoseconds: Int64?
    /// The run's log file.
    public var logPath: String
    /// Why the run failed or was aborted, in one line.
    public var message: String?

    public init(runID: String, jobID: String, trigger: Trigger, startedAt: Int64, logPath: String) {
        self.runID = runID
        self.jobID = jobID
        self.trigger = trigger
        self.status = .running
        self.startedAt = startedAt
        self.actions = []
        self.logPath = logPath
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", jobID = "job_id", trigger, status, startedAt = "started_at", endedAt = "ended_at"
        case elapsedNanoseconds = "elapsed_ns", actions, logPath = "log_path", message
    }
}

/// How one action of a run went.
public struct ActionOutcome: Codable, Hashable, Sendable {
    public enum Status: String, Codable, Sendable {
        case success, fail, skipped, aborted
    }

    public var index: Int
    public var action: String
    public var mode: String?
    public var status: Status
    public var attempts: Int
    public var startedAt: Int64?
    public var endedAt: Int64?
    public var exitCode: Int32?
    public var message: String?
    /// The backup the action produced, if any.
    public var backupID: String?

    public init(index: Int, action: String, mode: String?, status: Status, attempts: Int) {
        self.index = index
        self.action = action
        self.mode = mode
        self.status = status
        self.attempts = attempts
    }

    enum CodingKeys: String, CodingKey {
        case index, action, mode, status, attempts, startedAt = "started_at", endedAt = "ended_at"
        case exitCode = "exit_code", message, backupID = "backup_id"
    }
}
