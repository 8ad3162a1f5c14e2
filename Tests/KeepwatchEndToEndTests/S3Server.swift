import Foundation

/// moto's S3-compatible server (PyPI, server mode) on a free loopback port, and an rclone config that reaches it.
final class S3Server: @unchecked Sendable {
    let port = Int.random(in: 40_001...50_000)
    let configFile: String
    private let process: Process

    init(root: URL) async throws {
        configFile = root.appendingPathComponent("rclone.conf").path
        try """
            [s3test]
            type = s3
            provider = Other
            access_key_id = testing
            secret_access_key = testing
            endpoint = http://127.0.0.1:\(port)
            region = us-east-1
            force_path_style = true

            """.write(toFile: configFile, atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", "\(port)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<200 {
            if (try? await rclone(["mkdir", "s3test:kw-bucket"])) != nil { return }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        throw DatabaseServers.Failure(description: "moto server did not start on port \(port)")
    }

    deinit { stop() }

    /// SIGKILL: the server inherits the test runner's ignored SIGTERM and would outlive the test.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    @discardableResult
    func rclone(_ arguments: [String]) async throws -> String {
        try await DatabaseServers.must("rclone", ["--config", configFile] + arguments, removing: ["AWS_CA_BUNDLE"])
    }

    /// The object names under `path`, recursively.
    func list(_ path: String) async throws -> [String] {
        try await rclone(["lsf", "-R", "--files-only", path]).split(separator: "\n").map(String.init).sorted()
    }
}
