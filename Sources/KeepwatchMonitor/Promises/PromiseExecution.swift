import Foundation
import KeepwatchCore
import KeepwatchEngine
import Synchronization
import SystemPackage

/// Runs a promise once in its own process group, standard output and error to files, with a timeout that kills the
/// whole group; whatever the promise left running is killed when it exits.
enum PromiseExecution {
    static let outputLimit = 1 << 20

    /// The file that notes a run's process group while it runs, so that a node killed meanwhile kills it at its next start.
    static func groupFile(_ id: String, scratch: String) -> String { scratch + "/\(id).groups" }

    /// nil when the node stopped the run: a run cut short by a shutdown says nothing about what the promise checks.
    static func run(_ promise: PromiseDefinition, workingDirectory: String, scratch: String, control: RunControl) async -> PromiseRun? {
        let started = Date()
        let date = Int64(started.timeIntervalSince1970)
        let outputPath = scratch + "/\(promise.id).out"
        let errorPath = scratch + "/\(promise.id).err"
        defer { unlink(groupFile(promise.id, scratch: scratch)) }
        var exit: Int32?
        var timedOut: Int?
        do {
            let output = try FileDescriptor.open(outputPath, .writeOnly, options: [.create, .truncate, .closeOnExec], permissions: [.ownerReadWrite])
            let errors = try FileDescriptor.open(errorPath, .writeOnly, options: [.create, .truncate, .closeOnExec], permissions: [.ownerReadWrite])
            defer {
                try? output.close()
                try? errors.close()
            }
            let group = PromiseGroup()
            let timer = Task {
                try await Task.sleep(nanoseconds: UInt64(promise.config.timeout) * 1_000_000_000)
                control.stop(.timedOut(seconds: promise.config.timeout))
            }
            let termination = try await ProcessLauncher.run(promise.path, [], workingDirectory: workingDirectory, output: output,
                                                            error: errors, control: control, started: { group.set($0) })
            timer.cancel()
            group.killLeftovers()
            if case .timedOut(let seconds)? = control.stopReason { timedOut = seconds }
            if case .exited(let code) = termination { exit = code }
        } catch {
            return PromiseRun(date: date, executionTime: 0, failed: true, message: "Error: the promise could not be started: \(error)")
        }
        let seconds = Date().timeIntervalSince(started)
        if case .shutdown? = control.stopReason { return nil }
        let output = read(outputPath)
        if output.count >= outputLimit {
            return PromiseRun(date: date, executionTime: (seconds * 100).rounded() / 100, failed: true,
                              message: "Error: the promise printed more than 1 MiB; a status is one small JSON object")
        }
        return PromiseRun.judge(date: date, seconds: seconds, exit: exit, timedOut: timedOut, output: output, errors: Array(read(errorPath).suffix(2_000)))
    }

    static func read(_ path: String) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        return [UInt8]((try? handle.read(upToCount: outputLimit)) ?? Data())
    }
}

/// The process group a promise runs in, so that children it leaves behind are killed when it exits.
final class PromiseGroup: Sendable {
    private let pid = Mutex<pid_t?>(nil)

    func set(_ value: pid_t) { pid.withLock { $0 = value } }

    func killLeftovers() {
        if let group = pid.withLock({ $0 }), group > 0 { kill(-group, SIGKILL) }
    }
}
