import Foundation
import Subprocess

/// Short commands whose output Keepwatch reads (checks, versions): standard output and error together, 64 KiB at most.
enum ProcessRunner {
    static func output(_ tool: String, _ arguments: [String], removing: [String] = []) async throws -> String {
        let path = try ProcessLauncher.resolve(tool)
        let result = try await Subprocess.run(.path(path), arguments: Arguments(arguments),
                                              environment: .inherit.updating(ProcessLauncher.environmentUpdates([:], removing: removing)),
                                              output: .string(limit: 64 * 1024),
                                              error: .combinedWithOutput)
        return result.standardOutput
    }

    /// A short command with extra environment: whether it exited 0, and its output (standard output and error).
    static func check(_ tool: String, _ arguments: [String], environment: [String: String]) async throws -> (succeeded: Bool, output: String) {
        let path = try ProcessLauncher.resolve(tool)
        let result = try await Subprocess.run(.path(path), arguments: Arguments(arguments),
                                              environment: .inherit.updating(ProcessLauncher.environmentUpdates(environment)),
                                              output: .string(limit: 64 * 1024),
                                              error: .combinedWithOutput)
        return (result.terminationStatus.isSuccess, result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
