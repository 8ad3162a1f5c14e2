import Foundation
import Testing

/// Runs a reference script from Tests/Support (the Python library Keepwatch's behaviour is compared with) on a
/// JSON input file and decodes its JSON output. `KEEPWATCH_PYTHON` names another interpreter.
enum PythonOracle {
    /// One schedule to ask about: its expression, zone, the instant to start after, and how many fire times.
    struct Case: Codable {
        let expr: String
        let zone: String
        let after: Int64
        let count: Int
    }

    /// What the reference said: the fire times, or why it refused the expression.
    struct Reference: Codable {
        let fires: [Int64]?
        let error: String?
    }

    static func run<Input: Encodable, Output: Decodable>(_ script: String, _ input: Input, arguments: [String] = [],
                                                          install: String) throws -> Output {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keepwatch-oracle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let inputFile = directory.appendingPathComponent("input.json")
        let outputFile = directory.appendingPathComponent("output.json")
        try JSONEncoder().encode(input).write(to: inputFile)
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Support/\(script)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [ProcessInfo.processInfo.environment["KEEPWATCH_PYTHON"] ?? "python3", path.path] + arguments + [inputFile.path]
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0,
                     "\(script) failed (install it with `\(install)`): \(String(decoding: stderr, as: UTF8.self))")
        return try JSONDecoder().decode(Output.self, from: Data(contentsOf: outputFile))
    }
}
