import KeepwatchCore

/// One kind of remote system. An adapter is made per source and may keep state between refreshes (a session
/// cookie); `refresh` reads the remote and turns its data into the normalized records, or throws `SourceFailure`.
/// The poller bounds it with the source's timeout and cancels it when the source is removed.
public protocol SourceAdapter: Sendable {
    func refresh(_ source: SourceDefinition, settings: HubSettings) async throws -> SourceSnapshot
}

/// Hub-wide settings (keepwatch.yaml's `fetch_jobs_hours`, `fetch_backups_days` and `hub_concurrency`, read at start).
public struct HubSettings: Sendable, Equatable {
    /// cmon-proxy's windows: job instances of the last `fetchJobsHours`, backups of the last `fetchBackupsDays`.
    public var fetchJobsHours: Int
    public var fetchBackupsDays: Int
    /// How many sources are refreshed at the same time.
    public var concurrency: Int
    /// The largest reply a source may send.
    public var maximumReplyBytes: Int

    public init(fetchJobsHours: Int = 12, fetchBackupsDays: Int = 7, concurrency: Int = 32, maximumReplyBytes: Int = 32 << 20) {
        self.fetchJobsHours = fetchJobsHours
        self.fetchBackupsDays = fetchBackupsDays
        self.concurrency = concurrency
        self.maximumReplyBytes = maximumReplyBytes
    }
}
