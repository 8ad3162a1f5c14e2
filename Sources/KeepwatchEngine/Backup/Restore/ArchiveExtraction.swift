import Foundation
import KeepwatchCore
import SystemPackage

/// Feeds one archive to a consumer: `[Swift opens the sealed stream →] zstd -d | <consumer>` where the consumer is
/// `tar --extract` (with `--listed-incremental=/dev/null`, so that each level of a chain also removes what was
/// deleted before it), `pg_restore`, `mariadb` or `sh -c 'cat > file'`-like writers.
enum ArchiveExtraction {
    static func extract(_ manifest: BackupManifest, key: ArchiveKey?, into directory: String, log: FileDescriptor,
                        control: RunControl) async throws {
        let tar = StreamedArchive.Stage(tool: "tar", arguments: ["--extract", "--file=-", "--listed-incremental=/dev/null",
                                                                 "--preserve-permissions", "--warning=none", "--directory=\(directory)"])
        try await feed(manifest, key: key, to: tar, output: log, log: log, control: control)
    }

    /// Streams the archive's plaintext, decompressed, into `consumer`'s standard input; its output goes to `output`.
    static func feed(_ manifest: BackupManifest, key: ArchiveKey?, to consumer: StreamedArchive.Stage, output: FileDescriptor,
                     log: FileDescriptor, control: RunControl) async throws {
        let decompressor = try decompressor(for: manifest.compression)
        // Both tools are found before any pipe exists: a stage that never starts would leave the other waiting forever.
        _ = try ProcessLauncher.resolve(decompressor)
        _ = try ProcessLauncher.resolve(consumer.tool)
        let archive = try FileDescriptor.open(FilePath(manifest.file), .readOnly, options: [.closeOnExec])
        defer { try? archive.close() }
        let tarPipe = try FileDescriptor.pipe()
        let tarRead = ClosableDescriptor(tarPipe.readEnd)
        let tarWrite = ClosableDescriptor(tarPipe.writeEnd)
        defer {
            tarRead.close()
            tarWrite.close()
        }
        let plain = try key.map { _ in try FileDescriptor.pipe() }
        let plainRead = plain.map { ClosableDescriptor($0.readEnd) }
        let plainWrite = plain.map { ClosableDescriptor($0.writeEnd) }
        defer {
            plainRead?.close()
            plainWrite?.close()
        }
        let opening = Task {
            guard let key, let plainWrite else { return }
            defer { plainWrite.close() }
            _ = try await ArchivePump.open(file: archive, to: plainWrite.descriptor, key: key)
        }
        let decompressorInput = plainRead?.descriptor ?? archive
        async let decompressed = ProcessLauncher.run(decompressor, ["-d", "-c"], input: decompressorInput, output: tarWrite.descriptor,
                                                     error: log, control: control) {
            tarWrite.close()
            plainRead?.close()
        }
        let extracted = try await ProcessLauncher.run(consumer.tool, consumer.arguments, environment: consumer.environment,
                                                      input: tarRead.descriptor, output: output, error: log, control: control) { tarRead.close() }
        let decompression = try await decompressed
        do {
            try await opening.value
        } catch {
            throw ActionFailure("\(error)")
        }
        try StreamedArchive.check(decompressor, decompression, allowed: [0])
        try StreamedArchive.check(consumer.tool, extracted, allowed: consumer.allowedExitCodes)
    }

    static func decompressor(for compression: String) throws -> String {
        switch compression {
        case "zstd": return "zstd"
        case "gzip": return "gzip"
        default: throw ActionFailure("archives compressed with \(compression) cannot be restored by this node")
        }
    }
}
