import Foundation

/// The layout of a node's data directory (default `./keepwatch-data`).
public struct DataDirectory: Sendable {
    public let root: URL

    public init(path: String) {
        root = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    public var configFile: URL { root.appendingPathComponent("keepwatch.yaml") }
    public var databaseFile: URL { root.appendingPathComponent("keepwatch.sqlite") }
    public var backups: URL { root.appendingPathComponent("backups", isDirectory: true) }
    public var runs: URL { root.appendingPathComponent("runs", isDirectory: true) }
    public var plans: URL { root.appendingPathComponent("plans", isDirectory: true) }
    public var temporary: URL { root.appendingPathComponent("tmp", isDirectory: true) }
    /// The monitor's: promise executables (with their .cfg), the files anyone may read, the files behind login.
    public var promises: URL { root.appendingPathComponent("promises", isDirectory: true) }
    public var publicFiles: URL { root.appendingPathComponent("public", isDirectory: true) }
    public var privateFiles: URL { root.appendingPathComponent("private", isDirectory: true) }
    public var monitorHAL: URL { root.appendingPathComponent("monitor.haljson") }

    public func runLog(jobID: String, runID: String) -> URL {
        runs.appendingPathComponent(jobID, isDirectory: true).appendingPathComponent("\(runID).log")
    }

    /// Creates the directories a node writes to, mode 0700.
    public func prepare() throws {
        for directory in [root, backups, runs, plans, temporary] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        }
    }

    /// Makes the data directory private to the node's user: directories 0700, files 0600 (the store holds hashes
    /// and sealed secrets; archives hold the data backed up). Data directories made by older versions are fixed too.
    public func makePrivate() {
        let manager = FileManager.default
        try? manager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: root.path)
        guard let walker = manager.enumerator(atPath: root.path) else { return }
        for case let relative as String in walker {
            let path = root.appendingPathComponent(relative).path
            guard let attributes = try? manager.attributesOfItem(atPath: path),
                  let type = attributes[.type] as? FileAttributeType, type != .typeSymbolicLink,
                  let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue else { continue }
            let wanted = type == .typeDirectory ? 0o700 : 0o600
            if mode & 0o077 != 0 { try? manager.setAttributes([.posixPermissions: mode & 0o700 | (wanted & 0o700)], ofItemAtPath: path) }
        }
    }
}
