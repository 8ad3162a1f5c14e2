import AsyncHTTPClient
import Foundation
import NIOHTTP1

/// Sign-in helpers for the security tests.
extension NodeProcess {
    /// The first admin's password, printed once by the node on first start.
    var firstAdminPassword: String? {
        guard let range = log.range(of: "Default 'admin' user has been created with password '") else { return nil }
        return log[range.upperBound...].split(separator: "'").first.map(String.init)
    }

    func login(_ username: String, _ password: String, from headers: [(String, String)] = []) async throws -> (reply: Reply, sid: String?) {
        let reply = try await request(.POST, "/proxy/auth/login", json: ["username": username, "password": password],
                                      credentials: .none, headers: headers)
        return (reply, Self.sessionID(in: reply))
    }

    static func sessionID(in reply: Reply) -> String? {
        for cookie in reply.headers["Set-Cookie"] where cookie.hasPrefix("sid=") {
            let value = cookie.dropFirst(4).prefix { $0 != ";" }
            return value.isEmpty ? nil : String(value)
        }
        return nil
    }

    /// Writes keepwatch.yaml before the first start.
    func writeConfig(_ text: String) throws {
        try FileManager.default.createDirectory(atPath: dataPath, withIntermediateDirectories: true)
        try text.write(toFile: dataPath + "/keepwatch.yaml", atomically: true, encoding: .utf8)
    }
}

/// Runs a command line tool (curl, openssl, python3) and returns its exit status and output.
enum Tool {
    static func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await offloaded { try runBlocking(executable, arguments) }
    }

    static func runBlocking(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
