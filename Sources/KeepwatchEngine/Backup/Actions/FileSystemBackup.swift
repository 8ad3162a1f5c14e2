import Foundation
import KeepwatchCore
import SystemPackage

/// `backup` in `fs` mode: GNU tar streamed through zstd (or gzip) into `<container>/<name>/<name>-<unix>.tar.zst`,
/// written under a hidden `.partial` name and renamed only when complete, with `.log` and `.json` beside it.
enum FileSystemBackup {
    static func run(_ context: ActionContext) async throws -> BackupManifest {
        let action = context.action
        guard let source = action.pathToBackup, !source.isEmpty else {
            throw ActionFailure("path_to_backup is required for an fs backup")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) else {
            throw ActionFailure("path_to_backup \(source) does not exist")
        }
        let name = action.backupName ?? context.job.jobID
        let compression = action.string("compression") ?? "zstd"
        let (compressor, plainExtension) = try compressorFor(compression)
        let key = try ArchiveKey.from(passFile: action.string("encrypt_pass_file"), keyFile: action.string("encrypt_key_file"))
        let directory = context.backupDirectory(name: name)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let started = context.now()
        let policy = IncrementalPolicy(action: action)
        let plan = policy.plan(previous: policy.incremental ? try await context.store.backups(name: name).filter { $0.mode == "fs" } : [],
                               now: started)
        let target = BackupPaths(directory: directory, name: name, startedAt: started,
                                 fileExtension: key == nil ? plainExtension : plainExtension + ".kwenc")
        let snapshot = policy.incremental ? try target.prepareSnapshot(from: plan.parent) : nil
        var tar = tarArguments(source: source, isDirectory: isDirectory.boolValue, action: action)
        if let snapshot { tar.insert("--listed-incremental=\(snapshot.partial)", at: 1) }
        let archive = StreamedArchive(producer: .tar(tar), compressor: compressor, compressorArguments: compressorArguments(compression, action),
                                      encryption: key)
        context.log.line("Backup started", fields: [("action", "\(context.index)"), ("archive", target.archive), ("level", "\(plan.level)")])
        let result: StreamedArchive.Result
        do {
            result = try await target.writeArchive(context: context) { output, toolLog, progress in
                try await archive.write(to: output, path: target.partial, log: toolLog, control: context.control, progress: progress)
            }
            try snapshot.map { try AtomicFiles.rename($0.partial, to: $0.final) }
        } catch {
            if let snapshot { try? FileManager.default.removeItem(atPath: snapshot.partial) }
            throw error
        }
        let backupID = UUID().uuidString.lowercased()
        let manifest = BackupManifest(
            backupID: backupID, backupName: name, jobID: context.job.jobID, runID: context.runID,
            file: target.archive, size: result.size, sha256: result.sha256, compression: compression, mode: "fs",
            source: source, level: plan.level, startedAt: started, endedAt: context.now(),
            tools: ["tar": await ToolVersions.version(of: "tar"), compressor: await ToolVersions.version(of: compressor)],
            parentID: plan.parent?.backupID, chainID: plan.parent?.chain, snapshotFile: snapshot?.final,
            encryption: key == nil ? nil : "aes-256-gcm")
        try target.writeManifest(manifest)
        return manifest
    }

    static func compressorFor(_ compression: String) throws -> (String, String) {
        switch compression {
        case "zstd": return ("zstd", "tar.zst")
        case "gzip": return ("gzip", "tar.gz")
        default: throw ActionFailure("compression '\(compression)' is not supported (use zstd or gzip)")
        }
    }

    static func compressorArguments(_ compression: String, _ action: FreezerAction) -> [String] {
        var arguments = compression == "zstd" ? ["-q", "-c"] : ["-c"]
        if let level = action.int("compression_level") { arguments.append("-\(level)") }
        return arguments
    }

    static func tarArguments(source: String, isDirectory: Bool, action: FreezerAction) -> [String] {
        var arguments = ["--create", "--file=-", "--warning=no-file-changed"]
        for pattern in action.strings("exclude") ?? [] { arguments.append("--exclude=\(pattern)") }
        if action.bool("dereference_symlink") == true { arguments.append("--dereference") }
        if isDirectory {
            arguments += ["--directory=\(source)", "."]
        } else {
            let url = URL(fileURLWithPath: source)
            arguments += ["--directory=\(url.deletingLastPathComponent().path)", url.lastPathComponent]
        }
        return arguments
    }
}

/// Where one backup's files go, and how they get there atomically.
struct BackupPaths {
    /// `<dir>/<name>-<unix>`, which every file of this backup starts with.
    let base: String
    let archive: String
    let partial: String
    let toolLog: String
    let partialToolLog: String
    let manifestFile: String

    init(directory: String, name: String, startedAt: Int64, fileExtension: String) {
        var stamp = startedAt
        var file = BackupManifest.fileName(backupName: name, startedAt: stamp, fileExtension: fileExtension)
        while FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent(file)) {
            stamp += 1
            file = BackupManifest.fileName(backupName: name, startedAt: stamp, fileExtension: fileExtension)
        }
        base = (directory as NSString).appendingPathComponent("\(name)-\(stamp)")
        archive = (directory as NSString).appendingPathComponent(file)
        partial = (directory as NSString).appendingPathComponent(".\(file).partial")
        toolLog = base + ".log"
        partialToolLog = (directory as NSString).appendingPathComponent(".\(name)-\(stamp).log.partial")
        manifestFile = archive + ".json"
    }

    /// Runs `write` into the partial files; on success renames them into place, on failure removes them.
    func writeArchive<R>(context: ActionContext,
                         _ write: (FileDescriptor, FileDescriptor, ProgressCounter) async throws -> R) async throws -> R {
        let output = try FileDescriptor.open(FilePath(partial), .writeOnly, options: [.create, .truncate, .closeOnExec],
                                             permissions: [.ownerReadWrite])
        let messages = try FileDescriptor.open(FilePath(partialToolLog), .writeOnly, options: [.create, .truncate, .closeOnExec],
                                               permissions: [.ownerReadWrite])
        let progress = ProgressCounter()
        let reporter = ProgressReporter.start(progress, log: context.log, action: context.index)
        defer { reporter.cancel() }
        do {
            let result = try await write(output, messages, progress)
            try AtomicFiles.sync(output)
            try output.close()
            try messages.close()
            context.log.append(contentsOf: partialToolLog)
            try AtomicFiles.rename(partialToolLog, to: toolLog)
            try AtomicFiles.rename(partial, to: archive)
            return result
        } catch {
            try? output.close()
            try? messages.close()
            context.log.append(contentsOf: partialToolLog)
            try? FileManager.default.removeItem(atPath: partial)
            try? FileManager.default.removeItem(atPath: partialToolLog)
            throw error
        }
    }

    /// Where tar keeps this level's `--listed-incremental` state: a hidden copy of the parent's (none for level 0)
    /// that tar updates, renamed beside the archive when the backup is complete.
    func prepareSnapshot(from parent: BackupManifest?) throws -> (partial: String, final: String) {
        let final = base + ".snar"
        let partial = ((final as NSString).deletingLastPathComponent as NSString)
            .appendingPathComponent(".\((final as NSString).lastPathComponent).partial")
        try? FileManager.default.removeItem(atPath: partial)
        if let parent {
            guard let source = parent.snapshotFile, FileManager.default.fileExists(atPath: source) else {
                throw ActionFailure("the incremental state of level \(parent.level) (\(parent.snapshotFile ?? "none")) is missing; "
                                    + "remove the chain or run a full backup")
            }
            try FileManager.default.copyItem(atPath: source, toPath: partial)
        }
        return (partial, final)
    }

    func writeManifest(_ manifest: BackupManifest) throws {
        try Self.writeManifest(manifest, to: manifestFile)
    }

    /// `<archive>.json`, written atomically.
    static func writeManifest(_ manifest: BackupManifest, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFiles.write(try encoder.encode(manifest), to: path)
    }
}
