import Foundation
import Testing

/// Database restores land where the user said and only there: another name writes that database and leaves the
/// original alone, a missing database is created, a populated one is replaced only with --overwrite, and the
/// connection defaults come from the backup's manifest.
@Suite(.serialized) struct RestoreTargetTests {
    func backUp(_ node: NodeProcess, _ id: String, _ action: [String: Any]) async throws {
        let created = try await node.request(.POST, "/api/v1/jobs", json: [
            "job_id": id, "job_schedule": ["status": "stop", "schedule_interval": "1 days"], "job_actions": [["freezer_action": action]],
        ])
        #expect(created.status == 201, "\(created.body)")
        let ran = try await node.request(.POST, "/backup/\(id)")
        #expect(ran.status == 200, "\(ran.body)\n\(node.log)")
    }

    func restore(_ node: NodeProcess, _ arguments: [String], environment: [String: String] = [:]) async throws -> KeepwatchBinary.Result {
        try await KeepwatchBinary.run(["restore"] + arguments + ["--data", node.dataPath], environment: environment)
    }

    @Test func mariadbRestoreIntoAnotherNameLeavesTheOriginalUntouched() async throws {
        let node = try NodeProcess()
        let server = try await DatabaseServers.MariaDB(root: node.root)
        try await server.rootSQL("""
            CREATE DATABASE shop; CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(20));
            INSERT INTO shop.items VALUES (1, 'apple'), (2, 'pear');
            """)
        let passwordFile = node.root.appendingPathComponent("my.pass").path
        try (server.password + "\n").write(toFile: passwordFile, atomically: true, encoding: .utf8)
        try await node.start()
        try await backUp(node, "shop-my", ["action": "backup", "mode": "mysql", "host": "127.0.0.1", "port": server.port, "user": server.user,
                                           "database": "shop", "password_file": passwordFile, "backup_name": "shop-my"])
        try await server.rootSQL("UPDATE shop.items SET name = 'CHANGED' WHERE id = 1")

        // No --host/--port/--user: they come from the manifest, and the restore says so before it writes.
        let first = try await restore(node, ["shop-my", "--database", "shop2", "--password-file", passwordFile])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("taken from the backup's manifest"), "\(first.stderr)")
        #expect(first.stderr.contains("shop2") && first.stderr.contains("created"), "\(first.stderr)")
        #expect(try await server.rootSQL("SELECT name FROM shop.items WHERE id = 1").contains("CHANGED"), "the original must stay as it is")
        #expect(try await server.rootSQL("SELECT id, name FROM shop2.items ORDER BY id") == "1\tapple\n2\tpear\n")

        let again = try await restore(node, ["shop-my", "--database", "shop2", "--password-file", passwordFile])
        #expect(again.status == 1 && again.stderr.contains("--overwrite"), "a populated database is not replaced silently: \(again.stderr)")
        try await server.rootSQL("UPDATE shop2.items SET name = 'LOCAL' WHERE id = 2")
        let replaced = try await restore(node, ["shop-my", "--database", "shop2", "--password-file", passwordFile, "--overwrite"])
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(try await server.rootSQL("SELECT name FROM shop2.items WHERE id = 2") == "pear\n")
        #expect(try await server.rootSQL("SELECT name FROM shop.items WHERE id = 1").contains("CHANGED"))
        await node.stop()
        await server.stop()
    }

    @Test func postgresRestoreIntoAnotherNameCreatesItAndRefusesAPopulatedOne() async throws {
        let node = try NodeProcess()
        let server = try await DatabaseServers.Postgres(root: node.root)
        try await server.sql("CREATE DATABASE shop")
        try await server.sql("CREATE TABLE items (id int PRIMARY KEY, name text); INSERT INTO items VALUES (1, 'apple'), (2, 'pear');",
                             database: "shop")
        let passwordFile = node.root.appendingPathComponent("pg.pass").path
        try (server.password + "\n").write(toFile: passwordFile, atomically: true, encoding: .utf8)
        try await node.start()
        try await backUp(node, "shop-pg", ["action": "backup", "mode": "postgres", "host": "127.0.0.1", "port": server.port, "user": server.user,
                                           "database": "shop", "password_file": passwordFile, "backup_name": "shop-pg"])
        try await server.sql("UPDATE items SET name = 'CHANGED' WHERE id = 1", database: "shop")

        let refused = try await restore(node, ["shop-pg", "--password-file", passwordFile])
        #expect(refused.status == 1 && refused.stderr.contains("--overwrite"), "restoring over the populated original needs --overwrite: \(refused.stderr)")
        #expect(try await server.sql("SELECT name FROM items WHERE id = 1", database: "shop").contains("CHANGED"))

        let restored = try await restore(node, ["shop-pg", "--database", "shop2", "--password-file", passwordFile])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(restored.stderr.contains("created"), "\(restored.stderr)")
        #expect(try await server.sql("SELECT id, name FROM items ORDER BY id", database: "shop2") == "1|apple\n2|pear\n")
        #expect(try await server.sql("SELECT name FROM items WHERE id = 1", database: "shop").contains("CHANGED"))
        await node.stop()
        await server.stop()
    }
}
