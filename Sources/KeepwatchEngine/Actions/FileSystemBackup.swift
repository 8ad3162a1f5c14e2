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
        let (compressor, fileExtension) = try compressorFor(compression)
        let directory = context.backupDirectory(name: name)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let started = context.now()
        let target = BackupPaths(directory: directory, name: name, startedAt: started, fileExtension: fileExtension)
        let archive = StreamedArchive(tarArguments: tarArguments(source: source, isDirectory: isDirectory.boolValue, action: action),
                                      compressor: compressor, compressorArguments: compressorArguments(compression, action))
        context.log.line("Backup started", fields: [("action", "\(context.index)"), ("archive", target.archive)])
        let result = try await target.writeArchive(context: context) { output, toolLog, progress in
            try await archive.write(to: output, path: target.partial, log: toolLog, control: context.control, progress: progress)
        }
        let manifest = BackupManifest(
            backupID: UUID().uuidString.lowercased(), backupName: name, jobID: context.job.jobID, runID: context.runID,
            file: target.archive, size: result.size, sha256: result.sha256, compression: compression, mode: "fs",
            source: source, startedAt: started, endedAt: context.now(),
            tools: ["tar": await ToolVersions.version(of: "tar"), compressor: await ToolVersions.version(of: compressor)])
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
        let base = (directory as NSString).appendingPathComponent("\(name)-\(stamp)")
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
                                             permissions: [.ownerReadWrite, .groupRead])
        let messages = try FileDescriptor.open(FilePath(partialToolLog), .writeOnly, options: [.create, .truncate, .closeOnExec],
                                               permissions: [.ownerReadWrite, .groupRead])
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

    func writeManifest(_ manifest: BackupManifest) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFiles.write(try encoder.encode(manifest), to: manifestFile)
    }
}
