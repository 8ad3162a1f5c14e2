import Foundation
import KeepwatchCore
import SystemPackage

/// Re-reads archives and checks them against what was recorded: the file is there, its size and SHA-256 match
/// the store and the `.json` manifest beside it, and, for an encrypted archive with its key, every record opens.
public enum BackupVerifier {
    public struct Report: Sendable {
        public enum Verdict: String, Sendable {
            case ok = "ok"
            case missing = "MISSING"
            /// The archive may be intact: the key given is not the one it was sealed with.
            case wrongKey = "WRONG KEY"
            case damaged = "DAMAGED"
        }

        public var backup: BackupManifest
        public var problems: [String]
        /// Whether the encrypted records were opened (needs the key).
        public var authenticated: Bool
        public var verdict: Verdict = .ok

        public var ok: Bool { problems.isEmpty }

        mutating func add(_ problem: String, _ verdict: Verdict) {
            problems.append(problem)
            if self.verdict == .ok || verdict == .damaged { self.verdict = verdict }
        }
    }

    public static func verify(_ backup: BackupManifest, key: ArchiveKey?) async -> Report {
        var report = Report(backup: backup, problems: [], authenticated: false)
        guard FileManager.default.fileExists(atPath: backup.file) else {
            report.add("archive \(backup.file) is missing", .missing)
            return report
        }
        for problem in manifestProblems(backup) { report.add(problem, .damaged) }
        do {
            let (size, sha256): (Int64, String)
            if backup.encryption != nil, let key {
                let file = try FileDescriptor.open(FilePath(backup.file), .readOnly, options: [.closeOnExec])
                defer { try? file.close() }
                (size, sha256) = try await ArchivePump.open(file: file, to: nil, key: key)
                report.authenticated = true
            } else {
                (size, sha256) = try await ArchivePump.pool.runIfActive { try FileDigest.sha256(ofFile: backup.file) }
            }
            if size != backup.size { report.add("size is \(size) bytes, the manifest says \(backup.size)", .damaged) }
            if sha256 != backup.sha256 { report.add("sha256 is \(sha256), the manifest says \(backup.sha256)", .damaged) }
        } catch {
            let text = "\(error)"
            report.add(text, text.contains("wrong passphrase or key") ? .wrongKey : .damaged)
        }
        return report
    }

    /// Refuses, before anything is written, an archive that is encrypted without a key given, or that fails verification.
    static func requireIntact(_ backup: BackupManifest, key: ArchiveKey?) async throws {
        let file = (backup.file as NSString).lastPathComponent
        if backup.encryption != nil && key == nil {
            throw ActionFailure("\(file) is encrypted: give its key with --encrypt-pass-file or --encrypt-key-file (encrypt_pass_file or encrypt_key_file in a job)")
        }
        let report = await verify(backup, key: key)
        guard report.ok else {
            throw ActionFailure("\(file) failed verification, nothing was restored: " + report.problems.joined(separator: "; "))
        }
    }

    /// The `.json` beside the archive must describe the same bytes as the store.
    static func manifestProblems(_ backup: BackupManifest) -> [String] {
        let path = backup.file + ".json"
        guard let data = FileManager.default.contents(atPath: path) else { return ["manifest \(path) is missing"] }
        guard let written = try? JSONDecoder().decode(BackupManifest.self, from: data) else { return ["manifest \(path) cannot be read"] }
        if written.sha256 != backup.sha256 || written.size != backup.size || written.backupID != backup.backupID {
            return ["manifest \(path) does not match the store's record"]
        }
        return []
    }
}
