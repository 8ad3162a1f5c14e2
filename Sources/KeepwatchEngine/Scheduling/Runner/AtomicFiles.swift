import Foundation
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// Writes that are never seen half done: a temporary name, fsync, then rename.
public enum AtomicFiles {
    public static func write(_ data: Data, to path: String, permissions: FilePermissions = [.ownerReadWrite]) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = (directory as NSString).appendingPathComponent(".\((path as NSString).lastPathComponent).\(UUID().uuidString).tmp")
        let descriptor = try FileDescriptor.open(FilePath(temporary), .writeOnly, options: [.create, .exclusiveCreate, .closeOnExec],
                                                 permissions: permissions)
        do {
            _ = try descriptor.writeAll(data)
            try sync(descriptor)
            try descriptor.close()
        } catch {
            try? descriptor.close()
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        try rename(temporary, to: path)
    }

    /// Renames, then flushes the directory so the new name survives a crash.
    public static func rename(_ source: String, to destination: String) throws {
        guard Foundation.rename(source, destination) == 0 else {
            throw ActionFailure("cannot rename \(source) to \(destination): \(String(cString: strerror(errno)))")
        }
        syncDirectory((destination as NSString).deletingLastPathComponent)
    }

    /// fsync(2): the bytes written so far are on disk.
    public static func sync(_ descriptor: FileDescriptor) throws {
        guard fsync(descriptor.rawValue) == 0 else {
            throw ActionFailure("fsync failed: \(String(cString: strerror(errno)))")
        }
    }

    public static func syncDirectory(_ path: String) {
        guard let descriptor = try? FileDescriptor.open(FilePath(path), .readOnly, options: [.directory, .closeOnExec]) else { return }
        try? sync(descriptor)
        try? descriptor.close()
    }
}
