#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Subprocess
import Synchronization
import SystemPackage

/// How a child process ended.
public enum Termination: Equatable, Sendable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    public var succeeded: Bool { self == .exited(0) }

    public var description: String {
        switch self {
        case .exited(let code): return "exit status \(code)"
        case .signaled(let signal): return "killed by signal \(signal)"
        }
    }

    init(_ status: TerminationStatus) {
        switch status {
        case .exited(let code): self = .exited(code)
        case .signaled(let signal): self = .signaled(signal)
        }
    }
}

public struct LaunchError: Error, CustomStringConvertible {
    public let description: String
}

/// Starts child processes (argument arrays, no shell) in their own process group, registered with a run's
/// `RunControl`, with standard output and error going straight to file descriptors.
public enum ProcessLauncher {
    public static func resolve(_ tool: String) throws(LaunchError) -> FilePath {
        guard let path = ExecutableLookup.find(tool) else {
            throw LaunchError(description: "\(tool) not found (looked in PATH); install it on this node")
        }
        return FilePath(path)
    }

    static func environmentUpdates(_ values: [String: String], removing: [String] = []) -> [Environment.Key: String?] {
        var updates: [Environment.Key: String?] = [:]
        for (key, value) in values {
            if let name = Environment.Key(rawValue: key) { updates[name] = value }
        }
        for key in removing {
            if let name = Environment.Key(rawValue: key) { updates[name] = .some(nil) }
        }
        return updates
    }

    static func options() -> PlatformOptions {
        var options = PlatformOptions()
        options.processGroupID = 0
        options.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: .seconds(2))]
        return options
    }

    /// Runs `tool` to completion with output and error written to `output` and `error`, reading `input` (or nothing).
    /// `spawned` runs once the child holds its descriptors, so the caller can close its own copies of pipe ends.
    public static func run(_ tool: String, _ arguments: [String], environment: [String: String] = [:], removing: [String] = [],
                           workingDirectory: String? = nil, input: FileDescriptor? = nil, output: FileDescriptor, error: FileDescriptor,
                           control: RunControl, spawned: @escaping @Sendable () -> Void = {},
                           started: @escaping @Sendable (pid_t) -> Void = { _ in }) async throws -> Termination {
        let path = try resolve(tool)
        let nothing = input == nil ? try FileDescriptor.open("/dev/null", .readOnly, options: [.closeOnExec]) : nil
        defer { try? nothing?.close() }
        let source = input ?? nothing
        let group = Mutex<pid_t?>(nil)
        let options = options()
        let result = try await Subprocess.run(
            .path(path), arguments: Arguments(arguments),
            environment: .inherit.updating(environmentUpdates(environment, removing: removing)),
            workingDirectory: workingDirectory.map { FilePath($0) },
            platformOptions: options,
            input: .fileDescriptor(source ?? .standardInput, closeAfterSpawningProcess: false),
            output: .fileDescriptor(output, closeAfterSpawningProcess: false),
            error: .fileDescriptor(error, closeAfterSpawningProcess: false)
        ) { execution in
            spawned()
            let pid = execution.processIdentifier.value
            started(pid)
            group.withLock { $0 = pid }
            control.register(pid)
        }
        if let pid = group.withLock({ $0 }) { control.unregister(pid) }
        return Termination(result.terminationStatus)
    }
}
