import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Free space where an archive is written. When a tool fails because the disk filled up, its own message may have
/// been lost (the tool log is often on the same disk), and tar only reports the broken pipe; this names the cause.
enum DiskSpace {
    /// Bytes available to this user on the file system holding `path`, or nil when it cannot be told.
    static func available(at path: String) -> UInt64? {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else { return nil }
        return UInt64(stats.f_bavail) &* UInt64(stats.f_frsize)
    }

    /// "no space left on device …" when the file system of `file` has (almost) nothing left, else nil.
    static func exhaustedMessage(writing file: String) -> String? {
        let directory = (file as NSString).deletingLastPathComponent
        guard let free = available(at: directory), free < 1 << 20 else { return nil }
        return "no space left on device in \(directory) (\(free) bytes free); free some space or point container elsewhere"
    }
}
