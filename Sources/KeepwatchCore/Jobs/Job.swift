/// One step of a job: a Freezer action plus how to retry it and whether it runs after an earlier failure.
public struct JobAction: Hashable, Sendable {
    public var freezerAction: FreezerAction
    /// Runs even when an earlier action failed.
    public var mandatory: Bool
    /// Extra attempts after a failure.
    public var maxRetries: Int
    /// Seconds between attempts.
    public var maxRetriesInterval: Int

    public static let defaultMaxRetries = 0
    public static let defaultRetryInterval = 60

    public init(freezerAction: FreezerAction, mandatory: Bool = false,
                maxRetries: Int = defaultMaxRetries, maxRetriesInterval: Int = defaultRetryInterval) {
        self.freezerAction = freezerAction
        self.mandatory = mandatory
        self.maxRetries = maxRetries
        self.maxRetriesInterval = maxRetriesInterval
    }
}

/// What to do when a job fires while its previous run is still going.
public enum OverlapPolicy: String, Sendable, CaseIterable {
    /// Drop the new fire (the default).
    case skip
    /// Run once more as soon as the current run ends (at most one waits).
    case queue
    /// Abort the current run and start a new one.
    case replace
}

/// What to do about fire times missed while the node was down.
public enum MissedPolicy: String, Sendable, CaseIterable {
    /// Forget them and wait for the next fire time (the default).
    case skip
    /// Run once at start-up if at least one fire time was missed.
    case runOnce = "run_once"
}

/// A Freezer job document with Keepwatch's additions, validated.
public struct Job: Hashable, Sendable {
    public var jobID: String
    public var clientID: String?
    public var userID: String?
    public var projectID: String?
    public var description: String?
    public var actions: [JobAction]
    public var schedule: FreezerSchedule
    public var state: JobState
    /// Seconds a run may take before its process tree is killed; nil for no limit.
    public var timeout: Int?
    public var overlap: OverlapPolicy
    public var missed: MissedPolicy
    /// Whether the node watches the job with a `job` check of its own (`monitor: false` says no).
    public var monitored = true
    /// The job's own notifications (`notify:`, or an mgob plan's smtp and slack blocks).
    public var notify: JobNotify?
    /// Where the job came from: nil for the API, else the path of the mgob plan file that defines it.
    public var planFile: String?
    /// The document as it was submitted (read-only and null keys dropped), so that it reads back as written; kept as
    /// compact JSON text, which costs a fraction of the memory of the parsed tree at 100,000 jobs.
    public var submittedText: String?

    public var submitted: [String: JSONValue]? {
        get { submittedText.flatMap { try? JSONParser.parse($0).objectValue } }
        set { submittedText = newValue.map { JSONWriter.text(.object($0)) } }
    }
    /// How many times the definition was submitted: 1 when created, one more for every PUT or PATCH.
    public var version: Int = 1

    public init(jobID: String, actions: [JobAction], schedule: FreezerSchedule, state: JobState = JobState(),
                description: String? = nil, timeout: Int? = nil, overlap: OverlapPolicy = .skip,
                missed: MissedPolicy = .skip) {
        self.jobID = jobID
        self.actions = actions
        self.schedule = schedule
        self.state = state
        self.description = description
        self.timeout = timeout
        self.overlap = overlap
        self.missed = missed
    }

    /// The backup names this job's backup actions write to.
    public var backupNames: [String] {
        actions.compactMap { $0.freezerAction.kind == .backup ? $0.freezerAction.backupName : nil }
    }
}
