import KeepwatchCore
import Testing

/// The command lines of the database modes: connection options, no password anywhere on them.
@Suite struct DatabaseCommandTests {
    let connection = DatabaseConnection(host: "db.example", port: 5433, user: "backup", database: "app", passwordFile: "/etc/kw/pw")

    @Test func postgres() {
        #expect(DatabaseCommands.postgresDump(connection) == ["--format=custom", "--compress=0", "--no-password", "--host=db.example",
                                                               "--port=5433", "--username=backup", "--dbname=app"])
        #expect(DatabaseCommands.postgresRestore(connection).contains("--single-transaction"))
        #expect(DatabaseCommands.pgpass(password: #"a:b\c"#) == #"*:*:*:*:a\:b\\c"# + "\n")
        #expect(connection.describe(scheme: "postgres") == "postgres://backup@db.example:5433/app")
    }

    @Test func mysql() {
        let dump = DatabaseCommands.mysqlDump(connection, defaultsFile: "/tmp/d.cnf")
        #expect(dump.first == "--defaults-extra-file=/tmp/d.cnf", "MariaDB reads it only as the first option")
        #expect(dump.contains("--single-transaction") && dump.suffix(2) == ["--", "app"] && !dump.contains("--databases"),
                "without --databases the dump holds no USE, so it restores into any database")
        #expect(DatabaseCommands.mysqlRestore(connection, defaultsFile: "/tmp/d.cnf").last == "--database=app")
        #expect(DatabaseCommands.mysqlDefaults(password: #"x"y\z"#) == "[client]\npassword=\"x\\\"y\\\\z\"\n")
        #expect(DatabaseCommands.mysqlRestore(connection, defaultsFile: "/tmp/d.cnf").first == "--defaults-extra-file=/tmp/d.cnf")
    }

    @Test func mongoRestoreMirrorsMgobsDump() {
        let action = FreezerAction(["host": "mongo.example", "port": 27018, "username": "admin", "password": "s3cret", "database": "shop"])
        let command = MongoRestoreCommand(action: action, archivePath: "/b/shop-1.gz", configPath: "/tmp/c.yml")
        #expect(command.arguments == ["--archive=/b/shop-1.gz", "--gzip", "--drop", "--host", "mongo.example", "--port", "27018",
                                      "--username", "admin", "--nsInclude=shop.*", "--config=/tmp/c.yml"])
        #expect(!command.arguments.joined().contains("s3cret"))
        #expect(command.configFileContents == "password: \"s3cret\"\n")
        let uri = MongoRestoreCommand(action: FreezerAction(["uri": "mongodb://h/db"]), archivePath: "/a.gz", configPath: "/c")
        #expect(uri.arguments == ["--archive=/a.gz", "--gzip", "--drop", "--uri=mongodb://h/db"])
    }
}
