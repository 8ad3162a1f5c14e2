import Foundation
import KeepwatchCore

/// `restore` in `mongo` mode: `mongorestore --archive=<file> --gzip --drop …` from the newest mongo backup at or
/// before the date, after its SHA-256 is checked.
enum MongoRestore {
    static func run(_ context: ActionContext) async throws {
        guard ExecutableLookup.find("mongorestore") != nil else {
            throw ActionFailure("mongorestore not found: install the MongoDB Database Tools on this node (mode mongo restores with mongorestore)")
        }
        let action = context.action
        guard let name = action.backupName else { throw ActionFailure("a restore needs backup_name") }
        let date = try action.string("restore_from_date").map { try ISO8601.parse($0).instant(in: .utc).secondsSince1970 }
        let backup: BackupManifest
        do {
            guard let newest = try RestorePlan.chain(try await context.store.backups(name: name).filter { $0.mode == "mongo" },
                                                     name: name, at: date).last else { throw ActionFailure("no mongo backup named \(name)") }
            backup = newest
        } catch let error as RestorePlan.Failure {
            throw ActionFailure(error.description)
        }
        try await BackupVerifier.requireIntact(backup, key: nil)
        let configFile = context.data.temporary.appendingPathComponent("\(name)-\(UUID().uuidString).mongorestore.yml").path
        let command = MongoRestoreCommand(action: action, archivePath: backup.file, configPath: configFile)
        if let contents = command.configFileContents {
            try AtomicFiles.write(Data(contents.utf8), to: configFile, permissions: [.ownerReadWrite])
        }
        defer { try? FileManager.default.removeItem(atPath: configFile) }
        let termination = try await ProcessLauncher.run("mongorestore", command.arguments, output: context.log.descriptor,
                                                        error: context.log.descriptor, control: context.control)
        guard termination.succeeded else { throw ActionFailure("mongorestore failed: \(termination)") }
        context.log.line("Restore finished", fields: [("action", "\(context.index)"), ("archive", backup.file)])
    }
}
