import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `<data>/keepwatch.pid`: the lock that keeps a data directory to one node, and the pid `keepwatch admin` signals
/// (SIGHUP) after it changed the data directory. The serving node holds an exclusive `flock` on the file for as
/// long as it runs; the kernel drops the lock when the process ends, however it ends, so a stale file never blocks.
public struct NodePidFile: Sendable {
    public let path: String

    public struct Busy: Error, CustomStringConvertible {
        public let pid: pid_t?
        public let directory: String
        public init(pid: pid_t?, directory: String) {
            self.pid = pid
            self.directory = directory
        }

        public var description: String {
            "another keepwatch node\(pid.map { " (pid \($0))" } ?? "") is using \(directory); stop it first, or give this one its own --data"
        }
    }

    public init(data: DataDirectory) {
        path = data.root.appendingPathComponent("keepwatch.pid").path
    }

    /// Takes the lock and writes this process's pid; the returned descriptor must stay open while the node runs.
    public func lock() throws -> Int32 {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw Busy(pid: nil, directory: (path as NSString).deletingLastPathComponent)
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw Busy(pid: recordedPid(), directory: (path as NSString).deletingLastPathComponent)
        }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        _ = fsync(descriptor)
        return descriptor
    }

    /// The pid of the node serving this data directory, if one is running (it holds the lock).
    public func runningNode() -> pid_t? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            _ = flock(descriptor, LOCK_UN)
            return nil
        }
        return recordedPid()
    }

    func recordedPid() -> pid_t? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0 else { return nil }
        return pid
    }

    /// Sends SIGHUP to the running node; its pid, or nil when no node runs.
    @discardableResult
    public func signalReload() -> pid_t? {
        guard let pid = runningNode(), kill(pid, SIGHUP) == 0 else { return nil }
        return pid
    }
}
