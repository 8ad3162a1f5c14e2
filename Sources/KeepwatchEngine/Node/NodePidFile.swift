import Foundation

/// `<data>/keepwatch.pid`: lets `keepwatch admin` tell a running node to reload (SIGHUP) after it changed the
/// data directory. A stale file (no such process, or not a keepwatch) is ignored.
public struct NodePidFile: Sendable {
    public let path: String

    public init(data: DataDirectory) {
        path = data.root.appendingPathComponent("keepwatch.pid").path
    }

    public func write() {
        try? AtomicFiles.write(Data("\(getpid())\n".utf8), to: path, permissions: [.ownerReadWrite])
    }

    public func remove() {
        guard runningNode() == getpid() else { return }
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The pid of the node serving this data directory, if one is running.
    public func runningNode() -> pid_t? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0, kill(pid, 0) == 0 else { return nil }
        #if os(Linux)
        guard let command = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
              String(decoding: command, as: UTF8.self).contains("keepwatch") else { return nil }
        #endif
        return pid
    }

    /// Sends SIGHUP to the running node; its pid, or nil when no node runs.
    @discardableResult
    public func signalReload() -> pid_t? {
        guard let pid = runningNode(), kill(pid, SIGHUP) == 0 else { return nil }
        return pid
    }
}
