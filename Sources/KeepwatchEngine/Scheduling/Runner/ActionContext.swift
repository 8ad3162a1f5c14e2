import Foundation
import KeepwatchCore
import KeepwatchStore

/// What an action needs while it runs.
public struct ActionContext: Sendable {
    public let job: Job
    public let runID: String
    public let index: Int
    public let action: FreezerAction
    public let log: RunLog
    public let control: RunControl
    public let store: any Store
    public let data: DataDirectory
    public let now: @Sendable () -> Int64

    /// The directory backups of `name` go to: `<container>/<name>`, the container defaulting to `<data>/backups`.
    public func backupDirectory(name: String) -> String {
        // With rclone storage the container names the remote; the local copy goes to the data directory.
        let local = action.string("storage") == "rclone" ? nil : action.container
        let container = local ?? data.backups.path
        return (container as NSString).appendingPathComponent(name)
    }
}

/// An action's failure, in one line an operator can act on.
public struct ActionFailure: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
