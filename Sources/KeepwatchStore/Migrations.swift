/// The schema, as numbered steps; a database records which it has applied in `keepwatch_migrations`.
/// Statements use only SQL that SQLite and PostgreSQL both read.
enum Migrations {
    static let steps: [(version: Int, statements: [String])] = [
        (1, [
            """
            CREATE TABLE jobs (
                job_id TEXT PRIMARY KEY, document TEXT NOT NULL, status TEXT NOT NULL,
                next_run BIGINT, plan_file TEXT, updated_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE runs (
                run_id TEXT PRIMARY KEY, job_id TEXT NOT NULL, status TEXT NOT NULL,
                started_at BIGINT NOT NULL, document TEXT NOT NULL)
            """,
            "CREATE INDEX runs_by_job ON runs (job_id, started_at)",
            "CREATE INDEX runs_by_status ON runs (status)",
            """
            CREATE TABLE backups (
                backup_id TEXT PRIMARY KEY, backup_name TEXT NOT NULL, job_id TEXT NOT NULL,
                started_at BIGINT NOT NULL, document TEXT NOT NULL)
            """,
            "CREATE INDEX backups_by_name ON backups (backup_name, started_at)",
        ]),
    ]
}
