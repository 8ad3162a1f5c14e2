import KeepwatchCore

/// What a non-cmon adapter knows about one backup target (a Keepwatch job, an mgob plan, an Ethoscope device),
/// before it is turned into cmon-shaped items by `TargetItems`.
struct TargetReport: Sendable {
    enum Outcome: Sendable { case success, failure, running, unknown }

    struct Host: Sendable {
        var id: String
        var hostname: String
        var port: Int64?
        var status: String
        var nodetype: String
        var role: String
    }

    struct RunRecord: Sendable {
        var id: String
        var outcome: Outcome
        var title: String
        var created: Int64
        var started: Int64?
        var ended: Int64?
        var message: String
    }

    struct BackupRecord: Sendable {
        var id: String
        var succeeded: Bool
        var method: String
        var created: Int64
        var finished: Int64?
        var size: Int64?
        var file: String?
        var name: String?
    }

    var id: String
    var name: String
    var type: String
    var tags: [String] = []
    var hosts: [Host] = []
    /// Newest first.
    var runs: [RunRecord] = []
    var backups: [BackupRecord] = []
    /// The schedule in words, when the target has one.
    var schedule: String?
    /// Seconds between two scheduled runs, when known.
    var period: Int64?
    /// Seconds of the newest success (a backup or a run).
    var lastSuccess: Int64?
    /// The newest finished run's outcome and message.
    var lastOutcome: Outcome = .unknown
    var lastMessage: String = ""
    var lastFinished: Int64?
    /// A state the remote states itself (Ethoscope's `overall_status`), instead of one derived from the runs.
    var stateOverride: String?

    /// Stale: a success exists but is older than two periods of the schedule (one missed run is forgiven).
    func isStale(now: Int64) -> Bool {
        guard let period, period > 0, let lastSuccess else { return false }
        return now - lastSuccess > 2 * period
    }

    /// cmon's cluster state words: STARTED when the last run succeeded, FAILURE when it failed, DEGRADED when the
    /// newest success is stale, UNKNOWN before any run.
    func state(now: Int64) -> String {
        if let stateOverride { return stateOverride }
        if lastOutcome == .failure { return "FAILURE" }
        if isStale(now: now) { return "DEGRADED" }
        if lastOutcome == .success || lastSuccess != nil { return "STARTED" }
        return "UNKNOWN"
    }
}
