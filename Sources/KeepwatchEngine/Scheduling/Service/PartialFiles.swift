import Foundation
import KeepwatchCore
import Logging

/// Leftovers of runs cut off by a crash: hidden `.partial` archives and logs, and staging files.
enum PartialFiles {
    static func remove(for job: Job, data: DataDirectory, logger: Logger) {
        for action in job.actions where action.freezerAction.kind == .backup {
            let name = action.freezerAction.backupName ?? job.jobID
            let container = action.freezerAction.container ?? data.backups.path
            let directory = (container as NSString).appendingPathComponent(name)
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for entry in entries where entry.hasPrefix(".") && entry.hasSuffix(".partial") {
                let path = (directory as NSString).appendingPathComponent(entry)
                try? FileManager.default.removeItem(atPath: path)
                logger.warning("Removed partial file of an interrupted run", metadata: ["plan": "\(job.jobID)", "file": "\(path)"])
            }
        }
    }

    static func clear(directory: String) {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(entry))
        }
    }
}
