import Crypto
import Foundation
import KeepwatchCore
import SystemPackage

/// `backup` in `mongo` mode, as mgob runs it: `mongodump --archive=<file> --gzip …` into
/// `<container>/<name>/<name>-<unix>.gz`, with the tool's output kept as `<name>-<unix>.log`.
enum MongoBackup {
    static func run(_ context: ActionContext) async throws -> BackupManifest {
        guard ExecutableLookup.find("mongodump") != nil else {
            throw ActionFailure("mongodump not found: install the MongoDB Database Tools on this node (mode mongo runs mongodump)")
        }
        let name = context.action.backupName ?? context.job.jobID
        let directory = context.backupDirectory(name: name)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let started = context.now()
        let target = BackupPaths(directory: directory, name: name, startedAt: started, fileExtension: "gz")
        let configFile = context.data.temporary.appendingPathComponent("\(name)-\(started)-\(UUID().uuidString).mongodump.yml").path
        var action = context.action.values
        if let password = try DatabaseSession.password(file: context.action.string("password_file"), environment: context.action.string("password_env")) {
            action["password"] = .string(password)
        }
        let command = MongoDumpCommand(action: FreezerAction(action), archivePath: target.partial, configPath: configFile)
        if let contents = command.configFileContents {
            try AtomicFiles.write(Data(contents.utf8), to: configFile, permissions: [.ownerReadWrite])
        }
        defer { try? FileManager.default.removeItem(atPath: configFile) }
        context.log.line("Backup started", fields: [("action", "\(context.index)"), ("archive", target.archive)])
        try await target.writeArchive(context: context) { _, toolLog, _ in
            let termination = try await ProcessLauncher.run("mongodump", command.arguments, output: toolLog, error: toolLog,
                                                            control: context.control)
            guard termination.succeeded else { throw ActionFailure("mongodump failed: \(termination)") }
        }
        let (size, sha256) = try FileDigest.sha256(ofFile: target.archive)
        let manifest = BackupManifest(
            backupID: UUID().uuidString.lowercased(), backupName: name, jobID: context.job.jobID, runID: context.runID,
            file: target.archive, size: size, sha256: sha256, compression: "mongo-gzip", mode: "mongo",
            source: describeSource(context.action), startedAt: started, endedAt: context.now(),
            tools: ["mongodump": await ToolVersions.version(of: "mongodump")])
        try target.writeManifest(manifest)
        return manifest
    }

    /// The database a mongo action reads, without credentials.
    static func describeSource(_ action: FreezerAction) -> String {
        if let uri = action.string("uri"), let url = URL(string: uri) {
            return "mongodb://\(url.host ?? "")\(url.port.map { ":\($0)" } ?? "")\(url.path)"
        }
        let host = action.string("host") ?? "localhost"
        let port = action.int("port").map { ":\($0)" } ?? ""
        return "mongodb://\(host)\(port)/\(action.string("database") ?? "")"
    }
}

/// Size and SHA-256 of a file, read in chunks.
public enum FileDigest {
    public static func sha256(ofFile path: String) throws -> (Int64, String) {
        let descriptor = try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec])
        defer { try? descriptor.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try descriptor.read(into: buffer)
            if count == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            size += Int64(count)
        }
        return (size, hex(hasher.finalize()))
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        Hex.encode(digest)
    }
}
