import Foundation

/// Real database servers for one test, in a temporary directory, on a free loopback port; stopped by `stop()`.
/// As root the servers run as the `postgres` system user (PostgreSQL refuses root) and `--user=root` (MariaDB).
enum DatabaseServers {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static var isRoot: Bool { getuid() == 0 }

    static func freePort() -> Int { Int.random(in: 20_000...40_000) }

    /// A PostgreSQL server program: on PATH, else from Debian's versioned directory (`/usr/lib/postgresql/15/bin`).
    static func postgresTool(_ name: String) -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
            return "\(directory)/\(name)"
        }
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .compactMap(Int.init).sorted(by: >)
        for version in versions where FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\(version)/bin/\(name)") {
            return "/usr/lib/postgresql/\(version)/bin/\(name)"
        }
        return name
    }

    /// Runs a tool and fails with its output when it exits non-zero.
    @discardableResult
    static func must(_ executable: String, _ arguments: [String], environment: [String: String] = [:], removing: [String] = []) async throws -> String {
        let result = try await offloaded { () -> (Int32, String) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }.filter { !removing.contains($0.key) }
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
        guard result.0 == 0 else { throw Failure(description: "\(executable) \(arguments.joined(separator: " ")) failed: \(result.1)") }
        return result.1
    }

    final class Postgres: @unchecked Sendable {
        let directory: String
        let port = DatabaseServers.freePort()
        let user = "kwtest"
        let password = "pg:secret\\with 'quotes'"

        init(root: URL) async throws {
            directory = root.appendingPathComponent("postgres").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let passwordFile = directory + "/pwfile"
            try password.write(toFile: passwordFile, atomically: true, encoding: .utf8)
            if DatabaseServers.isRoot { try await must("chown", ["-R", "postgres:postgres", directory]) }
            try await asOwner(DatabaseServers.postgresTool("initdb"), ["-D", directory + "/data", "-U", user, "--pwfile=\(passwordFile)", "--auth=scram-sha-256",
                                         "--encoding=UTF8", "--locale=C"])
            // The server runs as a child of this test, not through pg_ctl start: a daemon holding the launcher's
            // descriptors would keep Foundation's Process from seeing the launcher exit.
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            let server = [DatabaseServers.postgresTool("postgres"), "-D", directory + "/data", "-p", "\(port)", "-k", directory, "-c", "listen_addresses=127.0.0.1"]
            process.arguments = DatabaseServers.isRoot ? ["runuser", "-u", "postgres", "--"] + server : server
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            for _ in 0..<300 {
                if (try? await must("pg_isready", ["-q", "-h", "127.0.0.1", "-p", "\(port)"])) != nil { return }
                try await Task.sleep(nanoseconds: 100_000_000)
            }
            throw Failure(description: "PostgreSQL did not start on port \(port)")
        }

        func asOwner(_ tool: String, _ arguments: [String]) async throws {
            if DatabaseServers.isRoot {
                try await must("runuser", ["-u", "postgres", "--", tool] + arguments)
            } else {
                try await must(tool, arguments)
            }
        }

        /// `psql -At` as the test user with the password in the environment (the test's own process only).
        @discardableResult
        func sql(_ statement: String, database: String = "postgres") async throws -> String {
            try await must("psql", ["-X", "-At", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", "\(port)", "-U", user, "-d", database,
                                    "-c", statement], environment: ["PGPASSWORD": password])
        }

        /// Immediate shutdown of the postmaster named in its pid file; safe to call twice.
        func stop() async {
            guard let text = try? String(contentsOfFile: directory + "/data/postmaster.pid", encoding: .utf8),
                  let pid = text.split(separator: "\n").first.flatMap({ pid_t($0) }) else { return }
            kill(pid, SIGQUIT)
            for _ in 0..<100 where kill(pid, 0) == 0 { try? await Task.sleep(nanoseconds: 100_000_000) }
        }

        deinit {
            if let text = try? String(contentsOfFile: directory + "/data/postmaster.pid", encoding: .utf8),
               let pid = text.split(separator: "\n").first.flatMap({ pid_t($0) }) {
                kill(pid, SIGQUIT)
            }
        }
    }

    final class MariaDB: @unchecked Sendable {
        let directory: String
        let port = DatabaseServers.freePort()
        let user = "kwtest"
        let password = "maria\"secret\\ 'x'"
        var socket: String { directory + "/mysqld.sock" }
        private var server: Process?

        init(root: URL) async throws {
            directory = root.appendingPathComponent("mariadb").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let owner = DatabaseServers.isRoot ? ["--user=root"] : []
            try await must("mariadb-install-db", ["--no-defaults", "--datadir=\(directory)/data", "--auth-root-authentication-method=normal",
                                                  "--skip-test-db"] + owner)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["mariadbd", "--no-defaults", "--datadir=\(directory)/data", "--socket=\(socket)", "--port=\(port)",
                                 "--bind-address=127.0.0.1", "--pid-file=\(directory)/mysqld.pid", "--log-error=\(directory)/error.log",
                                 "--skip-log-bin", "--innodb-buffer-pool-size=16M"] + owner
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            server = process
            for _ in 0..<300 {
                if (try? await must("mariadb-admin", ["--no-defaults", "--socket=\(socket)", "-uroot", "ping"])) != nil { break }
                try await Task.sleep(nanoseconds: 100_000_000)
            }
            let quoted = password.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
            try await rootSQL("CREATE USER '\(user)'@'127.0.0.1' IDENTIFIED BY '\(quoted)'; GRANT ALL ON *.* TO '\(user)'@'127.0.0.1';")
        }

        @discardableResult
        func rootSQL(_ statement: String, database: String? = nil) async throws -> String {
            try await must("mariadb", ["--no-defaults", "--socket=\(socket)", "-uroot", "--batch", "--skip-column-names", "-e", statement]
                           + (database.map { [$0] } ?? []))
        }

        deinit {
            if let server, server.isRunning { server.terminate() }
        }

        func stop() async {
            if let server, server.isRunning {
                server.terminate()
                for _ in 0..<100 where server.isRunning { try? await Task.sleep(nanoseconds: 100_000_000) }
            }
        }
    }
}
