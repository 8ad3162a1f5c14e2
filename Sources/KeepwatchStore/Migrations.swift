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
        (2, [
            """
            CREATE TABLE users (
                username TEXT PRIMARY KEY, email TEXT, first_name TEXT, last_name TEXT, role TEXT NOT NULL,
                suspended INTEGER NOT NULL, password_hash TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE sessions (
                session_hash TEXT PRIMARY KEY, username TEXT NOT NULL, created_at BIGINT NOT NULL,
                last_active_at BIGINT NOT NULL, source TEXT NOT NULL)
            """,
            "CREATE INDEX sessions_by_user ON sessions (username)",
            """
            CREATE TABLE api_tokens (
                token_id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL UNIQUE, name TEXT NOT NULL, role TEXT NOT NULL,
                created_at BIGINT NOT NULL, expires_at BIGINT, revoked_at BIGINT, last_used_at BIGINT)
            """,
            """
            CREATE TABLE audit_log (
                entry_id TEXT PRIMARY KEY, at BIGINT NOT NULL, action TEXT NOT NULL, username TEXT NOT NULL,
                source TEXT NOT NULL, result TEXT NOT NULL, detail TEXT)
            """,
            "CREATE INDEX audit_by_time ON audit_log (at)",
        ]),
        (3, [
            // Entries are ordered by when they were written, not by the second they carry.
            "ALTER TABLE audit_log ADD COLUMN sequence BIGINT",
            "CREATE INDEX audit_by_sequence ON audit_log (sequence)",
        ]),
        (4, [
            // Sources the hub watches; `document` holds the definition with its password and token sealed.
            """
            CREATE TABLE sources (
                xid TEXT PRIMARY KEY, url TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
                document TEXT NOT NULL, updated_at BIGINT NOT NULL)
            """,
        ]),
        (5, [
            // Heartbeat checks (Healthchecks-compatible): the check's document, its last pings and its flips.
            "CREATE TABLE heartbeat_checks (uuid TEXT PRIMARY KEY, slug TEXT NOT NULL, document TEXT NOT NULL, updated_at BIGINT NOT NULL)",
            "CREATE TABLE heartbeat_pings (uuid TEXT NOT NULL, n BIGINT NOT NULL, created BIGINT NOT NULL, document TEXT NOT NULL, PRIMARY KEY (uuid, n))",
            "CREATE TABLE heartbeat_flips (id INTEGER PRIMARY KEY AUTOINCREMENT, uuid TEXT NOT NULL, created BIGINT NOT NULL, old TEXT NOT NULL, new TEXT NOT NULL, reason TEXT NOT NULL)",
            "CREATE INDEX heartbeat_flips_by_check ON heartbeat_flips (uuid, id)",
            // Management API keys (`X-Api-Key`): only their SHA-256 is kept.
            """
            CREATE TABLE monitor_api_keys (
                key_id TEXT PRIMARY KEY, name TEXT NOT NULL, read_only INTEGER NOT NULL, secret_hash TEXT NOT NULL UNIQUE,
                created_at BIGINT NOT NULL, revoked_at BIGINT)
            """,
            "CREATE TABLE node_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        ]),
        (6, [
            // Notifications: channels made through the API (their document sealed whole), the outbox, silences,
            // and the problems reminders repeat.
            "CREATE TABLE notification_channels (name TEXT PRIMARY KEY, document TEXT NOT NULL, updated_at BIGINT NOT NULL)",
            """
            CREATE TABLE notification_outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, document TEXT NOT NULL, state TEXT NOT NULL,
                due_at BIGINT NOT NULL, created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX notification_outbox_by_state ON notification_outbox (state, due_at)",
            "CREATE TABLE notification_silences (id TEXT PRIMARY KEY, document TEXT NOT NULL, until BIGINT NOT NULL)",
            """
            CREATE TABLE notification_problems (
                channel TEXT NOT NULL, problem_key TEXT NOT NULL, event TEXT NOT NULL, last_notified BIGINT NOT NULL,
                PRIMARY KEY (channel, problem_key))
            """,
        ]),
    ]
}
