import Foundation
import SystemPackage

/// A run's log file (`runs/<job>/<run>.log`): Keepwatch's own lines in key=value form, and the output of
/// the tools it runs, appended as they write it.
public final class RunLog: Sendable {
    public let path: String
    let descriptor: FileDescriptor

    public init(path: String) throws {
        self.path = path
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        descriptor = try FileDescriptor.open(FilePath(path), .writeOnly, options: [.create, .append, .closeOnExec],
                                             permissions: [.ownerReadWrite])
    }

    /// `time=… level=info msg="…" action=1`
    public func line(_ message: String, level: String = "info", fields: [(String, String)] = []) {
        var text = "time=\(KeyValueLogHandler.timestamp()) level=\(level) msg=\(KeyValueLogHandler.quoted(message))"
        for (key, value) in fields { text += " \(key)=\(KeyValueLogHandler.quotedIfNeeded(value))" }
        _ = try? descriptor.writeAll(Array((text + "\n").utf8))
    }

    /// Copies a file's contents (a tool's messages) into the log.
    public func append(contentsOf file: String) {
        guard let data = FileManager.default.contents(atPath: file), !data.isEmpty else { return }
        _ = try? descriptor.writeAll(data)
        if data.last != UInt8(ascii: "\n") { _ = try? descriptor.writeAll([UInt8(ascii: "\n")]) }
    }

    public func close() {
        try? descriptor.close()
    }
}
