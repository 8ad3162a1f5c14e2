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

    public func runLog(jobID: String, runID: String) -> URL {
        runs.appendingPathComponent(jobID, isDirectory: true).appendingPathComponent("\(runID).log")
    }

    /// Creates the directories a node writes to.
    public func prepare() throws {
        for directory in [root, backups, runs, plans, temporary] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
    }
}
