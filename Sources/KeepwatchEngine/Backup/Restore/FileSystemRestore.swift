import Foundation
import KeepwatchCore
import SystemPackage

/// Restores a file-system backup into a directory: the newest chain at or before a date, every level in order.
/// Each archive is verified (SHA-256, and every encrypted record authenticated) before anything is written, and a
/// non-empty target is refused unless `overwrite` is set.
public enum FileSystemRestore {
    public struct Request: Sendable {
        public var name: String
        public var target: String
        public var date: Int64?
        public var overwrite: Bool
        public var key: ArchiveKey?

        public init(name: String, target: String, date: Int64? = nil, overwrite: Bool = false, key: ArchiveKey? = nil) {
            self.name = name
            self.target = target
            self.date = date
            self.overwrite = overwrite
            self.key = key
        }
    }

    /// The archives applied, oldest level first. `say` receives one line per step.
    @discardableResult
    public static func run(_ request: Request, backups: [BackupManifest], data: DataDirectory, toolLog: FileDescriptor, control: RunControl,
                           say: @Sendable (String) -> Void) async throws -> [BackupManifest] {
        let planned: [BackupManifest]
        do {
            planned = try RestorePlan.chain(backups.filter { $0.mode == "fs" }, name: request.name, at: request.date)
        } catch {
            throw ActionFailure(error.description)
        }
        try checkTarget(request)
        return try await BackupFetcher.withLocalCopies(planned, data: data, log: toolLog, control: control) { chain in
            try await apply(chain, request: request, toolLog: toolLog, control: control, say: say)
            return planned
        }
    }

    static func apply(_ chain: [BackupManifest], request: Request, toolLog: FileDescriptor, control: RunControl,
                      say: @Sendable (String) -> Void) async throws {
        for backup in chain {
            try await BackupVerifier.requireIntact(backup, key: request.key)
            say("verified level \(backup.level) \((backup.file as NSString).lastPathComponent) sha256 \(backup.sha256)")
        }
        try FileManager.default.createDirectory(atPath: request.target, withIntermediateDirectories: true)
        for backup in chain {
            try await ArchiveExtraction.extract(backup, key: request.key, into: request.target, log: toolLog, control: control)
            say("restored level \(backup.level) \((backup.file as NSString).lastPathComponent)")
        }
    }

    static func checkTarget(_ request: Request) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: request.target, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw ActionFailure("restore target \(request.target) is a file, not a directory") }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: request.target)) ?? []
        if !entries.isEmpty && !request.overwrite {
            throw ActionFailure("restore target \(request.target) is not empty; restore over it with --overwrite (overwrite: true in a job)")
        }
    }
}
