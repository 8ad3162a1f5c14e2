import Foundation
import KeepwatchCore
import SQLKit

/// The store over any SQLKit database. Documents are kept as JSON text beside the columns that are queried.
public final class SQLStore: Store {
    public let database: any SQLDatabase
    /// The SQLite file, which the heartbeat writer opens a connection of its own to (`HeartbeatBatchFile`).
    let path: String?
    private let onClose: @Sendable () async throws -> Void
    /// Seals the secrets in job documents before they are written; nil keeps them as they are (tests).
    let sealer: (any SecretSealer)?

    public init(database: any SQLDatabase, path: String? = nil, sealer: (any SecretSealer)? = nil,
                onClose: @escaping @Sendable () async throws -> Void) {
        self.database = database
        self.path = path
        self.sealer = sealer
        self.onClose = onClose
    }

    public func close() async throws { try await onClose() }

    public func migrate() async throws {
        try await database.raw("CREATE TABLE IF NOT EXISTS keepwatch_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)").run()
        let rows = try await database.raw("SELECT version FROM keepwatch_migrations").all()
        let applied = Set(try rows.map { try $0.decode(column: "version", as: Int.self) })
        for step in Migrations.steps where !applied.contains(step.version) {
            for statement in step.statements { try await database.raw(SQLQueryString(statement)).run() }
            let now = Int64(Date().timeIntervalSince1970)
            try await database.raw("INSERT INTO keepwatch_migrations (version, applied_at) VALUES (\(bind: step.version), \(bind: now))").run()
        }
    }

    // MARK: jobs

    public func insertJob(_ job: Job, nextRun: Int64?) async throws {
        if try await database.raw("SELECT job_id FROM jobs WHERE job_id = \(bind: job.jobID)").first() != nil {
            throw StoreError.duplicate("job \(job.jobID)")
        }
        try await database.raw("""
            INSERT INTO jobs (job_id, document, status, next_run, plan_file, updated_at)
            VALUES (\(bind: job.jobID), \(bind: try text(job)), \(bind: job.state.status.rawValue), \(bind: nextRun),
                    \(bind: job.planFile), \(bind: Self.now()))
            """).run()
    }

    public func updateJob(_ job: Job, nextRun: Int64?) async throws {
        guard try await database.raw("SELECT job_id FROM jobs WHERE job_id = \(bind: job.jobID)").first() != nil else {
            throw StoreError.notFound("job \(job.jobID)")
        }
        try await database.raw("""
            UPDATE jobs SET document = \(bind: try text(job)), status = \(bind: job.state.status.rawValue),
                next_run = \(bind: nextRun), plan_file = \(bind: job.planFile), updated_at = \(bind: Self.now())
            WHERE job_id = \(bind: job.jobID)
            """).run()
    }

    public func setNextRun(_ jobID: String, _ nextRun: Int64?) async throws {
        try await database.raw("UPDATE jobs SET next_run = \(bind: nextRun) WHERE job_id = \(bind: jobID)").run()
    }

    public func job(_ id: String) async throws -> StoredJob? {
        try await database.raw("SELECT job_id, document, next_run, plan_file FROM jobs WHERE job_id = \(bind: id)").first()
            .map(storedJob)
    }

    public func jobs() async throws -> [StoredJob] {
        try await database.raw("SELECT job_id, document, next_run, plan_file FROM jobs ORDER BY job_id").all().map(storedJob)
    }

    public func deleteJob(_ id: String) async throws -> Bool {
        guard try await job(id) != nil else { return false }
        try await database.raw("DELETE FROM jobs WHERE job_id = \(bind: id)").run()
        return true
    }

    // MARK: runs

    public func insertRun(_ run: Run) async throws {
        try await database.raw("""
            INSERT INTO runs (run_id, job_id, status, started_at, document)
            VALUES (\(bind: run.runID), \(bind: run.jobID), \(bind: run.status.rawValue), \(bind: run.startedAt), \(bind: try Self.json(run)))
            """).run()
    }

    public func updateRun(_ run: Run) async throws {
        try await database.raw("""
            UPDATE runs SET status = \(bind: run.status.rawValue), document = \(bind: try Self.json(run)) WHERE run_id = \(bind: run.runID)
            """).run()
    }

    public func run(_ id: String) async throws -> Run? {
        try await database.raw("SELECT document FROM runs WHERE run_id = \(bind: id)").first().map(Self.decodeDocument)
    }

    public func runs(jobID: String?, limit: Int) async throws -> [Run] {
        let rows: [any SQLRow]
        if let jobID {
            rows = try await database.raw("""
                SELECT document FROM runs WHERE job_id = \(bind: jobID) ORDER BY started_at DESC, run_id DESC LIMIT \(bind: limit)
                """).all()
        } else {
            rows = try await database.raw("SELECT document FROM runs ORDER BY started_at DESC, run_id DESC LIMIT \(bind: limit)").all()
        }
        return try rows.map(Self.decodeDocument)
    }

    public func runs(status: Run.Status) async throws -> [Run] {
        try await database.raw("SELECT document FROM runs WHERE status = \(bind: status.rawValue) ORDER BY started_at").all()
            .map(Self.decodeDocument)
    }

    public func deleteRuns(jobID: String) async throws {
        try await database.raw("DELETE FROM runs WHERE job_id = \(bind: jobID)").run()
    }

    public func deleteRuns(jobID: String, runID: String) async throws {
        try await database.raw("DELETE FROM runs WHERE job_id = \(bind: jobID) AND run_id = \(bind: runID)").run()
    }

    public func latestRuns() async throws -> [String: Run] {
        let rows = try await database.raw("""
            SELECT document FROM runs AS newest
            WHERE started_at = (SELECT MAX(started_at) FROM runs AS other WHERE other.job_id = newest.job_id)
            ORDER BY started_at, run_id
            """).all()
        var latest: [String: Run] = [:]
        for row in rows {
            let run: Run = try Self.decodeDocument(row)
            latest[run.jobID] = run
        }
        return latest
    }

    // MARK: backups

    public func insertBackup(_ backup: BackupManifest) async throws {
        try await database.raw("""
            INSERT INTO backups (backup_id, backup_name, job_id, started_at, document)
            VALUES (\(bind: backup.backupID), \(bind: backup.backupName), \(bind: backup.jobID), \(bind: backup.startedAt),
                    \(bind: try Self.json(backup)))
            """).run()
    }

    public func backups(name: String?) async throws -> [BackupManifest] {
        let rows: [any SQLRow]
        if let name {
            rows = try await database.raw("SELECT document FROM backups WHERE backup_name = \(bind: name) ORDER BY started_at, backup_id").all()
        } else {
            rows = try await database.raw("SELECT document FROM backups ORDER BY backup_name, started_at, backup_id").all()
        }
        return try rows.map(Self.decodeDocument)
    }

    public func backups(ids: [String]) async throws -> [BackupManifest] {
        guard !ids.isEmpty else { return [] }
        return try await database.raw("SELECT document FROM backups WHERE backup_id IN (\(binds: ids)) ORDER BY started_at, backup_id")
            .all().map(Self.decodeDocument)
    }

    public func deleteBackup(_ id: String) async throws {
        try await database.raw("DELETE FROM backups WHERE backup_id = \(bind: id)").run()
    }

    // MARK: encoding

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    func text(_ job: Job) throws -> String {
        let document = JobDocumentEncoder.document(job)
        return try Self.json(sealer.map { SecretFields.sealed(document, with: $0) } ?? document)
    }

    static func decodeDocument<T: Decodable>(_ row: any SQLRow) throws -> T {
        let text = try row.decode(column: "document", as: String.self)
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            throw StoreError.corrupt("\(T.self) document: \(error)")
        }
    }

    func storedJob(_ row: any SQLRow) throws -> StoredJob {
        let id = try row.decode(column: "job_id", as: String.self)
        var document: JSONValue = try Self.decodeDocument(row)
        if let sealer { document = try SecretFields.opened(document, with: sealer) }
        do {
            var job = try JobDocumentParser(checksActionKeys: false).parse(document, jobID: id)
            job.version = document["version"]?.int64Value.flatMap { Int(exactly: $0) } ?? 1
            job.planFile = try Self.optional(row, "plan_file", as: String.self)
            let nextRun = try Self.optional(row, "next_run", as: Int64.self)
            return StoredJob(job: job, nextRun: nextRun)
        } catch let error as DocumentError {
            throw StoreError.corrupt("job \(id): \(error)")
        }
    }
}
