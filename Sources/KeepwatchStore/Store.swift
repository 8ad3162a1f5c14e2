import KeepwatchCore

/// Everything Keepwatch persists: jobs, runs and backups. One API, several engines (SQLite embedded,
/// PostgreSQL for clusters); callers never see SQL.
public protocol Store: Sendable {
    /// Creates or upgrades the schema; safe to call at every start.
    func migrate() async throws
    func close() async throws

    /// Fails with `StoreError.duplicate` when the id is taken.
    func insertJob(_ job: Job, nextRun: Int64?) async throws
    /// Fails with `StoreError.notFound` when there is no such job.
    func updateJob(_ job: Job, nextRun: Int64?) async throws
    /// Records only the scheduler's next fire time (leaves the document alone).
    func setNextRun(_ jobID: String, _ nextRun: Int64?) async throws
    func job(_ id: String) async throws -> StoredJob?
    func jobs() async throws -> [StoredJob]
    /// Whether a job was deleted.
    func deleteJob(_ id: String) async throws -> Bool

    func insertRun(_ run: Run) async throws
    func updateRun(_ run: Run) async throws
    func run(_ id: String) async throws -> Run?
    /// Newest first.
    func runs(jobID: String?, limit: Int) async throws -> [Run]
    func runs(status: Run.Status) async throws -> [Run]
    /// Removes every run of a job (its history goes with it).
    func deleteRuns(jobID: String) async throws
    /// Removes one run of a job.
    func deleteRuns(jobID: String, runID: String) async throws
    /// The newest run of every job, keyed by job id.
    func latestRuns() async throws -> [String: Run]

    func insertBackup(_ backup: BackupManifest) async throws
    /// Oldest first.
    func backups(name: String?) async throws -> [BackupManifest]
    /// The backups with these ids, oldest first.
    func backups(ids: [String]) async throws -> [BackupManifest]
    func deleteBackup(_ id: String) async throws
}

/// A job as stored, with the scheduler's next fire time (Unix seconds).
public struct StoredJob: Sendable, Hashable {
    public var job: Job
    public var nextRun: Int64?

    public init(job: Job, nextRun: Int64?) {
        self.job = job
        self.nextRun = nextRun
    }
}

public enum StoreError: Error, Equatable, CustomStringConvertible {
    /// Whether an error from the database engine says the disk (or the database) is full.
    public static func isOutOfSpace(_ error: any Error) -> Bool {
        let text = String(describing: error).lowercased()
        return text.contains("database or disk is full") || text.contains("no space left") || text.contains("reason: full")
            || text.contains("sqlite_full")
    }

    case duplicate(String)
    case notFound(String)
    case corrupt(String)
    /// What the database engine said when a statement failed.
    case failed(String)

    public var description: String {
        switch self {
        case .duplicate(let what): return "\(what) already exists"
        case .notFound(let what): return "\(what) not found"
        case .corrupt(let what): return "stored data is damaged: \(what)"
        case .failed(let what): return what
        }
    }
}
