import Foundation
import KeepwatchCore

/// Where a backup's archive is now: on this node, only on remote storage (restore and verify fetch it), both, or
/// nowhere Keepwatch can see.
public enum BackupLocation: String, Sendable {
    case local
    case remote
    case both = "local+remote"
    case missing

    public static func of(_ backup: BackupManifest) -> BackupLocation {
        let here = FileManager.default.fileExists(atPath: backup.file)
        switch (here, backup.remote != nil) {
        case (true, true): return .both
        case (true, false): return .local
        case (false, true): return .remote
        case (false, false): return .missing
        }
    }
}
