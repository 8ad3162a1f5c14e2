import Foundation
import Testing

/// Database modes against real servers: dump → drop → restore → row-by-row equality.
@Suite(.serialized) struct DatabaseBackupTests {
    func runNow(_ node: NodeProcess, _ job: String) async throws {
        let reply = try await node.request(.POST, "/backup/\(job)")
        #expect(reply.status == 200, "\(reply.body)\n\(node.log)")
    }

    func createJob(_ node: NodeProcess, _ id: String, _ action: [String: Any]) async throws {
        let reply = try await node.request(.POST, "/api/v1/jobs", json: [
            "job_id": id, "job_schedule": ["status": "stop", "schedule_interval": "1 days"], "job_actions": [["freezer_action": action]],
        ])
        #expect(reply.status == 201, "\(reply.body)")
    }

    func runLog(_ node: NodeProcess, _ job: String) async throws -> String {
        guard let runID = try await node.runs(job).first?["run_id"] as? String else { return "" }
        return try await node.get("/api/v1/runs/\(runID)/log?follow=false").body
    }

    @Test func postgresDumpDropRestore() async throws {
        let node = try NodeProcess()
        let server = try await DatabaseServers.Postgres(root: node.root)
        try await server.sql("CREATE DATABASE app")
        try await server.sql("""
            CREATE TABLE items (id int PRIMARY KEY, name text, amount numeric(12,2), tags text[], created timestamptz);
            INSERT INTO items SELECT g, 'item ' || g || ' ✓', g * 1.25, ARRAY['a', 'b' || g], '2026-01-01'::timestamptz + g * interval '1 hour'
              FROM generate_series(1, 2000) g;
            INSERT INTO items VALUES (5000, NULL, NULL, NULL, NULL);
            CREATE VIEW expensive AS SELECT id FROM items WHERE amount > 100;
            """, database: "app")
        let before = try await server.sql("SELECT * FROM items ORDER BY id", database: "app")
        let passwordFile = node.root.appendingPathComponent("pg.pass").path
        try (server.password + "\n").write(toFile: passwordFile, atomically: true, encoding: .utf8)
        try await node.start()
        let connection: [String: Any] = ["host": "127.0.0.1", "port": server.port, "user": server.user, "database": "app",
                                         "password_file": passwordFile, "backup_name": "appdb", "mode": "postgres"]
        try await createJob(node, "pg-backup", connection.merging(["action": "backup"]) { $1 })
        try await runNow(node, "pg-backup")
        let backups = try await node.get("/api/v1/backups?backup_name=appdb").object["backups"] as? [[String: Any]] ?? []
        #expect(backups.count == 1)
        #expect((backups.first?["file"] as? String)?.hasSuffix(".pgdump.zst") == true)
        #expect(backups.first?["source"] as? String == "postgres://kwtest@127.0.0.1:\(server.port)/app")

        try await server.sql("DROP VIEW expensive; DROP TABLE items; CREATE TABLE intruder (x int);", database: "app")
        try await createJob(node, "pg-restore", connection.merging(["action": "restore", "overwrite": true]) { $1 })
        try await runNow(node, "pg-restore")
        let after = try await server.sql("SELECT * FROM items ORDER BY id", database: "app")
        #expect(after == before, "rows differ after restore")
        #expect(after.split(separator: "\n").count == 2001)
        #expect(try await server.sql("SELECT count(*) FROM expensive", database: "app").trimmingCharacters(in: .whitespacesAndNewlines) == "1920")
        let log = try await runLog(node, "pg-backup") + (try await runLog(node, "pg-restore")) + node.log
        #expect(!log.contains(server.password), "the password never reaches a log")
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: node.dataPath + "/tmp")) ?? []
        #expect(leftovers.isEmpty, "credential files are removed: \(leftovers)")

        let wrongFile = node.root.appendingPathComponent("wrong.pass").path
        try "nope\n".write(toFile: wrongFile, atomically: true, encoding: .utf8)
        try await createJob(node, "pg-wrong", connection.merging(["action": "backup", "password_file": wrongFile, "backup_name": "wrong"]) { $1 })
        let failed = try await node.request(.POST, "/backup/pg-wrong")
        #expect(failed.status == 500)
        #expect(try await node.get("/api/v1/backups?backup_name=wrong").body.contains("\"backups\":[]"), "a failed dump leaves no backup")
        await node.stop()
        await server.stop()
    }

    @Test func mariadbDumpDropRestore() async throws {
        let node = try NodeProcess()
        let server = try await DatabaseServers.MariaDB(root: node.root)
        try await server.rootSQL("""
            CREATE DATABASE shop CHARACTER SET utf8mb4;
            CREATE TABLE shop.orders (id INT PRIMARY KEY, customer VARCHAR(100), total DECIMAL(10,2), note TEXT, blob_col VARBINARY(16));
            INSERT INTO shop.orders VALUES (1, 'Ann ✓', 10.50, 'first', 0x00FF10), (2, 'Bob', 0.01, NULL, NULL), (3, 'O''Brien', 99999.99, 'quote', 0xDEADBEEF);
            CREATE TRIGGER shop.orders_upper BEFORE INSERT ON shop.orders FOR EACH ROW SET NEW.customer = UPPER(NEW.customer);
            """)
        let before = try await server.rootSQL("SELECT id, customer, total, note, HEX(blob_col) FROM shop.orders ORDER BY id")
        let passwordEnv = "KW_TEST_MARIADB_PASSWORD"
        try await node.start(environment: [passwordEnv: server.password])
        let connection: [String: Any] = ["host": "127.0.0.1", "port": server.port, "user": server.user, "database": "shop",
                                         "password_env": passwordEnv, "backup_name": "shop", "mode": "mysql"]
        try await createJob(node, "my-backup", connection.merging(["action": "backup"]) { $1 })
        try await runNow(node, "my-backup")
        try await server.rootSQL("DROP TABLE shop.orders")
        try await createJob(node, "my-restore", connection.merging(["action": "restore"]) { $1 })
        try await runNow(node, "my-restore")
        let after = try await server.rootSQL("SELECT id, customer, total, note, HEX(blob_col) FROM shop.orders ORDER BY id")
        #expect(after == before, "\(after) != \(before)")
        let triggers = try await server.rootSQL("SELECT trigger_name FROM information_schema.triggers WHERE trigger_schema = 'shop'")
        #expect(triggers.contains("orders_upper"))
        #expect(!(try await runLog(node, "my-backup")).contains(server.password))
        await node.stop()
        await server.stop()
    }

    @Test func sqliteOnlineBackupAndRestore() async throws {
        let node = try NodeProcess()
        try await node.start()
        let database = node.root.appendingPathComponent("app.sqlite").path
        try await DatabaseServers.must("sqlite3", [database, """
            PRAGMA journal_mode=WAL;
            CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT, score REAL);
            WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 500) INSERT INTO notes SELECT x, 'note ' || x, x / 3.0 FROM n;
            """])
        let before = try await DatabaseServers.must("sqlite3", [database, "SELECT * FROM notes ORDER BY id"])
        try await createJob(node, "lite", ["action": "backup", "mode": "sqlite", "path_to_backup": database, "backup_name": "lite"])
        try await runNow(node, "lite")
        try await DatabaseServers.must("sqlite3", [database, "DELETE FROM notes WHERE id % 2 = 0; UPDATE notes SET body = 'changed';"])
        try await createJob(node, "lite-refused", ["action": "restore", "mode": "sqlite", "restore_abs_path": database, "backup_name": "lite"])
        let refused = try await node.request(.POST, "/backup/lite-refused")
        #expect(refused.status == 500 && refused.body.contains("--overwrite"), "\(refused.body)")
        try await createJob(node, "lite-restore", ["action": "restore", "mode": "sqlite", "restore_abs_path": database, "backup_name": "lite",
                                                   "overwrite": true])
        try await runNow(node, "lite-restore")
        let after = try await DatabaseServers.must("sqlite3", [database, "SELECT * FROM notes ORDER BY id"])
        #expect(after == before)
        let copy = node.root.appendingPathComponent("copy.sqlite").path
        let cli = try await KeepwatchBinary.run(["restore", "lite", "--to-file", copy, "--data", node.dataPath])
        #expect(cli.status == 0, "\(cli.stderr)")
        #expect(try await DatabaseServers.must("sqlite3", [copy, "SELECT count(*) FROM notes"]).hasPrefix("500"))
        await node.stop()
    }

    @Test func missingToolsAndBadConnectionsAreRefusedWhenTheJobIsCreated() async throws {
        let node = try NodeProcess()
        try await node.start()
        let cases: [([String: Any], String, UInt, String)] = [
            (["action": "restore", "mode": "mongo", "backup_name": "m"], "job_actions[0].freezer_action.mode", 422, "mongorestore not found"),
            (["action": "backup", "mode": "mongo", "backup_name": "m"], "job_actions[0].freezer_action.mode", 422, "mongodump not found"),
            (["action": "backup", "mode": "postgres", "backup_name": "p"], "job_actions[0].freezer_action.database", 400, "needs database"),
            (["action": "backup", "mode": "mysql", "database": "d", "password": "inline"], "job_actions[0].freezer_action.password", 400,
             "password_file"),
            (["action": "backup", "mode": "sqlite", "backup_name": "s"], "job_actions[0].freezer_action.path_to_backup", 400, "needs path_to_backup"),
            (["action": "backup", "mode": "postgres", "database": "d", "password_file": "/nonexistent/pw"],
             "job_actions[0].freezer_action.password_file", 422, "cannot be read"),
        ]
        for (action, field, status, message) in cases {
            let reply = try await node.request(.POST, "/api/v1/jobs", json: ["job_actions": [["freezer_action": action]]])
            #expect(reply.status == status, "\(action): \(reply.body)")
            #expect(reply.object["field"] as? String == field, "\(action): \(reply.body)")
            #expect((reply.object["error"] as? String)?.contains(message) == true, "\(action): \(reply.body)")
        }
        await node.stop()
    }
}
