import Foundation
import KeepwatchCore
import SystemPackage

/// After a backup is complete locally: copy it (archive, manifest and tar's incremental state) to rclone storage,
/// record where, and with `local_copy: false` keep only the remote copy (the incremental state stays local, since
/// the next level needs it).
enum RemoteCopy {
    static func apply(_ manifest: BackupManifest, context: ActionContext) async throws -> BackupManifest {
        guard let storage = try RcloneStorage(action: context.action) else { return manifest }
        var copied = manifest
        let file = (manifest.file as NSString).lastPathComponent
        copied.remote = storage.remotePath(name: manifest.backupName, file: file)
        copied.remoteConfig = storage.config
        try BackupPaths.writeManifest(copied, to: manifest.file + ".json")
        context.log.line("Upload started", fields: [("action", "\(context.index)"), ("remote", copied.remote ?? "")])
        let log = context.log.descriptor
        try await storage.upload(manifest.file, to: copied.remote ?? "", log: log, control: context.control)
        try await storage.upload(manifest.file + ".json", to: (copied.remote ?? "") + ".json", log: log, control: context.control)
        if let snapshot = manifest.snapshotFile {
            try await storage.upload(snapshot, to: storage.remotePath(name: manifest.backupName, file: (snapshot as NSString).lastPathComponent),
                                     log: log, control: context.control)
        }
        context.log.line("Upload finished, size and MD5 checked", fields: [("action", "\(context.index)"), ("remote", copied.remote ?? "")])
        if context.action.bool("local_copy") == false {
            try? FileManager.default.removeItem(atPath: manifest.file)
            try? FileManager.default.removeItem(atPath: manifest.file + ".json")
            context.log.line("Local copy removed (local_copy: false)", fields: [("action", "\(context.index)")])
        }
        return copied
    }

    /// Removes the remote copies of a backup retention expires.
    static func removeRemote(_ backup: BackupManifest) async throws {
        guard let remote = backup.remote, let config = backup.remoteConfig else { return }
        let storage = RcloneStorage(config: config, container: "")
        try await storage.delete(remote)
        try await storage.delete(remote + ".json")
        if let snapshot = backup.snapshotFile {
            let directory = (remote as NSString).deletingLastPathComponent
            try? await storage.delete(directory + "/" + (snapshot as NSString).lastPathComponent)
        }
    }
}

/// Restores and verification read archives from the remote copy when the local one is gone.
public enum BackupFetcher {
    /// The backups with `file` pointing at a readable local copy, fetching remote-only ones (and their manifests) into
    /// `<data>/tmp`; the fetched files are removed when `body` returns.
    public static func withLocalCopies<T>(_ backups: [BackupManifest], data: DataDirectory, log: FileDescriptor, control: RunControl,
                                   _ body: ([BackupManifest]) async throws -> T) async throws -> T {
        var fetched: [String] = []
        defer { for file in fetched { try? FileManager.default.removeItem(atPath: file) } }
        var local: [BackupManifest] = []
        for backup in backups {
            guard !FileManager.default.fileExists(atPath: backup.file), let remote = backup.remote, let config = backup.remoteConfig else {
                local.append(backup)
                continue
            }
            // A directory of its own keeps the archive's own name, which is what restores and verify report.
            let directory = data.temporary.appendingPathComponent(".fetched-\(UUID().uuidString)", isDirectory: true)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let copy = directory.appendingPathComponent((backup.file as NSString).lastPathComponent).path
            let storage = RcloneStorage(config: config, container: "")
            fetched += [directory.path]
            let line = "fetching \((backup.file as NSString).lastPathComponent) (\(GoFormat.bytes(backup.size))) from \(remote)\n"
            _ = try? log.writeAll(Array(line.utf8))
            try await storage.download(remote, to: copy, log: log, control: control)
            try await storage.download(remote + ".json", to: copy + ".json", log: log, control: control)
            var moved = backup
            moved.file = copy
            local.append(moved)
        }
        return try await body(local)
    }
}
